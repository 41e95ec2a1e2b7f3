#!/bin/sh
# Lists the services of a compose app as they run: `declared SERVICE` for each service its live
# deployment runs (its recorded images), then `container SERVICE STATUS HEALTH IMAGE` for each of the
# app's containers (HEALTH `none` without a health check).
#
# Usage: stack-services.sh --prefix P --app A
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

prefix='' app=''
parse_options 'prefix app' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
app_paths "$prefix" "$app"

current=$(cat "$current_file" 2>/dev/null || true)
[ -n "$current" ] || fail NOT_DEPLOYED "$app has no live deployment" 'Deploy it first.'
[ -f "$deployments_dir/$current/compose.yml" ] || fail COMPOSE_ONLY "$app is not a compose app" 'Its container is in helvetia status.'
awk '{ print "declared " $1 }' "$deployments_dir/$current/images"
containers=$(timeout 60 docker ps -aq --filter "label=com.docker.compose.project=$prefix-$app")
[ -n "$containers" ] || exit 0
# shellcheck disable=SC2086 # container ids, one a word
timeout 60 docker inspect -f 'container {{index .Config.Labels "com.docker.compose.service"}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.Config.Image}}' $containers
