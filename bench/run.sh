#!/usr/bin/env bash
# Speed: the article page and search, served by the app (Release, Production, every article approved), against
# nginx serving the same article HTML from a file, in the same run, with the same wrk settings.
#   bench/run.sh                       any environment variable given is passed on to the app, e.g.
#   Serilog__MinimumLevel__Default=Warning bench/run.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ARTICLE=/articles/treatment-evidence
SEARCH="/search?q=${SEARCH_WORD:-muscle}"

bench_need wrk wrk
bench_need nginx nginx-light
bench_need curl curl
bench_build
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (anything else running skews every figure)"

say "Starting the app on the bundled content, approving every version, starting it again"
port=$(bench_free_port)
app="$BENCH_TMP/app"
bench_start_app "$app" "$port" "$REPO/content"
echo "first start: healthy after $(bench_wait_healthy "$port") s"
bench_stop "$APP_PID"
bench_tools approve-all --db "$app/data/ibminfo.db"
bench_start_app "$app" "$port" "$REPO/content"
echo "restart: healthy after $(bench_wait_healthy "$port") s"
# The whole page must be approved content, and answer 200, before it is worth measuring.
status=$(curl -s -o "$BENCH_TMP/article.html" -w '%{http_code}' "http://127.0.0.1:$port$ARTICLE")
[ "$status" = 200 ] || { echo "$ARTICLE answered $status" >&2; exit 1; }
if grep -q 'pending review' "$BENCH_TMP/article.html"; then echo "$ARTICLE is still pending review" >&2; exit 1; fi
search_status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$SEARCH")
[ "$search_status" = 200 ] || { echo "$SEARCH answered $search_status" >&2; exit 1; }

say "Starting nginx (one worker) on the same HTML"
mkdir -p -m 755 "$BENCH_TMP/www"
install -m 644 "$BENCH_TMP/article.html" "$BENCH_TMP/www/article.html"
nginx_port=$(bench_free_port)
bench_start_nginx "$nginx_port" "$BENCH_TMP/www"
cmp -s <(curl -fs "http://127.0.0.1:$nginx_port/article.html") "$BENCH_TMP/article.html" \
  || { echo "nginx does not serve the saved page; see $BENCH_TMP/nginx/error.log" >&2; exit 1; }
html_bytes=$(stat -c %s "$BENCH_TMP/article.html")
echo "article HTML: $html_bytes bytes ($(awk -v b="$html_bytes" 'BEGIN { printf "%.1f", b / 1024 }') KB, uncompressed)"

ROUNDS=${ROUNDS:-5}
# The app's code reaches its fastest tier only after some seconds of load (tiered compilation), and this machine's
# speed drifts from one 10 s run to the next: so both servers get a longer warm-up, and the article page is compared
# with nginx in alternating rounds, each round's ratio from the two runs side by side; the median round is reported.
say "Warm-up: wrk -t2 -c64 -d${WARMUP_SECONDS:-15}s against each, unmeasured"
wrk -t2 -c64 -d"${WARMUP_SECONDS:-15}"s "http://127.0.0.1:$nginx_port/article.html" >/dev/null 2>&1 || true
wrk -t2 -c64 -d"${WARMUP_SECONDS:-15}"s "http://127.0.0.1:$port$ARTICLE" >/dev/null 2>&1 || true
say "wrk -t2 -c64 -d${WRK_SECONDS:-5}s --latency: $ROUNDS rounds of nginx then the article page; then the searches, -d10s"
log_before=$(bench_log_lines)
rounds=()
for round in $(seq "$ROUNDS"); do
  n=$(WRK_SECONDS=${WRK_SECONDS:-5} WRK_SERVER_PID=$NGINX_PID bench_wrk nginx "http://127.0.0.1:$nginx_port/article.html")
  a=$(WRK_SECONDS=${WRK_SECONDS:-5} WRK_SERVER_PID=$APP_PID bench_wrk article "http://127.0.0.1:$port$ARTICLE")
  r=$(awk -v a="$(field "$a" rps)" -v b="$(field "$n" rps)" 'BEGIN { printf "%.3f", a / b }')
  printf 'round %d: nginx %s req/s, article %s req/s (p99 %s ms): %s×\n' "$round" "$(field "$n" rps)" "$(field "$a" rps)" "$(field "$a" p99_ms)" "$r"
  rounds+=("$r|$n|$a")
