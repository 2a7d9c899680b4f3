#!/usr/bin/env bash
# Several nodes: two app processes (Release, Production) on one PostgreSQL behind nginx round-robin, beside one
# process on SQLite, in the same run with the same wrk settings: requests per second, p99 and errors for the article
# page and search, and the time a change made through one node takes to reach the other.
#   bench/nodes.sh                     PROPAGATION_RUNS=N sets how many changes are timed (default 5)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ARTICLE=/articles/treatment-evidence
SEARCH="/search?q=${SEARCH_WORD:-muscle}"
RUNS=${PROPAGATION_RUNS:-5}

bench_need wrk wrk
bench_need nginx nginx-light
bench_need curl curl
bench_build
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (anything else running skews every figure)"

# measure NAME BASE_URL: the article page and a repeated search, each a wrk run; prints the two result lines, each
# followed by the load average just after it.
measure() {
  local name=$1 base=$2 line
  for target in "article $ARTICLE" "search $SEARCH"; do
    set -- $target
    line=$(bench_wrk "$name-$1" "$base$2")
    echo "$line load=$(cut -d' ' -f1 /proc/loadavg)"
  done
}

# check_page URL: the article must be approved content, answering 200, before it is worth measuring.
check_page() {
  local status
  status=$(curl -s -o "$BENCH_TMP/check.html" -w '%{http_code}' "$1$ARTICLE")
  [ "$status" = 200 ] || { echo "$1$ARTICLE answered $status" >&2; exit 1; }
  if grep -q 'pending review' "$BENCH_TMP/check.html"; then echo "$1$ARTICLE is still pending review" >&2; exit 1; fi
  status=$(curl -s -o /dev/null -w '%{http_code}' "$1$SEARCH")
  [ "$status" = 200 ] || echo "warning: $1$SEARCH answered $status (its figures below are errors)" >&2
}

say "One node on SQLite: the bundled content, every version approved"
port=$(bench_free_port)
bench_start_app "$BENCH_TMP/sqlite" "$port" "$REPO/content"
bench_wait_healthy "$port" >/dev/null
bench_stop "$APP_PID"
bench_tools approve-all --db "$BENCH_TMP/sqlite/data/ibminfo.db"
bench_start_app "$BENCH_TMP/sqlite" "$port" "$REPO/content"
bench_wait_healthy "$port" >/dev/null
check_page "http://127.0.0.1:$port"
say "wrk -t2 -c${WRK_CONNECTIONS:-64} -d${WRK_SECONDS:-10}s --latency (after a 3 s warm-up): one node on SQLite"
sqlite_lines=$(measure sqlite "http://127.0.0.1:$port")
echo "$sqlite_lines"
bench_stop "$APP_PID"

say "Two nodes on PostgreSQL behind nginx"
bench_start_postgres
# The content the nodes read: a copy, so that the propagation runs below can add version files to it.
cp -r "$REPO/content" "$BENCH_TMP/content"
pg_env=(Database__Provider=PostgreSql ConnectionStrings__IbmInfo="$PG_CONNECTION")
# The deploy step, before any node starts: the nodes do not migrate (Database:MigrateAtStart is off on PostgreSQL).
env "${pg_env[@]}" ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_CONTENTROOT="$OUT/app" Content__Root="$BENCH_TMP/content" \
  dotnet "$APP_DLL" db migrate
