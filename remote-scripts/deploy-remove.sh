#!/bin/sh
# Removes an app from this server: its proxy route, containers, images (only those Helvetia built for
# it: repository PREFIX/APP with the label dev.helvetia.app=APP) and its folder with the history.
#
# Usage: deploy-remove.sh --prefix P --app A
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
# shellcheck source=lib/deploy-proxy.sh
. "$here/lib/deploy-proxy.sh"

prefix='' app=''
parse_options 'prefix app' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
app_paths "$prefix" "$app"
proxy=$prefix-proxy

step_running route "Removing the proxy route of $app"
kind=$(proxy_kind)
if [ -n "$kind" ] && [ -f "$(proxy_site_file "$kind")" ]; then
  proxy_remove "$kind" >/dev/null
  step_done route 'Removed'
else
  step_skipped route 'No route'
fi

step_running containers "Removing the containers of $app"
containers=$(docker ps -aq --filter "label=dev.helvetia.app=$app" --filter "label=dev.helvetia.prefix=$prefix")
# shellcheck disable=SC2086 # container ids, one a word
[ -z "$containers" ] || timeout 120 docker rm -f -v $containers >/dev/null
step_done containers 'Removed'

step_running images "Removing the images of $app"
images=$(docker images --filter "label=dev.helvetia.app=$app" --format '{{.Repository}}:{{.Tag}}' "$prefix/$app")
# shellcheck disable=SC2086 # image references, one a word
[ -z "$images" ] || timeout 120 docker rmi $images >/dev/null
step_done images 'Removed'

rm -rf "$app_dir"
changed 1
