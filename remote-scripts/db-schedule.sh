#!/bin/sh
# Sets or removes a database's backup schedule on this server (db_schedule, see lib/db-schedule.sh)
# and makes sure the backup agent (backup-agent.sh) runs and has read it: from then on the server
# backs the database up by itself.
#
# Usage: db-schedule.sh --prefix P --database D --action set --every N(m|h|d) [--at HH:MM] --target T
#          --keep-daily N --keep-weekly N --keep-monthly N [--drill-every N(m|h|d)|off] [--webhook URL]
#        db-schedule.sh --prefix P --database D --action remove
# The target's 0600 file must be on the server already (the backup helper installs it).
# Reports: fact agent=<pid> and fact boot=crontab|none (set), changed=0|1.
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
# shellcheck source=lib/agent.sh
. "$here/lib/agent.sh"
# shellcheck source=lib/db-schedule.sh
. "$here/lib/db-schedule.sh"

prefix='' database='' action='' every='' at='' target='' keep_daily='' keep_weekly='' keep_monthly=''
drill_every=7d webhook=''
parse_options 'prefix database action every at target keep-daily keep-weekly keep-monthly drill-every webhook' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require database "$database" "$APP_PATTERN"
require action "$action" 'set|remove'
database_paths "$prefix" "$database"
umask 077

if [ "$action" = remove ]; then
  step_running schedule "Removing the backup schedule of $database"
  if [ -f "$db_schedule" ]; then
    rm -f "$db_schedule" "$db_schedule_state"
    changed 1
    # With no schedule left the agent stops; woken, it sees so now.
    wake_backup_agent
    step_done schedule "$database is backed up on demand only"
  else
    changed 0
    step_skipped schedule "$database had no backup schedule"
  fi
  exit 0
fi

step_running schedule "Scheduling backups of $database"
[ -f "$db_record" ] || fail DATABASE_NOT_FOUND "No database $database on this server" 'See helvetia db list for the databases there are.'
require every "$every" "$INTERVAL_PATTERN" 'a number followed by m, h or d: 30m, 6h, 1d'
if [ -n "$at" ]; then
  require at "$at" "$CLOCK_TIME_PATTERN" 'a 24-hour time of day, HH:MM'
  case $every in *d) ;; *) fail INVALID_OPTION "--at $at needs an interval in days, not $every" 'Give --every 1d (or more days), or leave --at out.' ;; esac
fi
require target "$target" "$APP_PATTERN" 'the name of a backup target'
[ -f "$backup_targets_dir/$target" ] || fail BACKUP_TARGET_NOT_FOUND "The backup target $target has no settings file on this server" \
  'Schedule through Helvetia, which installs it (helvetia db backup schedule), or back up to it once.'
require keep-daily "$keep_daily" '[0-9]{1,4}' 'a number of backups'
require keep-weekly "$keep_weekly" '[0-9]{1,4}' 'a number of backups'
require keep-monthly "$keep_monthly" '[0-9]{1,4}' 'a number of backups'
[ "$drill_every" = off ] || require drill-every "$drill_every" "$INTERVAL_PATTERN" 'off or a number followed by m, h or d: 7d'
[ -z "$webhook" ] || require webhook "$webhook" "$WEBHOOK_URL_PATTERN" 'an http:// or https:// URL'

schedule=$(printf 'every=%s\nat=%s\ntarget=%s\nkeep_daily=%s\nkeep_weekly=%s\nkeep_monthly=%s\ndrill_every=%s\nwebhook=%s' \
  "$every" "$at" "$target" "$keep_daily" "$keep_weekly" "$keep_monthly" "$drill_every" "$webhook")
if [ "$(cat "$db_schedule" 2>/dev/null || true)" = "$schedule" ]; then
  changed 0
else
  { printf '%s\n' "$schedule" >"$db_schedule.$$" && mv -f "$db_schedule.$$" "$db_schedule"; } ||
    fail SCRIPT_FAILED "Cannot write $db_schedule" "$RECORD_HINT"
  changed 1
fi
# `since` stays when the schedule changes: it dates the first one, for the staleness of a database
# that never had a good backup.
[ -n "$(kv_get "$db_schedule_state" since)" ] || kv_set "$db_schedule_state" since "$(date +%s)" ||
  fail SCRIPT_FAILED "Cannot write $db_schedule_state" "$RECORD_HINT"
step_done schedule "Backups of $database every $every${at:+ at $at} to $target"

step_running agent 'Starting the backup agent'
ensure_backup_agent "$prefix"
fact agent "$agent_pid"
fact boot "$agent_boot"
if [ "$agent_boot" = crontab ]; then
  step_done agent 'The backup agent runs, and starts at boot (crontab @reboot)'
else
  step_done agent 'The backup agent runs; no crontab here, so after a reboot provision the server or schedule again to start it'
fi
