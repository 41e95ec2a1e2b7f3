#!/bin/sh
# Prints the runtime log of an app's live container (standard output and error, merged), masked by
# the secret filter of its deployment.
#
# A compose app's service (--service S): its newest running container.
#
# Usage: deploy-logs.sh --prefix P --app A --tail N [--follow 1] [--service S]
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

prefix='' app='' tail='' follow=0 service=''
parse_options 'prefix app tail follow service' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
require 'line count' "$tail" '[0-9]{1,7}'
require follow "$follow" '0|1'
app_paths "$prefix" "$app"

current=$(cat "$current_file" 2>/dev/null || true)
[ -n "$current" ] || fail NOT_DEPLOYED "$app has no live deployment" 'Deploy it first.'
container=$(state_get "$deployments_dir/$current" container)
if [ -n "$service" ]; then
  require service "$service" "$COMPOSE_SERVICE_PATTERN"
  container=$(timeout 60 docker ps --filter "label=com.docker.compose.project=$prefix-$app" \
    --filter "label=com.docker.compose.service=$service" --format '{{.CreatedAt}}\t{{.Names}}' | sort | tail -n 1 | cut -f 2)
  [ -n "$container" ] || fail SERVICE_NOT_FOUND "$app has no running container of a service $service" "See its services: helvetia app services $app."
fi
set -- logs --tail "$tail"
[ "$follow" = 0 ] || set -- "$@" --follow
docker "$@" "$container" 2>&1 | mask_filter "$deployments_dir/$current/request/env" "$deployments_dir/$current/request/secrets"
