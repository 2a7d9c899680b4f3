#!/usr/bin/env bash
# Scale: a synthetic content folder of 1,000 articles x 3 versions (bench/Tools generate). Measures the first start
# (migrations and the first content sync), a restart with nothing changed, search latency under a modest load,
# and the peak memory after it.
#   bench/scale.sh                      ARTICLES=, VERSIONS=, SEARCH_CONNECTIONS= (default 8) change the defaults
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ARTICLES=${ARTICLES:-1000}
VERSIONS=${VERSIONS:-3}
SEARCH_CONNECTIONS=${SEARCH_CONNECTIONS:-8}

bench_need wrk wrk
bench_need curl curl
bench_build
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (anything else running skews every figure)"

say "Generating $ARTICLES articles x $VERSIONS versions"
bench_tools generate --articles "$ARTICLES" --versions "$VERSIONS" --out "$BENCH_TMP/content"
echo "$(du -sh "$BENCH_TMP/content" | cut -f1) on disk"

say "First start: empty database, everything synced"
port=$(bench_free_port)
app="$BENCH_TMP/app"
bench_start_app "$app" "$port" "$BENCH_TMP/content"
first=$(bench_wait_healthy "$port" 600)
first_peak=$(bench_peak_rss_mb "$APP_PID")
echo "healthy after $first s; database $(du -h "$app/data/ibminfo.db" | cut -f1); peak RSS $first_peak MB"
bench_stop "$APP_PID"

say "Restart with nothing changed"
bench_start_app "$app" "$port" "$BENCH_TMP/content"
restart=$(bench_wait_healthy "$port" 600)
echo "healthy after $restart s"

say "Search, one request at a time: ten queries, three rounds, none answered from the page cache (curl)"
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/search?q=garden")
[ "$status" = 200 ] || { echo "/search answered $status" >&2; exit 1; }
queries=(garden lantern morning harbour kitchen orchard meadow garden+walking compass river)
# Each round adds a trailing space (searched as the same words, but a new address for the page cache).
urls=(); pad=""; for round in 1 2 3; do pad+="+"; for q in "${queries[@]}"; do urls+=("http://127.0.0.1:$port/search?q=$q$pad"); done; done
sequential=$(bench_curl_times "${urls[@]}")
echo "$sequential"

say "Search under load: wrk -t2 -c$SEARCH_CONNECTIONS -d10s, the ten queries made new each time (bench/search-words.lua)"
search_line=$(SEARCH_WORDS="${queries[*]}" WRK_CONNECTIONS=$SEARCH_CONNECTIONS WRK_SCRIPT="$BENCH_DIR/search-words.lua" bench_wrk search "http://127.0.0.1:$port/")
echo "$search_line"
peak=$(bench_peak_rss_mb "$APP_PID")

verdict() { awk -v v="$1" -v l="$2" 'BEGIN { print (v < l) ? "meets" : "MISSES" }'; }
say "Results ($ARTICLES articles x $VERSIONS versions)"
printf '%-34s %10s %10s  %s\n' measure figure target verdict
printf '%-34s %10s %10s  %s\n' "first start to /healthz 200 (s)" "$first" "< 15" "$(verdict "$first" 15)"
printf '%-34s %10s %10s  %s\n' "unchanged restart (s)" "$restart" "< 3" "$(verdict "$restart" 3)"
printf '%-34s %10s %10s  %s\n' "peak RSS after search load (MB)" "$peak" "< 300" "$(verdict "$peak" 300)"
printf '%-34s %10s %10s  %s\n' "peak RSS during first start (MB)" "$first_peak" "< 300" "$(verdict "$first_peak" 300)"
printf '%-34s %10s %10s  %s\n' "search p95, one at a time (ms)" "$(field "$sequential" p95_ms)" "< 50" "$(verdict "$(field "$sequential" p95_ms)" 50)"
printf '%-34s %10s %10s  %s\n' "search p95 at $SEARCH_CONNECTIONS connections (ms)" "$(field "$search_line" p95_ms)" "< 50" "$(verdict "$(field "$search_line" p95_ms)" 50)"
echo "search: $(field "$search_line" rps) req/s, p50 $(field "$search_line" p50_ms) ms, p99 $(field "$search_line" p99_ms) ms, $(field "$search_line" http_errors) HTTP and $(field "$search_line" socket_errors) socket errors"
