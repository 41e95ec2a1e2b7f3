#!/bin/sh
# Removes a scheduled job of an app with its runs; the job agent, woken, stops when no job is left.
#
# Usage: job-remove.sh --prefix P --app A --job NAME
# Reports: changed=0|1.
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

prefix='' app='' job=''
parse_options 'prefix app job' "$@"
job_paths "$prefix" "$app" "$job"

step_running job "Removing the job $job of $app"
[ -f "$jobs_dir/$job.json" ] || fail JOB_NOT_FOUND "$app has no job $job" "See its jobs: helvetia jobs $app"
rm -f "$jobs_dir/$job.json"
rm -rf "$job_dir"
job_agent_paths "$prefix"
[ ! -p "$agent_wake" ] || printf x 2>/dev/null 1<>"$agent_wake" || true
changed 1
step_done job "Removed $job and its runs"