port_a=$(bench_free_port); port_b=$(bench_free_port)
bench_start_app "$BENCH_TMP/node-a" "$port_a" "$BENCH_TMP/content" "${pg_env[@]}"
echo "node A, first start (imports the content): healthy after $(bench_wait_healthy "$port_a") s"
bench_stop "$APP_PID"
bench_tools approve-all --provider PostgreSql --connection "$PG_CONNECTION"
bench_start_app "$BENCH_TMP/node-a" "$port_a" "$BENCH_TMP/content" "${pg_env[@]}"
pid_a=$APP_PID
echo "node A: healthy after $(bench_wait_healthy "$port_a") s"
bench_start_app "$BENCH_TMP/node-b" "$port_b" "$BENCH_TMP/content" "${pg_env[@]}"
pid_b=$APP_PID
echo "node B: healthy after $(bench_wait_healthy "$port_b") s"
balancer=$(bench_free_port)
bench_start_balancer "$balancer" "$port_a" "$port_b"
check_page "http://127.0.0.1:$balancer"
say "wrk -t2 -c${WRK_CONNECTIONS:-64} -d${WRK_SECONDS:-10}s --latency (after a 3 s warm-up): nginx → nodes A and B"
pg_lines=$(measure two-nodes "http://127.0.0.1:$balancer")
echo "$pg_lines"
rss_a=$(bench_peak_rss_mb "$pid_a"); rss_b=$(bench_peak_rss_mb "$pid_b")

say "A change through node A's database, polled on node B ($RUNS changes)"
# Each change is a new version of the article, imported by `content import` (a process of its own on the shared
# database, as an editor's commit is on any node); the clock starts when the import has committed and exited, and
# stops when node B's history page lists the new version ("Version N"). B's copy of that page is fetched first, so it is cached:
# B can only show the change if it hears of it.
slug=${ARTICLE##*/}
folder="$BENCH_TMP/content/articles/$slug"
times=()
for run in $(seq "$RUNS"); do
  newest=$(ls "$folder" | sed -n 's/^\([0-9]*\)\.md$/\1/p' | sort -n | tail -1)
  next=$((newest + 1))
  history="http://127.0.0.1:$port_b/articles/$slug/history"
  for _ in 1 2 3; do curl -fs -o /dev/null "$history"; done
  sed "s/^change: .*/change: Benchmark change $run./" "$folder/$newest.md" >"$folder/$next.md"
  printf '\nA sentence added for benchmark change %s.\n' "$run" >>"$folder/$next.md"
  env "${pg_env[@]}" ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_CONTENTROOT="$OUT/app" Content__Root="$BENCH_TMP/content" \
    Serilog__WriteTo__1__Args__path="$BENCH_TMP/import-.log" dotnet "$APP_DLL" content import >"$BENCH_TMP/import-$run.txt" 2>&1 \
    || { echo "content import failed:" >&2; cat "$BENCH_TMP/import-$run.txt" >&2; exit 1; }
  started=$(date +%s%N)
  seen=""
  while [ $(( ($(date +%s%N) - started) / 1000000 )) -lt 10000 ]; do
    # A version in review is listed without a link (it has no permanent page yet): match its name.
    if curl -fs "$history" | grep -qE "Version $next([^0-9]|\$)"; then seen=$(( ($(date +%s%N) - started) / 1000000 )); break; fi
    sleep 0.01
  done
  echo "change $run (version $next): ${seen:-not seen within 10000} ms on node B (load $(cut -d' ' -f1 /proc/loadavg))"
  times+=("${seen:-99999}")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')

row() {
  local line=$1
  printf '%-22s %10s %9s %9s %12s %14s %6s\n' "${line%% *}" "$(field "$line" rps)" "$(field "$line" p50_ms)" \
    "$(field "$line" p99_ms)" "$(field "$line" http_errors)" "$(field "$line" socket_errors)" "$(field "$line" load)"
}
say "Results"
printf '%-22s %10s %9s %9s %12s %14s %6s\n' target "req/s" "p50 ms" "p99 ms" "4xx/5xx" "socket errors" "load"
while read -r line; do row "$line"; done <<<"$sqlite_lines"
while read -r line; do row "$line"; done <<<"$pg_lines"
echo
if [ "$median" -ge 99999 ]; then
  echo "a change reaching the other node: NOT SEEN within 10 s in $(printf '%s\n' "${times[@]}" | grep -c 99999) of $RUNS runs (median over $RUNS: none)"
else
  echo "a change reaching the other node: median $median ms over $RUNS runs (each: ${times[*]} ms; 99999 = not seen in 10 s); target ≤ 1000 ms"
fi
echo "peak RSS: node A $rss_a MB, node B $rss_b MB"
