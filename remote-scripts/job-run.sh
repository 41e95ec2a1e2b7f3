#!/bin/sh
# Runs a scheduled job once (the job agent at its time, or Helvetia at once): `sh -c COMMAND` in a
# throwaway container of the app's live image, with the live deployment's env, network, volumes and
# limits, bounded by JOB_TIME_LIMIT_S. The run is recorded in runs/ID (lib/jobs.sh): state running, then
# succeeded or failed with its exit code and duration, its output (standard output and error) through
# the secret filter into its log; the newest JOB_KEEP_RUNS runs are kept. A run while the previous one
# of the same job still runs is refused (JOB_BUSY). Reports: fact run=ID, fact exit=CODE.
#
# Usage: job-run.sh --prefix P --app A --job NAME [--trigger schedule|manual]
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
# shellcheck source=lib/secret-mask.sh
. "$here/lib/secret-mask.sh"
# shellcheck source=lib/deploy-options.sh
. "$here/lib/deploy-options.sh"
# shellcheck source=lib/deploy-volumes.sh
. "$here/lib/deploy-volumes.sh"

JOB_TIME_LIMIT_S=86400
prefix='' app='' job='' trigger=manual
parse_options 'prefix app job trigger' "$@"
job_paths "$prefix" "$app" "$job"
require trigger "$trigger" 'schedule|manual'
[ -f "$jobs_dir/$job.json" ] || fail JOB_NOT_FOUND "$app has no job $job" "See its jobs: helvetia jobs $app"
umask 077
step_running run "Running the job $job of $app"
exec 8>"$job_dir/lock"
flock -n 8 || fail JOB_BUSY "The previous run of $job still runs" 'Wait for it to finish (helvetia job runs).'

run_id=$(date -u +%Y%m%dT%H%M%SZ)-$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
run_dir=$runs_dir/$run_id
mkdir -p "$run_dir"
: >"$run_dir/log"
started_ms=$(now_ms)
state_set "$run_dir" id "$run_id" job "$job" trigger "$trigger" started_at "$(now_utc)" state running ||
  fail RECORD_WRITE_FAILED "The run of $job could not be recorded" "$RECORD_HINT"
fact run "$run_id"

# dk and deploy_fail, as lib/deploy-volumes.sh uses them.
dk() {
  timeout 120 docker "$@"
}
deploy_fail() {
  echo "$2" >>"$run_dir/log"
  code=''
  finish_run
  fail "$@"
}
# finish_run: records the outcome ($code: the exit code, empty when the container never ran).
finish_run() {
  run_state=failed
  [ "$code" != 0 ] || run_state=succeeded
  state_set "$run_dir" finished_at "$(now_utc)" duration_ms $(($(now_ms) - started_ms)) exit_code "$code" state "$run_state" || true
  find "$runs_dir" -mindepth 1 -maxdepth 1 -type d | sort -r | tail -n +$((JOB_KEEP_RUNS + 1)) | xargs -r rm -rf
}

current=$(cat "$current_file" 2>/dev/null || true)
[ -n "$current" ] || deploy_fail NOT_DEPLOYED "$app has no live deployment to run $job in" 'Deploy it first.'
dir=$deployments_dir/$current
load_options "$dir/request/options"
command=$(state_get "$job_dir" command)
prepare_volumes >/dev/null
set -- run --rm --name "$prefix-$app-job-$job-$run_id" --network "$prefix" --env-file "$dir/request/env" \
  --label "dev.helvetia.app=$app" --label "dev.helvetia.prefix=$prefix" --label "dev.helvetia.job=$job" --entrypoint sh
[ -z "$opt_memory" ] || set -- "$@" --memory "$opt_memory" --memory-swap "$opt_memory"
[ -z "$opt_cpus" ] || set -- "$@" --cpus "$opt_cpus"
[ -z "$opt_pids" ] || set -- "$@" --pids-limit "$opt_pids"
# shellcheck disable=SC2086 # --mount options, one a word
set -- "$@" $mount_args "$prefix/$app:$current" -c "$command"
{
  code=0
  timeout -k 10 "$JOB_TIME_LIMIT_S" docker "$@" </dev/null 2>&1 || code=$?
  echo "$code" >"$run_dir/code"
} | mask_filter "$dir/request/env" "$dir/request/secrets" >>"$run_dir/log"
code=$(cat "$run_dir/code" 2>/dev/null || echo 1)
rm -f "$run_dir/code"
finish_run
fact exit "$code"
if [ "$code" = 0 ]; then
  step_done run "$job succeeded"
else
  step_done run "$job failed (exit code $code)"
fi
