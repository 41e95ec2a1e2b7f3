#!/bin/sh
# Removes an app from this server: its proxy route, containers, images (only those Helvetia built for
# it: repository PREFIX/APP with the label dev.helvetia.app=APP) and its folder with the history. Its
# volumes (Helvetia's, labelled dev.helvetia.managed=true and dev.helvetia.app=APP: those of its spec
# and those taken out of it since) are kept or deleted as --volumes says; there is no default, so that
# no data goes unasked. Facts: volumes-kept / volumes-deleted, the volumes' names (space-separated).
#
# Usage: deploy-remove.sh --prefix P --app A --volumes keep|delete
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

prefix='' app='' volumes=''
parse_options 'prefix app volumes' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
require volumes "$volumes" 'keep|delete' 'keep or delete (what happens to the volumes of the app)'
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
# A compose app's networks: compose's own, labelled with its project.
networks=$(docker network ls -q --filter "label=com.docker.compose.project=$prefix-$app")
# shellcheck disable=SC2086 # network ids, one a word
[ -z "$networks" ] || timeout 120 docker network rm $networks >/dev/null
step_done containers 'Removed'

step_running images "Removing the images of $app"
images=$(docker images --filter "label=dev.helvetia.app=$app" --format '{{.Repository}}:{{.Tag}}' "$prefix/$app")
# A compose app's tags of the images its deployments ran (the images stay when other tags name them).
images="$images $(docker images --format '{{.Repository}}:{{.Tag}}' "$prefix/stacks/$app")"
images=${images% }
images=${images# }
# shellcheck disable=SC2086 # image references, one a word
[ -z "$images" ] || timeout 120 docker rmi $images >/dev/null
step_done images 'Removed'

app_volumes=$(docker volume ls -q --filter label=dev.helvetia.managed=true --filter "label=dev.helvetia.app=$app" \
  --filter "label=dev.helvetia.prefix=$prefix" | tr '\n' ' ')
app_volumes=${app_volumes% }
if [ -z "$app_volumes" ]; then
  step_running volumes "Looking for the volumes of $app"
  step_skipped volumes 'No volumes'
elif [ "$volumes" = delete ]; then
  step_running volumes "Deleting the volumes of $app with their data: $app_volumes"
  # shellcheck disable=SC2086 # volume names, one a word
  timeout 120 docker volume rm $app_volumes >/dev/null
  fact volumes-deleted "$app_volumes"
  step_done volumes "Deleted $app_volumes"
else
  step_running volumes "Keeping the volumes of $app"
  fact volumes-kept "$app_volumes"
  step_done volumes "Kept $app_volumes"
fi

rm -rf "$app_dir"
changed 1
