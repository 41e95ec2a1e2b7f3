#!/bin/sh
# The backup agent: runs the backups (and restore drills) the databases' schedules ask for, on the
# server by itself, with no desktop connected. It runs detached (db-schedule.sh and provisioning start
# it with setsid; the user's crontab starts it at boot where crontab exists), one per prefix.
#
# Each minute, and whenever db-schedule.sh wakes it through the FIFO databases/agent.wake, it looks at
# every database's schedule (lib/db-schedule.sh) and its state (when it last ran):
#   - a backup is due once an interval passed since the last run (with --at, at that time of day), or
#     at once for a schedule that never ran. A run missed while the server or the agent was down runs
#     once when the agent is back: the last run time is all it compares, so missing ten intervals is
#     one run, not ten. A due run is db-backup.sh, then db-retention.sh with the schedule's keep-*.
#   - a restore drill (db-drill.sh of the newest verified backup) is due every drill interval.
#   - a database whose last good backup is older than 1.5 times its interval is stale.
# The webhook, when the schedule has one, hears of a failed backup and (once) of a database going
# stale. Each backup run is recorded by db-backup.sh (db_backups_dir); what the agent did goes to
# databases/agent.log, kept under AGENT_LOG_MAX bytes. It stops by itself when no schedule is left,
# and hands over to a newer agent (one from newer scripts) once that one writes the pid file
# (databases/agent.pid, touched after each look).
#
# Usage: backup-agent.sh --prefix P
# shellcheck source-path=SCRIPTDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/progress.sh
. "$here/lib/progress.sh"
# shellcheck source=lib/rules.sh
. "$here/lib/rules.sh"
# shellcheck source=lib/validate.sh
. "$here/lib/validate.sh"
# shellcheck source=lib/deploy-common.sh
. "$here/lib/deploy-common.sh"
# shellcheck source=lib/backup-store.sh
. "$here/lib/backup-store.sh"
# shellcheck source=lib/agent.sh
. "$here/lib/agent.sh"
# shellcheck source=lib/db-schedule.sh
. "$here/lib/db-schedule.sh"

prefix=''
parse_options 'prefix' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
server_paths "$prefix"
pid_file=$databases_dir/agent.pid
log_file=$databases_dir/agent.log
wake=$databases_dir/agent.wake
WAKE_S=60
AGENT_LOG_MAX=1048576
# The longest a backup, retention or drill may take before the agent gives up on it.
RUN_LIMIT_S=86400
umask 077
mkdir -p "$databases_dir"

if [ ! -p "$wake" ]; then
  rm -f "$wake"
  mkfifo "$wake" 2>/dev/null || [ -p "$wake" ]
fi
# Read-write: opening never blocks, and a byte written while the agent is busy waits for the next wait.
exec 3<>"$wake"

# The log is a convenience: a line a full disk refuses is dropped.
log() {
  printf '%s %s\n' "$(now_utc)" "$*" >>"$log_file" 2>/dev/null || true
}

is_agent() {
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null && grep -q backup-agent "/proc/$1/cmdline" 2>/dev/null
}

# step_failure OUTPUT: the failed step's message and code, from a script's progress lines.
step_failure() {
  printf '%s\n' "$1" | sed -n 's/^::helvetia:: step=[^ ]* status=failed code=\([^ ]*\) \(.*\)$/\2 (\1)/p' | tail -n 1
}

# notify EVENT MESSAGE: POSTs {database, server, event, at, message} to the schedule's webhook, with
# curl or wget where the server has one, else wget in a throwaway container of the proxy's image
# (Caddy's and Traefik's official images carry busybox's wget). Best effort: a webhook that does not
# answer is logged, never retried. The body holds no secret; the URL goes to curl on its standard
# input, so it is not in the process list.
notify() {
  [ -n "$webhook" ] || return 0
  body="{\"database\":$(json_string "$database"),\"server\":$(json_string "$(hostname)"),\"event\":$(json_string "$1"),\"at\":$(json_string "$(now_utc)"),\"message\":$(json_string "$2")}"
  sent=0
  if command -v curl >/dev/null 2>&1; then
    printf 'url = "%s"\n' "$webhook" |
      curl -fsS -m 30 -o /dev/null -H 'Content-Type: application/json' --data-binary "$body" -K - 2>/dev/null || sent=$?
  elif command -v wget >/dev/null 2>&1; then
    wget -q -T 30 -O /dev/null --header 'Content-Type: application/json' --post-data "$body" "$webhook" 2>/dev/null || sent=$?
  else
    image=$(timeout 30 docker inspect -f '{{.Config.Image}}' "$prefix-proxy" 2>/dev/null) &&
      timeout 60 docker run --rm --network host --entrypoint wget "$image" -q -T 30 -O /dev/null \
        --header 'Content-Type: application/json' --post-data "$body" "$webhook" >/dev/null 2>&1 || sent=$?
  fi
  if [ "$sent" = 0 ]; then log "$database: told the webhook: $1"; else log "$database: the webhook did not take $1 (exit $sent)"; fi
}

