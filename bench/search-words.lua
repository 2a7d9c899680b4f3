-- wrk script for bench/scale.sh: each request searches for the next of several words from the generator's
-- lexicon (bench/Tools/ContentGenerator.cs): very common, common, and rarer ones, and a two-word query.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")

local queries = { "garden", "lantern", "morning", "harbour", "kitchen", "orchard", "meadow", "garden+walking", "compass", "river" }
local next_query = 0

request = function()
  next_query = next_query % #queries + 1
  return wrk.format("GET", "/search?q=" .. queries[next_query])
end
