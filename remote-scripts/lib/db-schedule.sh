# A database's backup schedule on the server, read by the backup agent (backup-agent.sh) and by what
# reports on the database. Two files of database_paths (lib/rules.sh):
#   db_schedule        every= at= target= keep_daily= keep_weekly= keep_monthly= drill_every= webhook=
#                      (KEY=value lines, written by db-schedule.sh)
#   db_schedule_state  since= (when it was first scheduled), last_run= last_drill= (epoch seconds),
#                      last_result= (verified|failed), last_backup= (ID), stale_notified= (0|1)
# Sourced after lib/progress.sh, lib/rules.sh, lib/validate.sh, lib/backup-store.sh (json_field) and
# lib/agent.sh;
# defines functions only.
# shellcheck shell=sh disable=SC2034,SC2154 # read_schedule sets variables for the scripts that source this file; server_paths sets databases_dir

# kv_get FILE KEY: the value of the last KEY= line of FILE (empty when there is none).
kv_get() {
  sed -n "s/^$2=//p" "$1" 2>/dev/null | tail -n 1
}

# kv_set FILE KEY VALUE [KEY VALUE]...: sets each KEY in FILE (line breaks in values flattened),
# written beside it and renamed over it, so a failed write (a full disk) leaves it as it was.
kv_set() {
  kv_file=$1
  shift
  LC_ALL=C awk '
    BEGIN {
      for (i = 2; i + 1 < ARGC; i += 2) { v = ARGV[i + 1]; gsub(/[\r\n]/, " ", v); update[ARGV[i]] = v; order[++c] = ARGV[i] }
      while ((getline line < ARGV[1]) > 0) {
        eq = index(line, "=")
        if (eq > 1 && (substr(line, 1, eq - 1) in update)) continue
        print line
      }
      for (i = 1; i <= c; i++) print order[i] "=" update[order[i]]
    }' "$kv_file" "$@" >"$kv_file.$$" && mv -f "$kv_file.$$" "$kv_file" && return
  rm -f "$kv_file.$$"
  return 1
}

# interval_seconds N(m|h|d): the interval in seconds.
interval_seconds() {
  case $1 in
    *m) echo $((${1%m} * 60)) ;;
    *h) echo $((${1%h} * 3600)) ;;
    *d) echo $((${1%d} * 86400)) ;;
  esac
}

# read_schedule FILE: sets every, at, target, keep_daily, keep_weekly, keep_monthly, drill_every and
# webhook from FILE, each checked as db-schedule.sh checked it; fails (returns 1) on any that is not.
read_schedule() {
  every=$(kv_get "$1" every) at=$(kv_get "$1" at) target=$(kv_get "$1" target)
  keep_daily=$(kv_get "$1" keep_daily) keep_weekly=$(kv_get "$1" keep_weekly)
  keep_monthly=$(kv_get "$1" keep_monthly) drill_every=$(kv_get "$1" drill_every) webhook=$(kv_get "$1" webhook)
  matches "$every" "$INTERVAL_PATTERN" && matches "$target" "$APP_PATTERN" &&
    { [ -z "$at" ] || matches "$at" "$CLOCK_TIME_PATTERN"; } &&
    matches "$keep_daily" '[0-9]{1,4}' && matches "$keep_weekly" '[0-9]{1,4}' && matches "$keep_monthly" '[0-9]{1,4}' &&
    { [ "$drill_every" = off ] || matches "$drill_every" "$INTERVAL_PATTERN"; } &&
    { [ -z "$webhook" ] || matches "$webhook" "$WEBHOOK_URL_PATTERN"; }
}

# backup_due NOW LAST SINCE EVERY [AT]: a backup is due at NOW (epoch seconds) when the last run
# (LAST; empty: never) is an interval EVERY ago, or it never ran. With AT (HH:MM, server time; EVERY in
# days) it is due once per day's AT that is after the last run (or after SINCE, when the schedule
# began, for the first) and at least the interval less a day after the last run. Only the last run
# counts: a schedule that missed ten runs (the server was down) is due once, not ten times.
backup_due() {
  due_seconds=$(interval_seconds "$4")
  matches "$2" '[0-9]{1,12}' || set -- "$1" '' "$3" "$4" "${5-}"
  if [ -z "${5-}" ]; then
    [ -z "$2" ] || [ $(($1 - $2)) -ge "$due_seconds" ]
    return
  fi
  # The last AT at or before NOW. 1HH - 100: HH without the leading zero that would make it octal.
  # shellcheck disable=SC2046 # three numbers
  set -- "$@" $(date '+%H %M %S')
  due_slot=$(($1 - (1$6 - 100) * 3600 - (1$7 - 100) * 60 - (1$8 - 100) + (1${5%:*} - 100) * 3600 + (1${5#*:} - 100) * 60))
  [ "$due_slot" -le "$1" ] || due_slot=$((due_slot - 86400))
  due_reference=${2:-$3}
  matches "$due_reference" '[0-9]{1,12}' || due_reference=0
  [ "$due_reference" -lt "$due_slot" ] && { [ -z "$2" ] || [ $((due_slot - $2)) -gt $((due_seconds - 86400)) ]; }
}

# newest_verified BACKUPS_DIR: the id of the newest backup run recorded as verified (ids sort by time).
newest_verified() {
  # shellcheck disable=SC2012 # ids are [0-9A-Za-z-] only
  ls "$1" 2>/dev/null | sed -n 's/\.json$//p' | sort -r | while IFS= read -r newest_id; do
    if [ "$(json_field "$1/$newest_id.json" state 2>/dev/null)" = verified ]; then
      printf '%s\n' "$newest_id"
      break
    fi
  done
}

# backup_stale SCHEDULE STATE BACKUPS_DIR [NOW]: the database has a schedule and its last good backup
# is older than 1.5 times the interval, or there is none and the schedule is older than that.
backup_stale() {
  stale_every=$(kv_get "$1" every)
  matches "$stale_every" "$INTERVAL_PATTERN" || return 1
  stale_now=${4:-$(date +%s)}
  stale_limit=$((stale_now - $(interval_seconds "$stale_every") * 3 / 2))
  stale_id=$(newest_verified "$3")
  if [ -z "$stale_id" ]; then
    stale_since=$(kv_get "$2" since)
    matches "$stale_since" '[0-9]{1,12}' && [ "$stale_since" -lt "$stale_limit" ]
    return
  fi
  # An id starts with its UTC time, YYYYMMDDTHHMMSSZ: as digits it compares with the limit's.
  stale_digits=$(printf '%s' "$stale_id" | cut -c 1-16 | tr -d 'TZ')
  [ "$stale_digits" -lt "$(date -u -d "@$stale_limit" +%Y%m%d%H%M%S)" ]
}

# wake_backup_agent: a byte on the agent's FIFO ends its wait (server_paths first; lib/agent.sh).
wake_backup_agent() {
  wake_agent "$databases_dir"
}

# ensure_backup_agent PREFIX: the backup agent of this prefix runs and has read the schedules
# (lib/agent.sh's ensure_agent). Sets agent_pid and agent_boot (crontab|none).
ensure_backup_agent() {
  server_paths "$1"
  ensure_agent backup-agent.sh "$1" "$databases_dir"
}
