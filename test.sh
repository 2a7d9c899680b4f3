#!/usr/bin/env bash
# Runs every test: the content library, the pages over HTTP, and the browser tests in a real Chromium.
# Installs what the tests need when it is missing (Debian's Chromium and fonts; run as root or with sudo).
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)   # the alert card tests scan its QR code
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
# The mail tests send through a real SMTP server: Debian's aiosmtpd, run by Debian's own Python.
smtp_python=/usr/bin/python3
"$smtp_python" -c 'import aiosmtpd' >/dev/null 2>&1 || need+=(python3-aiosmtpd)
# The publishing, review, editing, search and page tests run a second time on a real PostgreSQL.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)   # the shared rate-limit tests count in a real Redis
# The multi-node test puts nginx in front of two app processes.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} for the tests…"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

free_port() { "$smtp_python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
stop_servers() {
  [ -n "${smtp_pid:-}" ] && kill "$smtp_pid" 2>/dev/null || true
  [ -n "${redis_port:-}" ] && redis-cli -h 127.0.0.1 -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  [ -n "${pg_dir:-}" ] && "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "${smtp_dir:-}" "${redis_dir:-}" "${pg_dir:-}"
}
trap stop_servers EXIT

# An SMTP server on a free loopback port, writing every message it receives to a Maildir.
smtp_dir=$(mktemp -d)
smtp_port=$(free_port)
"$smtp_python" -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$smtp_dir/Maildir" &
smtp_pid=$!
# A Redis on another free loopback port: no persistence, bounded memory, run as the redis user.
redis_dir=$(mktemp -d)
redis_port=$(free_port)
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break; sleep 0.1; done
export IBMINFO_TEST_SMTP_PORT="$smtp_port" IBMINFO_TEST_SMTP_MAILDIR="$smtp_dir/Maildir"
as_redis=()   # as root, run as Debian's redis user, never as root
if [ "$(id -u)" -eq 0 ]; then chown redis: "$redis_dir"; as_redis=(runuser -u redis --); fi
"${as_redis[@]}" redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
  --maxmemory 256mb --maxmemory-policy allkeys-lru --dir "$redis_dir" --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log"
for _ in $(seq 100); do redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
export IBMINFO_TEST_REDIS="127.0.0.1:$redis_port"

# A throwaway PostgreSQL cluster on a free loopback port (no fsync: its data is thrown away afterwards).
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_dir=$(mktemp -d)
pg_port=$(free_port)
as_postgres=()   # as root, run as Debian's postgres user (PostgreSQL refuses to run as root)
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$pg_dir"; as_postgres=(runuser -u postgres --); fi
"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
export IBMINFO_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres"

log=$(mktemp)
status=0
dotnet test IbmInfo.sln "$@" 2>&1 | tee "$log" || status=$?
# Again on PostgreSQL: every test that runs the app's database work through its pages and services (a filter given
# to this script is used instead).
pg_tests=(--filter "FullyQualifiedName~IbmInfo.Web.Tests.Publishing.|FullyQualifiedName~IbmInfo.Web.Tests.Pages.")
[ $# -gt 0 ] && pg_tests=()
echo "The publishing, review, editing, search and page tests on PostgreSQL:"
IBMINFO_TEST_DATABASE=PostgreSql dotnet test tests/IbmInfo.Web.Tests --no-build "${pg_tests[@]}" "$@" 2>&1 | tee -a "$log" || status=$?

# One closing line over all test projects: "Total: N passed, N failed, N skipped".
awk '/(Passed|Failed)!  - Failed:/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
       }
     }
     END { gsub(",", "", f); printf "Total: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
