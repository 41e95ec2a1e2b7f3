#!/bin/sh
# Prints the kept runs of a job, newest first, one meta.json (a line of JSON) each.
#
# Usage: job-runs.sh --prefix P --app A --job NAME
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
[ -f "$jobs_dir/$job.json" ] || fail JOB_NOT_FOUND "$app has no job $job" "See its jobs: helvetia jobs $app"
for run in $(find "$runs_dir" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort -r); do
  cat "$run/meta.json" 2>/dev/null || true
done
