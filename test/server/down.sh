#!/usr/bin/env bash
# Tears down what test/server/up.sh brought up. Safe when nothing is up.
#   - stops the two test sshds (only those running with our config files) and their sessions,
#   - removes the containers tests left behind: label helvetia.test=1 or name prefix helvetia-test-,
#   - stops dockerd, but only if up.sh started it (marker $STATE/dockerd.started-by-up).
# Kept on purpose, so the next up.sh is fast and the host key fingerprint stays the same:
# the base images helvetia-test/*, the user helvetia-test, and the keys in the state dir.
# To remove everything: run this, then `docker rmi` the helvetia-test/* images,
# `userdel -r helvetia-test` and `rm -rf "$STATE"`.
set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/server/lib.sh
. "$SCRIPT_DIR/lib.sh"

[[ $(id -u) -eq 0 ]] || die "not root"

if [[ ! -d $STATE ]]; then
  log "nothing to do: no state dir $STATE"
  exit 0
fi

exec 9>"$LOCK_FILE"
flock -w 600 9 || die "another up.sh or down.sh holds $LOCK_FILE"

for name in "${SSHD_NAMES[@]}"; do
  stop_sshd "$name"
done

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  mapfile -t containers < <(
    {
      docker ps -aq --no-trunc --filter label=helvetia.test=1
      docker ps -a --no-trunc --format '{{.ID}} {{.Names}}' | awk '$2 ~ /^helvetia-test-/ { print $1 }'
    } | sort -u
  )
  if ((${#containers[@]} > 0)); then
    docker rm -f "${containers[@]}" >/dev/null || log "could not remove some containers"
    log "removed ${#containers[@]} test container(s)"
  fi
fi

if [[ -e $STATE/dockerd.started-by-up ]]; then
  pid=$(cat "$STATE/dockerd.pid" 2>/dev/null || true)
  if [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q '^dockerd '; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 300; i++)); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      log "dockerd (pid $pid) did not stop within 30s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "dockerd stopped (pid $pid)"
  fi
  rm -f "$STATE/dockerd.started-by-up" "$STATE/dockerd.pid"
fi

rm -f "$STATE/env" "$OWNED_BY_RUNS"
log "test server down (images, user and keys kept)"
