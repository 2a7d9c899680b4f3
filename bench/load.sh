#!/usr/bin/env bash
# Load: a bounded mix of reading (every audience, by link and by cookie), searching and posting follow-up
# questions (~5 %) at 64 connections against 127.0.0.1, on the bundled content with every version approved.
#   bench/load.sh                       DURATION=600 (seconds, default 180) changes the length
# The posts use the reader-form contract without antiforgery tokens (an Origin header and Sec-Fetch-Site:
# same-origin instead). On a build that still asks for an antiforgery token they are refused with 400.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=${DURATION:-180}

bench_need wrk wrk
bench_need curl curl
bench_need sqlite3 sqlite3
bench_build
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (anything else running skews every figure)"

say "Starting the app on the bundled content with every version approved"
port=$(bench_free_port)
app="$BENCH_TMP/app"
db="$app/data/ibminfo.db"
bench_start_app "$app" "$port" "$REPO/content"
bench_wait_healthy "$port" >/dev/null
bench_stop "$APP_PID"
bench_tools approve-all --db "$db"
# The per-client limit on reader forms is raised for this run only: every request here comes from one address.
bench_start_app "$app" "$port" "$REPO/content" RateLimits__FormPostsPerMinute=1000000
bench_wait_healthy "$port" >/dev/null

# Every article with its latest version number, for the question form.
articles=""
for dir in "$REPO"/content/articles/*/; do
  latest=$(find "$dir" -maxdepth 1 -name '[0-9]*.md' -printf '%f\n' | sed 's/\.md$//' | sort -n | tail -1)
  articles+="$(basename "$dir"):$latest "
done
for slug_version in $articles; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/articles/${slug_version%%:*}")
  [ "$status" = 200 ] || { echo "/articles/${slug_version%%:*} answered $status" >&2; exit 1; }
done
rss_before=$(bench_rss_mb "$APP_PID")
questions_before=$(sqlite3 "$db" 'SELECT COUNT(*) FROM Questions')

say "wrk -t2 -c64 -d${DURATION}s: 75 % article pages, 20 % search, 5 % questions (bench/mixed-load.lua)"
BENCH_DIR=$BENCH_DIR BENCH_ARTICLES=$articles BENCH_ORIGIN="http://127.0.0.1:$port" \
  wrk -t2 -c64 -d"${DURATION}s" --timeout 10s --latency -s "$BENCH_DIR/mixed-load.lua" "http://127.0.0.1:$port/" >"$BENCH_TMP/wrk-load.txt" 2>&1
line=$(grep '^RESULT ' "$BENCH_TMP/wrk-load.txt" | cut -d' ' -f2-)
rss_after=$(bench_rss_mb "$APP_PID")
peak=$(bench_peak_rss_mb "$APP_PID")
questions_stored=$(( $(sqlite3 "$db" 'SELECT COUNT(*) FROM Questions') - questions_before ))
healthy=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")

posts=$(field "$line" posts)
errors=$(( $(field "$line" s4xx) + $(field "$line" s5xx) + $(field "$line" socket_errors) ))
say "Results (${DURATION}s at 64 connections)"
echo "requests:        $(field "$line" requests) ($(field "$line" rps) req/s)"
echo "latency (ms):    p50 $(field "$line" p50_ms), p95 $(field "$line" p95_ms), p99 $(field "$line" p99_ms), p99.9 $(field "$line" p999_ms), max $(field "$line" max_ms)"
echo "responses:       2xx $(field "$line" s2xx), 3xx $(field "$line" s3xx), 4xx $(field "$line" s4xx), 5xx $(field "$line" s5xx); socket errors $(field "$line" socket_errors)"
# wrk builds a request before sending it and stops with up to 64 in flight, so "posted" can exceed what the app
# saw by a few; every accepted question (a redirect) must be stored.
accepted=$(field "$line" s3xx)
echo "questions:       $posts posted, $accepted accepted (redirect), $questions_stored stored in the database"
echo "memory (MB):     RSS before $rss_before, after $rss_after, peak $peak"
echo "/healthz after:  $healthy"
if [ "$errors" -eq 0 ] && [ "$questions_stored" -ge "$accepted" ] && [ "$posts" -gt 0 ] && [ "$healthy" = 200 ]; then
  echo "zero errors, every question stored — meets"
else
  echo "errors: $errors (4xx + 5xx + socket); accepted but not stored: $((accepted - questions_stored)) — MISSES"
fi
