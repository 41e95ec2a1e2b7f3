#!/bin/sh
# Supervises one deployment of an app: the process deploy-start.sh detaches (setsid). It runs
# deploy-run.sh under an overall deadline with its output masked into DIR/log, and records the
# deployment as failed if the run died without finishing (killed, timed out).
#
# Usage: deploy-supervise.sh --prefix P --app A --id ID
# DIR is ~/.P/apps/A/deployments/ID; deploy-start.sh put the request (options, env, ...) in DIR/request.
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
# shellcheck source=lib/secret-mask.sh
. "$here/lib/secret-mask.sh"
# shellcheck source=lib/deploy-options.sh
. "$here/lib/deploy-options.sh"
# shellcheck source=lib/deploy-lock.sh
. "$here/lib/deploy-lock.sh"

prefix='' app='' id=''
parse_options 'prefix app id' "$@"
open_deployment
umask 077
container=$prefix-$app-$id

echo "$$" >"$dir/pid"
health_budget=$((opt_health_start + (opt_health_interval + opt_health_timeout) * (opt_health_retries + 1)))
# A release command may take as long as the build (lib/deploy-release-command.sh).
release_budget=0
[ ! -s "$dir/request/release-command" ] || release_budget=$opt_build_timeout
deadline=$((opt_lock_timeout + opt_build_timeout + release_budget + health_budget + opt_drain + 600))
# Not under `set -e`: whatever happens to the run, the record is finished below.
set +e
supervised_at=$(date +%s)
run=deploy-run.sh
# A compose app's deployment (stack-run.sh).
[ -z "$opt_compose_file" ] || run=stack-run.sh
timeout -k 15 "$deadline" sh "$here/$run" --prefix "$prefix" --app "$app" --id "$id" </dev/null 2>&1 |
  mask_filter "$dir/request/env" "$dir/request/secrets" >>"$dir/log"
set -e
status=$(state_get "$dir" status)
if { [ "$status" = running ] || [ "$status" = queued ]; } && [ "$(cat "$current_file" 2>/dev/null || true)" = "$id" ]; then
  # It went live; only its record of that could not be written (a full disk).
  state_set "$dir" finished_at "$(now_utc)" status succeeded || true
  release_lock
elif [ "$status" = running ] || [ "$status" = queued ]; then
  # The run was killed before its own clean-up could run: do the part that matters here. A record
  # that cannot be written (a full disk) stays running: once this process is gone it is stale, and
  # recorded by the next reader that can write (mark_abandoned: deploy-history.sh, push-agent.sh).
  timeout 60 docker rm -f -v "$container" >/dev/null 2>&1 || true
  if [ $(($(date +%s) - supervised_at)) -ge "$deadline" ]; then
    set -- DEPLOY_TIMEOUT "The deploy did not finish within ${deadline}s and was stopped"
  else
    set -- DEPLOY_INTERRUPTED 'The deploy ended without recording how: it was killed, or the disk was full'
  fi
  state_set "$dir" error_code "$1" error_message "$2" finished_at "$(now_utc)" status failed || true
  release_lock
  progress_line "step=deploy status=failed code=$1 $2" >>"$dir/log" 2>/dev/null || true
fi
