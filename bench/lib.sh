# Shared by the bench scripts (sourced, not run): tools, build, start/wait/stop the app, nginx, wrk, memory.
# Everything a script starts is recorded and stopped on exit; its files live in one temporary folder.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
OUT="$REPO/bench/out"                      # git-ignored build output
APP_DLL="$OUT/app/IbmInfo.Web.dll"
TOOLS_DLL="$REPO/bench/Tools/bin/Release/net10.0/IbmInfo.Bench.dll"

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ibminfo-bench.XXXXXX")
chmod 711 "$BENCH_TMP"   # nginx's worker (another user when started as root) must reach the file it serves
BENCH_PIDS=()
BENCH_STOP=()   # commands that stop what runs detached (the PostgreSQL cluster)

bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BENCH_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  local stop
  for stop in "${BENCH_STOP[@]}"; do $stop >/dev/null 2>&1 || true; done
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "Logs and data kept in $BENCH_TMP"; else rm -rf "$BENCH_TMP"; fi
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n== %s\n' "$*"; }

# bench_need COMMAND PACKAGE: installs the Debian package when the command is missing.
bench_need() {
  command -v "$1" >/dev/null 2>&1 && return
  echo "Installing $2 (for $1)…"
  local sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$2" >/dev/null
}

# Release build: the site published as an operator would deploy it (ReadyToRun for this machine's runtime, so the
# start is not spent compiling the app and its libraries), and the bench tools.
bench_build() {
  say "Building Release"
  dotnet build "$REPO/bench/Tools" -c Release -nologo -v quiet -clp:ErrorsOnly
  local rid
  rid=$(dotnet --info | awk '$1 == "RID:" { print $2; exit }')
  dotnet publish "$REPO/src/IbmInfo.Web" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
    -o "$OUT/app" -nologo -v quiet -clp:ErrorsOnly
}

bench_tools() { dotnet "$TOOLS_DLL" "$@"; }

# bench_free_port: a TCP port on 127.0.0.1 nobody listens on, below the kernel's range for outgoing connections
# (a port some client socket holds cannot be bound, though nothing listens on it).
bench_free_port() {
  local port low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
  while :; do
    port=$((10000 + RANDOM % (low - 10000)))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# bench_start_app DIR PORT CONTENT [VAR=value …]: starts the published site in the Production environment on
# 127.0.0.1:PORT with its database and logs under DIR, reading CONTENT; extra settings as environment variables.
# Sets APP_PID, APP_DIR and APP_STARTED (seconds since the epoch, with nanoseconds). Console output goes to DIR/console.log.
bench_start_app() {
  local dir=$1 port=$2 content=$3; shift 3
  APP_DIR=$dir
  mkdir -p "$dir/data"
  APP_STARTED=$(date +%s.%N)
  # Settings (appsettings.json) and wwwroot come from the published folder, as deployed; the database and the file
  # log go to DIR instead of the app's data/ folder.
  (cd "$dir" && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_CONTENTROOT="$OUT/app" \
      ASPNETCORE_URLS="http://127.0.0.1:$port" \
      ConnectionStrings__IbmInfo="Data Source=$dir/data/ibminfo.db" \
      Serilog__WriteTo__1__Args__path="$dir/data/logs/ibminfo-.log" \
      Content__Root="$content" \
      "$@" dotnet "$APP_DLL" >>"$dir/console.log" 2>&1) &
  APP_PID=$!
  BENCH_PIDS+=("$APP_PID")
}

# bench_healthy PORT: true when /healthz answers 200. Asked with bash's own /dev/tcp, not curl: a curl process costs
# about 24 ms of CPU, so polling with it 50 times a second took half a core from the app it was timing.
bench_healthy() {
  local status=""
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$1" >&3
  read -r -t 5 status <&3 || true
  exec 3>&-
  [[ $status =~ ^HTTP/[0-9.]+\ 200 ]]
}

# bench_wait_healthy PORT [TIMEOUT_S]: waits for /healthz to answer 200; prints the seconds since APP_STARTED.
bench_wait_healthy() {
  local port=$1 timeout=${2:-120} deadline
  deadline=$((EPOCHSECONDS + timeout))
  until bench_healthy "$port"; do
    if ! kill -0 "$APP_PID" 2>/dev/null; then echo "The app exited; the end of its log:" >&2; tail -20 "$APP_DIR/console.log" >&2; return 1; fi
    [ "$EPOCHSECONDS" -lt "$deadline" ] || { echo "The app was not healthy within ${timeout}s" >&2; return 1; }
    sleep 0.02
  done
  awk -v a="$APP_STARTED" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", b - a }'
}

# bench_stop PID: asks the process to stop (SIGTERM: a graceful shutdown), and kills it after 15 s.
bench_stop() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Memory of a process in MB: resident now (VmRSS) and the peak so far (VmHWM).
bench_rss_mb() { awk '/^VmRSS:/ { printf "%.0f\n", $2 / 1024 }' "/proc/$1/status"; }
bench_peak_rss_mb() { awk '/^VmHWM:/ { printf "%.0f\n", $2 / 1024 }' "/proc/$1/status"; }

# bench_nginx PORT NAME SERVER_LINES [HTTP_LINES]: one nginx worker on 127.0.0.1:PORT, access log off, with its own
# configuration and prefix (NAME) in the temporary folder; SERVER_LINES go in its server block, HTTP_LINES before
# it. Sets NGINX_PID.
bench_nginx() {
  local port=$1 prefix="$BENCH_TMP/$2" server=$3 http=${4:-}
  mkdir -p "$prefix/tmp"
  cat >"$prefix/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $prefix/nginx.pid;
error_log $prefix/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  sendfile on;
  tcp_nopush on;
  # Kestrel keeps a connection open for any number of requests; so does nginx here, so both are measured alike.
  keepalive_requests 1000000;
  client_body_temp_path $prefix/tmp/body;
  proxy_temp_path $prefix/tmp/proxy;
  fastcgi_temp_path $prefix/tmp/fastcgi;
  uwsgi_temp_path $prefix/tmp/uwsgi;
  scgi_temp_path $prefix/tmp/scgi;
$http
  server {
    listen 127.0.0.1:$port;
$server
  }
}
EOF
  nginx -p "$prefix" -c "$prefix/nginx.conf" &
  NGINX_PID=$!
  BENCH_PIDS+=("$NGINX_PID")
  local i
  for i in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return; sleep 0.05; done
  echo "nginx did not start; see $prefix/error.log" >&2; return 1
}

