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
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)   # the shared rate-limit tests count in a real Redis
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} for the tests…"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

# An SMTP server on a free loopback port, writing every message it receives to a Maildir; stopped on any exit.
smtp_dir=$(mktemp -d)
smtp_port=$("$smtp_python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$smtp_python" -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$smtp_dir/Maildir" &
smtp_pid=$!
# A Redis on another free loopback port: no persistence, bounded memory, run as the redis user; stopped on any exit too.
redis_dir=$(mktemp -d)
redis_port=$("$smtp_python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop_servers() {
  kill "$smtp_pid" 2>/dev/null || true
  redis-cli -h 127.0.0.1 -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$smtp_dir" "$redis_dir"
}
trap stop_servers EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break; sleep 0.1; done
export IBMINFO_TEST_SMTP_PORT="$smtp_port" IBMINFO_TEST_SMTP_MAILDIR="$smtp_dir/Maildir"
as_redis=()   # as root, run as Debian's redis user, never as root
if [ "$(id -u)" -eq 0 ]; then chown redis: "$redis_dir"; as_redis=(runuser -u redis --); fi
"${as_redis[@]}" redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
  --maxmemory 256mb --maxmemory-policy allkeys-lru --dir "$redis_dir" --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log"
for _ in $(seq 100); do redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
export IBMINFO_TEST_REDIS="127.0.0.1:$redis_port"

log=$(mktemp)
status=0
dotnet test IbmInfo.sln "$@" 2>&1 | tee "$log" || status=$?

# One closing line over all test projects: "Total: N passed, N failed, N skipped".
awk '/(Passed|Failed)!  - Failed:/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
       }
     }
     END { gsub(",", "", f); printf "Total: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
