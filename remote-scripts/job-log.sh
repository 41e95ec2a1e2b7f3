#!/bin/sh
# Prints the log of one run of a job (masked by the secret filter when it was written).
#
# Usage: job-log.sh --prefix P --app A --job NAME --run ID
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

prefix='' app='' job='' run=''
parse_options 'prefix app job run' "$@"
job_paths "$prefix" "$app" "$job"
require run "$run" "$JOB_RUN_ID_PATTERN" 'a run id, as helvetia job runs shows it'
[ -d "$runs_dir/$run" ] || fail JOB_RUN_NOT_FOUND "$job of $app has no run $run" "See its runs: helvetia job runs $app $job"
cat "$runs_dir/$run/log" 2>/dev/null || true