# bench_start_nginx PORT ROOT: nginx serving the files under ROOT.
bench_start_nginx() { bench_nginx "$1" nginx "    root $2;"; }

# bench_start_balancer PORT BACKEND_PORT…: nginx passing every request round-robin to the app nodes on 127.0.0.1
# over kept-alive connections, with the headers docs/scaling.md names (Host, X-Forwarded-For, X-Forwarded-Proto).
bench_start_balancer() {
  local port=$1 backend servers=""; shift
  for backend in "$@"; do servers+="    server 127.0.0.1:$backend;"$'\n'; done
  bench_nginx "$port" balancer '    location / {
      proxy_pass http://ibminfo;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }' "  upstream ibminfo {
$servers    keepalive 64;
  }"
}

# bench_start_postgres: a throwaway PostgreSQL cluster (Debian's newest installed server) on a free loopback port,
# with a database "ibminfo", stopped on exit; durability off (fsync, synchronous commit): its data is thrown away.
# Sets PG_BIN, PG_PORT and PG_CONNECTION (the app's connection string).
bench_start_postgres() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || bench_need /usr/lib/postgresql/none/initdb postgresql
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_PORT=$(bench_free_port)
  local dir="$BENCH_TMP/postgres"
  mkdir -p "$dir"; chown postgres: "$dir"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir -c fsync=off -c synchronous_commit=off -c max_connections=300" start >/dev/null
  BENCH_STOP+=("runuser -u postgres -- $PG_BIN/pg_ctl -D $dir/data -m fast -w stop")
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE ibminfo"
  PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=ibminfo"
}

# bench_wrk NAME URL [wrk options…]: a short warm-up, then the measured run (-t2 -c64 -d10s unless
# WRK_CONNECTIONS / WRK_SECONDS / WRK_SCRIPT say otherwise; the script must print report.lua's RESULT line).
# Prints one line "NAME rps=… p50_ms=… p95_ms=… p99_ms=… http_errors=… socket_errors=… requests=…", with
# "cpu_us=…" (the CPU the server used per request, in microseconds) when WRK_SERVER_PID names the server, and keeps
# wrk's own output in the temporary folder.
bench_wrk() {
  local name=$1 url=$2; shift 2
  local c=${WRK_CONNECTIONS:-64} script=${WRK_SCRIPT:-$BENCH_DIR/report.lua}
  BENCH_DIR=$BENCH_DIR wrk -t2 -c"$c" -d3s -s "$script" "$url" >/dev/null 2>&1 || true
  # A 30 s timeout, not wrk's 2 s: a slow response is measured as slow, not dropped as a timeout.
  local cpu_before cpu_after result
  cpu_before=$(bench_cpu_ticks "${WRK_SERVER_PID:-}")
  BENCH_DIR=$BENCH_DIR wrk -t2 -c"$c" -d"${WRK_SECONDS:-10}"s --timeout 30s --latency -s "$script" "$@" "$url" >"$BENCH_TMP/wrk-$name.txt" 2>&1
  cpu_after=$(bench_cpu_ticks "${WRK_SERVER_PID:-}")
  result=$(grep '^RESULT ' "$BENCH_TMP/wrk-$name.txt" | cut -d' ' -f2-)
  [ -n "${WRK_SERVER_PID:-}" ] && result+=" cpu_us=$(awk -v t=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" \
    -v n="$(field "$result" requests)" 'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "0" }')"
  echo "$name $result"
}

# bench_cpu_ticks [PID]: the CPU time (user + system, in clock ticks) a process and its children (nginx's worker)
# have used so far; 0 without a PID. Divided by the requests served it gives CPU per request, a figure that, unlike
# requests/s, hardly moves with what else the machine is doing.
bench_cpu_ticks() {
  [ -n "${1:-}" ] || { echo 0; return; }
  local pid total=0
  for pid in "$1" $(pgrep -P "$1"); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

# bench_log_lines: lines in the app's file log so far.
bench_log_lines() { { cat "$APP_DIR"/data/logs/*.log 2>/dev/null || true; } | wc -l; }

# bench_curl_times URL…: fetches each URL in turn (one at a time) and prints "p50_ms=… p95_ms=… max_ms=… n=…".
bench_curl_times() {
  local url
  for url in "$@"; do curl -s -o /dev/null -w '%{time_total}\n' "$url"; done | sort -n | awk '
    { t[NR] = $1 * 1000 }
    END { printf "p50_ms=%.1f p95_ms=%.1f max_ms=%.1f n=%d\n", t[int((NR + 1) * 0.5)], t[int(NR * 0.95 + 0.5)], t[NR], NR }'
}

# field LINE KEY: the value of KEY=value in a result line.
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }
