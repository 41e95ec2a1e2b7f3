#!/bin/sh
# Prints the runtime log of an app's live container (standard output and error, merged), masked by
# the secret filter of its deployment.
#
# Usage: deploy-logs.sh --prefix P --app A --tail N [--follow 1]
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

prefix='' app='' tail='' follow=0
parse_options 'prefix app tail follow' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
require 'line count' "$tail" '[0-9]{1,7}'
require follow "$follow" '0|1'
app_paths "$prefix" "$app"

current=$(cat "$current_file" 2>/dev/null || true)
[ -n "$current" ] || fail NOT_DEPLOYED "$app has no live deployment" 'Deploy it first.'
container=$(state_get "$deployments_dir/$current" container)
set -- logs --tail "$tail"
[ "$follow" = 0 ] || set -- "$@" --follow
docker "$@" "$container" 2>&1 | mask_filter "$deployments_dir/$current/request/env" "$deployments_dir/$current/request/secrets"
