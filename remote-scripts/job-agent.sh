#!/bin/sh
# The job agent: runs the scheduled jobs of every app of this prefix on time, on the server by itself,
# with no desktop connected. It runs detached (job-add.sh and provisioning start it with setsid; the
# user's crontab starts it at boot where crontab exists), one per prefix, and hands over to a newer one
# (from newer scripts) once that one writes the pid file (jobs-agent/agent.pid, touched after each look).
#
# Once a minute, just after the minute turns, and whenever job-add.sh or job-remove.sh wakes it through
# the FIFO jobs-agent/agent.wake, it looks at each job's cron expression (lib/cron.sh) for the minutes
# since its last look and starts job-run.sh, detached, for each job due in them: once, however many of
# those minutes it was due in. So a look that comes late (a busy server) runs what it passed over, once;
# minutes more than CATCH_UP_S ago are not looked at, and neither are those before the agent started:
# a run missed while the server or the agent was down is not made up for; the next one comes on time.
# What it did goes to jobs-agent/agent.log (kept under AGENT_LOG_MAX bytes). It stops by itself when
# no job is left.
#
# Usage: job-agent.sh --prefix P
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
# shellcheck source=lib/jobs.sh
. "$here/lib/jobs.sh"
# shellcheck source=lib/cron.sh
. "$here/lib/cron.sh"

prefix=''
parse_options 'prefix' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
job_agent_paths "$prefix"
CATCH_UP_S=3600
AGENT_LOG_MAX=1048576
umask 077
mkdir -p "$jobs_agent_dir"
if [ ! -p "$agent_wake" ]; then
  rm -f "$agent_wake"
  mkfifo "$agent_wake" 2>/dev/null || [ -p "$agent_wake" ]
fi
# Read-write: opening never blocks, and a byte written while the agent is busy waits for the next wait.
exec 3<>"$agent_wake"

log() {
  printf '%s %s\n' "$(now_utc)" "$*" >>"$agent_log" 2>/dev/null || true
}

previous=$(cat "$agent_pid_file" 2>/dev/null || true)
echo "$$" >"$agent_pid_file"
log "Job agent $$ started (scripts in $here)"
printf x >&3
while [ "$previous" != "$$" ] && [ -n "$previous" ] && kill -0 "$previous" 2>/dev/null &&
  grep -q job-agent "/proc/$previous/cmdline" 2>/dev/null; do sleep 0.5; done

looked=$(($(date +%s) / 60 * 60))
while [ "$(cat "$agent_pid_file" 2>/dev/null || true)" = "$$" ]; do
  jobs=$(find "$helvetia_dir/apps" -mindepth 3 -maxdepth 3 -path '*/jobs/*.json' -type f 2>/dev/null || true)
  [ -n "$jobs" ] || break
  now=$(($(date +%s) / 60 * 60))
  minute=$((looked + 60))
  [ "$minute" -ge $((now - CATCH_UP_S)) ] || minute=$((now - CATCH_UP_S))
  due=''
  while [ "$minute" -le "$now" ]; do
    # shellcheck disable=SC2046 # five numbers: minute hour day month weekday, the server's time
    set -- $(date -d "@$minute" '+%M %H %d %m %w')
    for record in $jobs; do
      case " $due " in *" $record "*) continue ;; esac
      cron_check "$(state_get "${record%.json}" cron)" "$@" && due="$due $record"
    done
    minute=$((minute + 60))
  done
  looked=$now
  for record in $due; do
    job=${record##*/}
    job=${job%.json}
    app=${record%/jobs/*}
    app=${app##*/}
    if ! matches "$app" "$APP_PATTERN" || ! matches "$job" "$JOB_NAME_PATTERN"; then continue; fi
    log "$app: running $job"
    # Not handed the FIFO: what the run starts must not hold it.
    setsid sh "$here/job-run.sh" --prefix "$prefix" --app "$app" --job "$job" --trigger schedule \
      </dev/null >/dev/null 2>>"$agent_log" 3>&- &
  done
  # Its time says when the agent last looked: one that hangs shows.
  touch "$agent_pid_file" 2>/dev/null || true
  if [ "$(wc -c <"$agent_log" 2>/dev/null || echo 0)" -gt "$AGENT_LOG_MAX" ]; then
    if tail -n 2000 "$agent_log" >"$agent_log.$$" 2>/dev/null; then cat "$agent_log.$$" >"$agent_log" 2>/dev/null || true; fi
    rm -f "$agent_log.$$"
  fi
  # Until just after the next minute turns, or a wake.
  timeout $((61 - $(date +%s) % 60)) dd bs=4096 count=1 of=/dev/null <&3 2>/dev/null || true
done
log "Job agent $$ stopped"
