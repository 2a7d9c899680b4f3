-- wrk script for bench/load.sh: a mix of readers. About 75 % read an article page (as everyone, as a patient or a
-- clinician, chosen by ?audience= or by the audience cookie), 20 % search, 5 % post a follow-up question.
-- The environment gives BENCH_ARTICLES ("slug:version slug:version …"), BENCH_ORIGIN ("http://127.0.0.1:PORT")
-- and BENCH_DIR. Posts follow the reader-form contract of the same-origin check: no antiforgery token, an Origin
-- header and Sec-Fetch-Site: same-origin; success is a redirect (303/302) to the confirmation page.
local articles = {}
for slug, version in string.gmatch(os.getenv("BENCH_ARTICLES"), "([%w-]+):(%d+)") do
  articles[#articles + 1] = { slug = slug, version = version }
end
local origin = os.getenv("BENCH_ORIGIN")
local words = { "muscle", "swallowing", "exercise", "support", "trial", "steroids", "falls", "walking" }
local audiences = { "", "?audience=patient", "?audience=clinician", "cookie:patient", "cookie:clinician", "?audience=all" }

local threads = {}
setup = function(thread) threads[#threads + 1] = thread end

init = function()
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  posts, s2xx, s3xx, s4xx, s5xx = 0, 0, 0, 0, 0
end

request = function()
  local roll = math.random(100)
  local article = articles[math.random(#articles)]
  if roll <= 5 then
    posts = posts + 1
    local body = "version=" .. article.version .. "&name=Load+test&question=Load+test+question+number+" .. posts ..
      "+from+the+benchmark%3A+please+ignore."
    return wrk.format("POST", "/articles/" .. article.slug .. "/questions", {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Origin"] = origin,
      ["Sec-Fetch-Site"] = "same-origin",
    }, body)
  elseif roll <= 25 then
    return wrk.format("GET", "/search?q=" .. words[math.random(#words)])
  end
  local audience = audiences[math.random(#audiences)]
  if audience:sub(1, 7) == "cookie:" then
    return wrk.format("GET", "/articles/" .. article.slug, { ["Cookie"] = "audience=" .. audience:sub(8) })
  end
  return wrk.format("GET", "/articles/" .. article.slug .. audience)
end

response = function(status, headers, body)
  if status < 300 then s2xx = s2xx + 1
  elseif status < 400 then s3xx = s3xx + 1
  elseif status < 500 then s4xx = s4xx + 1
  else s5xx = s5xx + 1 end
end

done = function(summary, latency, requests)
  local t = { posts = 0, s2xx = 0, s3xx = 0, s4xx = 0, s5xx = 0 }
  for _, thread in ipairs(threads) do
    for key, _ in pairs(t) do t[key] = t[key] + (thread:get(key) or 0) end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.0f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f requests=%d socket_errors=%d posts=%d s2xx=%d s3xx=%d s4xx=%d s5xx=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, summary.requests,
    e.connect + e.read + e.write + e.timeout, t.posts, t.s2xx, t.s3xx, t.s4xx, t.s5xx))
end
