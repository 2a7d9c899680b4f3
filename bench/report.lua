-- wrk script: prints one machine-readable line after the run.
-- Only done() is defined, not response(): a per-response Lua call costs wrk CPU that, on a 2-core machine,
-- the server under test would miss. wrk itself counts responses with status >= 400 (summary.errors.status);
-- the scripts check beforehand with curl that the page answers 200, so a redirect would be caught there.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f http_errors=%d socket_errors=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout, summary.requests))
end
