-- wrk script: searches that the page cache cannot answer. Each request takes the next word from SEARCH_WORDS
-- (space-separated) and makes it a query no earlier request used — the word in a random mix of capitals and with
-- a different number of trailing spaces — which the site searches exactly as the plain word (search ignores case
-- and trims), so every request does a full search.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")

local words = {}
for word in string.gmatch(os.getenv("SEARCH_WORDS") or "garden", "%S+") do words[#words + 1] = word end
local sent = 0

init = function()
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

request = function()
  sent = sent + 1
  local word = words[sent % #words + 1]
  local mixed = word:gsub("%a", function(c) return math.random(2) == 1 and c:upper() or c end)
  -- A thread's counter plus a random offset: the two wrk threads do not repeat each other either.
  local spaces = string.rep("+", (sent + math.random(0, 999) * 7) % 150)
  return wrk.format("GET", "/search?q=" .. mixed .. spaces)
end
