#!/bin/sh
# Prints the runtime log of an app's live container (standard output and error, merged), masked by
# the secret filter of its deployment. --service NAME: a worker process's containers instead of the web
# one (lib/deploy-processes.sh), each line led by `[NAME.N]` when it has several replicas.
#
# Usage: deploy-logs.sh --prefix P --app A --tail N [--follow 1] [--service NAME]
# shellcheck source-path=SCRIPTDIR
set -eu
here=$(dirname "$0")
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

prefix='' app='' tail='' follow=0 service=web
parse_options 'prefix app tail follow service' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
require 'line count' "$tail" '[0-9]{1,7}'
require follow "$follow" '0|1'
require service "$service" "$PROCESS_NAME_PATTERN" 'a process name, like web or worker'
app_paths "$prefix" "$app"

current=$(cat "$current_file" 2>/dev/null || true)
[ -n "$current" ] || fail NOT_DEPLOYED "$app has no live deployment" 'Deploy it first.'
if [ "$service" = web ]; then
  containers=$(state_get "$deployments_dir/$current" container)
else
  containers=$(awk -v name="$service" '$1 == name { print $2 }' "$deployments_dir/$current/workers" 2>/dev/null || true)
fi
[ -n "$containers" ] || fail PROCESS_NOT_FOUND "$app runs no $service process" \
  "Its processes: $(awk '{ print $1 }' "$deployments_dir/$current/processes" 2>/dev/null | tr '\n' ' ')(helvetia ps $app)"
set -- logs --tail "$tail"
[ "$follow" = 0 ] || set -- "$@" --follow
if [ "$(printf '%s\n' "$containers" | wc -l)" = 1 ]; then
  docker "$@" "$containers" 2>&1
else
  for container in $containers; do
    docker "$@" "$container" 2>&1 | sed "s/^/[$service.${container##*-}] /" &
  done
  wait
fi | mask_filter "$deployments_dir/$current/request/env" "$deployments_dir/$current/request/secrets"