# run NAME SCRIPT ARGS...: runs one of the database scripts, bounded; sets output and run_code.
run() {
  run_name=$1 run_script=$2
  shift 2
  run_code=0
  # Not handed the FIFO: what the script starts must not hold it.
  output=$(timeout -k 60 "$RUN_LIMIT_S" sh "$here/$run_script" "$@" 2>&1 </dev/null 3>&-) || run_code=$?
  [ "$run_code" = 0 ] || log "$database: $run_name failed: $(step_failure "$output")"
}

backup() {
  kv_set "$db_schedule_state" last_run "$(date +%s)" || log "$database: cannot write its schedule state"
  log "$database: backing up to $target"
  run backup db-backup.sh --prefix "$prefix" --database "$database" --target "$target"
  if [ "$run_code" != 0 ]; then
    kv_set "$db_schedule_state" last_result failed || true
    reason=$(step_failure "$output")
    notify backup-failed "The scheduled backup to $target failed: ${reason:-exit code $run_code}"
    return
  fi
  id=$(printf '%s\n' "$output" | sed -n 's/^::helvetia:: fact id=//p' | tail -n 1)
  log "$database: backup $id to $target verified"
  kv_set "$db_schedule_state" last_result verified last_backup "$id" || true
  run retention db-retention.sh --prefix "$prefix" --database "$database" --target "$target" \
    --keep-daily "$keep_daily" --keep-weekly "$keep_weekly" --keep-monthly "$keep_monthly"
  [ "$run_code" != 0 ] || log "$database: retention on $target done"
}

drill() {
  [ "$drill_every" != off ] || return 0
  now=$1
  last=$(kv_get "$db_schedule_state" last_drill)
  matches "$last" '[0-9]{1,12}' || last=$(kv_get "$db_schedule_state" since)
  matches "$last" '[0-9]{1,12}' || last=0
  [ $((now - last)) -ge "$(interval_seconds "$drill_every")" ] || return 0
  newest=$(newest_verified "$db_backups_dir")
  [ -n "$newest" ] || return 0
  kv_set "$db_schedule_state" last_drill "$now" || true
  run drill db-drill.sh --prefix "$prefix" --database "$database" --backup "$newest"
  [ "$run_code" = 0 ] || return 0
  # A drill that ran records its outcome (db_drills_dir); counts that differ are not a failed script.
  case $(printf '%s\n' "$output" | sed -n 's/^::helvetia:: fact ok=//p' | tail -n 1) in
    1) log "$database: restore drill of $newest passed" ;;
    *) log "$database: restore drill of $newest found other counts than its manifest" ;;
  esac
}

# stale_check: tells the webhook once when the database goes stale; again only after it was fresh.
stale_check() {
  told=$(kv_get "$db_schedule_state" stale_notified)
  if backup_stale "$db_schedule" "$db_schedule_state" "$db_backups_dir"; then
    [ "$told" != 1 ] || return 0
    log "$database: stale (no good backup within 1.5 times $every)"
    notify backup-stale "No verified backup of $database within 1.5 times its interval ($every)"
    kv_set "$db_schedule_state" stale_notified 1 || true
  elif [ "$told" = 1 ]; then
    kv_set "$db_schedule_state" stale_notified 0 || true
  fi
}

# look_at DATABASE: what its schedule asks for now.
look_at() {
  database=$1
  database_paths "$prefix" "$database"
  if ! read_schedule "$db_schedule"; then
    log "$database: its schedule is malformed; schedule it again"
    return
  fi
  now=$(date +%s)
  if backup_due "$now" "$(kv_get "$db_schedule_state" last_run)" "$(kv_get "$db_schedule_state" since)" "$every" "$at"; then
    backup
  fi
  drill "$now"
  stale_check
}

previous=$(cat "$pid_file" 2>/dev/null || true)
echo "$$" >"$pid_file"
log "Backup agent $$ started (scripts in $here)"
# An agent replaced by this one finishes what it is on first; a byte ends its wait.
printf x >&3
while [ "$previous" != "$$" ] && is_agent "$previous"; do sleep 0.5; done

while [ "$(cat "$pid_file" 2>/dev/null || true)" = "$$" ]; do
  scheduled=0
  for schedule in "$databases_dir"/*/schedule; do
    [ -f "$schedule" ] || continue
    name=${schedule%/schedule}
    name=${name##*/}
    matches "$name" "$APP_PATTERN" || continue
    scheduled=1
    look_at "$name"
  done
  [ "$scheduled" = 1 ] || break
  # Its time says when the agent last looked: one that hangs shows.
  touch "$pid_file" 2>/dev/null || true
  if [ "$(wc -c <"$log_file" 2>/dev/null || echo 0)" -gt "$AGENT_LOG_MAX" ]; then
    # Rewritten in place: the lines this agent's standard error appends keep going to it.
    if tail -n 2000 "$log_file" >"$log_file.$$" 2>/dev/null; then cat "$log_file.$$" >"$log_file" 2>/dev/null || true; fi
    rm -f "$log_file.$$"
  fi
  timeout "$WAKE_S" dd bs=4096 count=1 of=/dev/null <&3 2>/dev/null || true
done
log "Backup agent $$ stopped"
