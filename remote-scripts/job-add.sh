#!/bin/sh
# Adds or replaces a scheduled job of an app (lib/jobs.sh) and makes sure the job agent runs and has
# read it: from then on the server runs it on time by itself. The command (one line, run with sh -c in
# a container of the app's live image) comes on standard input, so it is in no process list.
#
# Usage: job-add.sh --prefix P --app A --job NAME --cron 'M H DOM MON DOW' < COMMAND
# Reports: fact agent=<pid>, fact boot=crontab|none, changed=0|1.
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

prefix='' app='' job='' cron=''
parse_options 'prefix app job cron' "$@"
job_paths "$prefix" "$app" "$job"
umask 077

step_running job "Scheduling the job $job of $app"
cron_check "$cron" || fail INVALID_OPTION "Invalid cron expression: \"$cron\"" \
  'Expected five fields (minute hour day-of-month month day-of-week) of numbers, *, ranges, lists and steps, like "0 3 * * *".'
command=$(head -c 2001)
if [ "${#command}" -gt 2000 ] || ! matches "$command" '.+'; then
  fail INVALID_OPTION 'Invalid command: expected one line of at most 2000 characters' 'Give the command as one line, run with sh -c.'
fi
[ -d "$app_dir" ] || fail APP_NOT_FOUND "$app is not on this server" 'Deploy it first (helvetia deploy).'
mkdir -p "$runs_dir"
if [ "$(state_get "$job_dir" cron)" = "$cron" ] && [ "$(state_get "$job_dir" command)" = "$command" ]; then
  changed 0
else
  set -- name "$job" app "$app" cron "$cron" command "$command"
  [ -n "$(state_get "$job_dir" created_at)" ] || set -- "$@" created_at "$(now_utc)"
  { state_set "$job_dir" "$@" && cp "$job_dir/meta.json" "$jobs_dir/$job.json.$$" && mv -f "$jobs_dir/$job.json.$$" "$jobs_dir/$job.json"; } ||
    fail RECORD_WRITE_FAILED "The job $job could not be written" "$RECORD_HINT"
  changed 1
fi
step_done job "$job runs $cron (server time)"

step_running agent 'Starting the job agent'
ensure_job_agent "$prefix"
fact agent "$agent_pid"
fact boot "$agent_boot"
if [ "$agent_boot" = crontab ]; then
  step_done agent 'The job agent runs, and starts at boot (crontab @reboot)'
else
  step_done agent 'The job agent runs; no crontab here, so after a reboot provision the server or add a job to start it'
fi
