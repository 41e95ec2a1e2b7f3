#!/usr/bin/env bash
# Stops, starts or restarts a test sshd on the same port, with the same host key and config.
# Usage: restart-sshd.sh [restart|stop|start] [--which main|maxsessions2] [--keep-sessions]
#                        [--down-seconds N]
#   restart (default)  stop, wait --down-seconds (default 0), start again on the same port
#   --keep-sessions    only the listening sshd goes; open connections stay (like systemd's
#                      `systemctl restart ssh` with KillMode=process). Without it, open
#                      connections and what they run are ended too, as if the server went away.
# Updates HELVETIA_TEST_SSHD_PID* in $STATE/env. Needs a prior test/server/up.sh.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/server/lib.sh
. "$SCRIPT_DIR/lib.sh"

action=restart
which=main
mode=""
down_seconds=0
while (($# > 0)); do
  case $1 in
    restart | stop | start) action=$1 ;;
    --which)
      which=${2:?--which needs main or maxsessions2}
      shift
      ;;
    --keep-sessions) mode=keep-sessions ;;
    --down-seconds)
      down_seconds=${2:?--down-seconds needs a number}
      shift
      ;;
    -h | --help)
      sed -n '2,9p' "$0"
      exit 0
      ;;
    *) die "unknown argument: $1" ;;
  esac
  shift
done
[[ $which == main || $which == maxsessions2 ]] || die "--which must be main or maxsessions2"
[[ $down_seconds =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--down-seconds must be a number"

[[ $(id -u) -eq 0 ]] || die "not root"
[[ -s $(sshd_config_path "$which") && -s $(sshd_port_path "$which") ]] ||
  die "no sshd ($which) config in $STATE: run test/server/up.sh first"

exec 9>"$LOCK_FILE"
flock -w 600 9 || die "another up.sh or down.sh holds $LOCK_FILE"

if [[ $action == stop || $action == restart ]]; then
  stop_sshd "$which" "$mode"
fi
if [[ $action == restart ]] && [[ $down_seconds != 0 ]]; then
  sleep "$down_seconds"
fi
if [[ $action == start || $action == restart ]]; then
  if pid=$(sshd_running_pid "$which"); then
    log "sshd ($which) already running, pid $pid"
  else
    port=$(<"$(sshd_port_path "$which")")
    port_in_use "$port" && die "port $port is taken by another process; cannot start sshd ($which)"
    start_sshd "$which"
  fi
fi
if [[ -s $STATE/env ]]; then
  write_env
fi
