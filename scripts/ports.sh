# Sourced by tests/run.sh, bench/run.sh and soak/run.sh: a free loopback port, and waiting for a
# process to listen on one.

# free_port: prints a loopback port nothing listens on, below the ephemeral range (32768-60999)
# so that no outgoing connection takes it meanwhile.
free_port() {
  local port
  while :; do
    port=$((10000 + RANDOM % 22000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# wait_listening PORT [SECONDS]: waits, a tenth of a second at a time, until something listens on
# PORT; returns non-zero when nothing does within SECONDS (30).
wait_listening() {
  local tries=$((${2:-30} * 10))
  for _ in $(seq 1 "$tries"); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
