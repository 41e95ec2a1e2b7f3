#!/bin/sh
# Starts a deployment of an app on this server and returns at once: the deployment runs detached
# (deploy-run.sh under setsid), so it carries on when the SSH connection that started it drops.
# Its record is ~/.PREFIX/apps/APP/deployments/ID/: meta.json (rendered from state), log, pid.
#
# Usage: deploy-start.sh --prefix P --app A --id ID < request.tar
# request.tar (written by src-main/core/deploy/deploy-request.ts) holds: options (key=value lines),
# app.json (the app's spec, without secret values), env (Docker env file, the only place secret values
# are written: the app's env file and the deployment's own, removed with its image), build-args and
# secrets (names of the env vars the build sees, and of those that are secret: the log filter derives
# their forms from env), site.caddy and site.traefik.yml (the app's proxy configuration for this
# deployment). A git source's commit is on the server already (git-fetch.sh). A folder source is
# snapshotted here, under the app's source lock, into the deployment's context/: a later upload cannot
# change what this deployment builds, and a source that is no longer the one the request names (another
# upload came in between) is refused (SOURCE_CHANGED) rather than built under the wrong id.
# shellcheck source-path=SCRIPTDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/progress.sh
. "$here/lib/progress.sh"
# shellcheck source=lib/validate.sh
. "$here/lib/validate.sh"
# shellcheck source=lib/deploy-common.sh
. "$here/lib/deploy-common.sh"
# shellcheck source=lib/deploy-options.sh
. "$here/lib/deploy-options.sh"

prefix='' app='' id=''
parse_options 'prefix app id' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN" 'a DNS label of at most 40 characters'
require 'deployment id' "$id" "$DEPLOYMENT_ID_PATTERN"
app_paths "$prefix" "$app"
dir=$deployments_dir/$id

step_running start "Starting deployment $id of $app"
umask 077
mkdir -p "$deployments_dir"
mkdir "$dir" 2>/dev/null || fail DEPLOYMENT_EXISTS "Deployment $id of $app exists already"
# A request refused here leaves nothing behind (its env holds secret values); one that started stays.
remove_refused() {
  start_exit=$?
  [ "$start_exit" = 0 ] || rm -rf "$dir"
  (exit "$start_exit")
  helvetia_on_exit
}
trap remove_refused EXIT
mkdir "$dir/request"
tar -x -C "$dir/request" --no-same-owner -f -
for file in options app.json env build-args secrets site.caddy site.traefik.yml; do
  [ -f "$dir/request/$file" ] || fail INVALID_ARGUMENT "The request lacks $file"
done
load_options "$dir/request/options"
validate_options
# One grep for all lines; line by line only to name the first bad one.
if grep -Evxq -e '[A-Za-z_][A-Za-z0-9_]*=.*' "$dir/request/env"; then
  while IFS= read -r line || [ -n "$line" ]; do
    require 'environment variable' "$line" '[A-Za-z_][A-Za-z0-9_]*=.*' 'NAME=value lines'
  done <"$dir/request/env"
fi
if [ "$opt_source_kind" = folder ]; then
  lock_source
  manifest_id=$(LC_ALL=C cut -f 1,4,5 "$app_dir/source.manifest" 2>/dev/null | sha256sum | cut -c 1-64)
  if [ ! -d "$app_dir/source" ] || [ "$manifest_id" != "$opt_source_id" ]; then
    fail SOURCE_CHANGED "The source of $app on the server is no longer $opt_source_id (another upload came in between)" \
      'Deploy again: the folder is sent again.'
  fi
  # Hard links: instant, and an upload replaces files rather than changing them.
  cp -al "$app_dir/source" "$dir/context"
  exec 9>&-
fi
cp "$dir/request/app.json" "$app_dir/app.json.$$"
mv -f "$app_dir/app.json.$$" "$app_dir/app.json"
cp "$dir/request/env" "$app_dir/env.$$"
mv -f "$app_dir/env.$$" "$app_dir/env"

state_set "$dir" id "$id" app "$app" status queued trigger "$opt_trigger" source_kind "$opt_source_kind" \
  source_id "${opt_source_id:-$opt_rollback_of}" created_at "$(now_utc)"
[ -z "$opt_rollback_of" ] || state_set "$dir" rollback_of "$opt_rollback_of"
: >"$dir/log"
trap helvetia_on_exit EXIT

# Its own session (no signal for this SSH session reaches it), no file descriptor of this session
# (the SSH channel closes when this script ends).
setsid sh "$here/deploy-run.sh" --supervise --prefix "$prefix" --app "$app" --id "$id" </dev/null >/dev/null 2>&1 &
echo "$!" >"$dir/pid"
fact deployment "$id"
step_done start "Deployment $id of $app started"