done
# The median round: its nginx and article lines are the ones reported below.
median=$(printf '%s\n' "${rounds[@]}" | sort -t'|' -k1,1n | sed -n "$(( (ROUNDS + 1) / 2 ))p")
nginx_line=$(cut -d'|' -f2 <<<"$median")
article_line=$(cut -d'|' -f3 <<<"$median")
# Over every round: the slowest p99 and all errors, so the median round hides neither.
worst_p99=0; errors=0
for round in "${rounds[@]}"; do
  a=${round##*|}
  worst_p99=$(awk -v m="$worst_p99" -v p="$(field "$a" p99_ms)" 'BEGIN { print (p > m) ? p : m }')
  errors=$(( errors + $(field "$a" http_errors) + $(field "$a" socket_errors) ))
done
export WRK_SERVER_PID=$APP_PID
search_line=$(bench_wrk search "http://127.0.0.1:$port$SEARCH")
fresh_line=$(SEARCH_WORDS="muscle swallowing exercise support trial steroids falls walking" WRK_SCRIPT="$BENCH_DIR/search-words.lua" \
  bench_wrk search-new "http://127.0.0.1:$port/")
rss=$(bench_peak_rss_mb "$APP_PID")
log_lines=$(( $(bench_log_lines) - log_before ))

ratio() { awk -v a="$(field "$1" rps)" -v b="$(field "$nginx_line" rps)" 'BEGIN { printf "%.3f", a / b }'; }
# verdict VALUE OP LIMIT: "meets" or "MISSES" for one target.
verdict() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = (op == ">=" ? v >= l : op == "<" ? v < l : v == l); print ok ? "meets" : "MISSES" }'; }
row() {
  local line=$1
  printf '%-10s %10s %9s %9s %9s %12s %14s %10s %13s\n' "${line%% *}" "$(field "$line" rps)" "$(field "$line" p50_ms)" \
    "$(field "$line" p95_ms)" "$(field "$line" p99_ms)" "$(field "$line" http_errors)" "$(field "$line" socket_errors)" "$2" \
    "$(field "$line" cpu_us)"
}
# CPU per request of nginx over the app's: the same comparison as the ratio of requests/s, less moved by other work.
cpu_ratio() { awk -v a="$(field "$1" cpu_us)" -v b="$(field "$nginx_line" cpu_us)" 'BEGIN { if (a > 0) printf "%.3f", b / a; else print "?" }'; }

say "Results"
printf '%-10s %10s %9s %9s %9s %12s %14s %10s %13s\n' target "req/s" "p50 ms" "p95 ms" "p99 ms" "4xx/5xx" "socket errors" "× nginx" "CPU µs/req"
row "$nginx_line" 1.00
row "$article_line" "$(ratio "$article_line")"
row "$search_line" "$(ratio "$search_line")"
row "$fresh_line" "$(ratio "$fresh_line")"
echo
echo "article page ($ARTICLE, $html_bytes bytes; the table's rows are the median of $ROUNDS rounds):"
echo "  ≥ 0.8× nginx req/s: $(ratio "$article_line")× (median round; rounds: $(printf '%s\n' "${rounds[@]}" | cut -d'|' -f1 | sort -n | tr '\n' ' ')) — $(verdict "$(ratio "$article_line")" ">=" 0.8)"
echo "  (CPU per request: nginx's is $(cpu_ratio "$article_line")× the app's)"
echo "  p99 < 10 ms, slowest round: $worst_p99 ms — $(verdict "$worst_p99" '<' 10)"
echo "  zero errors, all rounds: $errors — $(verdict "$errors" '==' 0)"
echo "search, a repeated query ($SEARCH, answered from the page cache after the first time):"
echo "  ≥ 0.5× nginx req/s: $(ratio "$search_line")× — $(verdict "$(ratio "$search_line")" '>=' 0.5)"
echo "  p99 < 10 ms: $(field "$search_line" p99_ms) ms — $(verdict "$(field "$search_line" p99_ms)" '<' 10)"
echo "  zero errors: $(field "$search_line" http_errors) + $(field "$search_line" socket_errors) — $(verdict $(( $(field "$search_line" http_errors) + $(field "$search_line" socket_errors) )) '==' 0)"
echo "search, every query new (bench/search-words.lua: a full search each time):"
echo "  ≥ 300 req/s: $(field "$fresh_line" rps) — $(verdict "$(field "$fresh_line" rps)" '>=' 300)"
echo "  p99 < 500 ms: $(field "$fresh_line" p99_ms) ms — $(verdict "$(field "$fresh_line" p99_ms)" '<' 500)"
echo "  zero errors: $(field "$fresh_line" http_errors) + $(field "$fresh_line" socket_errors) — $(verdict $(( $(field "$fresh_line" http_errors) + $(field "$fresh_line" socket_errors) )) '==' 0)"
echo
echo "app peak RSS: $rss MB; app log lines written during the runs: $log_lines (file log; the console log gets the same)"
