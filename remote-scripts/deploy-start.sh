#!/bin/sh
# Starts a deployment of an app on this server and returns at once: the deployment runs detached
# (deploy-supervise.sh, which runs deploy-run.sh, under setsid), so it carries on when the SSH
# connection that started it drops.
# Its record is ~/.PREFIX/apps/APP/deployments/ID/: meta.json (rendered from state), log, pid.
#
# Usage: deploy-start.sh --prefix P --app A --id ID < request.tar
# request.tar (written by src-main/core/deploy/deploy-request.ts) holds: options (key=value lines),
# app.json (the app's spec, without secret values), env (Docker env file, the only place secret values
# are written: the app's env file and the deployment's own, removed with its image), build-args and
# secrets (names of the env vars the build sees, and of those that are secret: the log filter derives
# their forms from env), site.caddy and site.traefik.yml (the app's proxy configuration for this
# deployment), volumes (`SOURCE PATH` lines: lib/deploy-volumes.sh) and release-command (the app's
# release command as written: lib/deploy-release-command.sh). A git source's commit is on the server
# already (git-fetch.sh). A folder source is
# snapshotted here, under the app's source lock, into the deployment's context/: a later upload cannot
# change what this deployment builds, and a source that is no longer the one the request names (another
# upload came in between) is refused (SOURCE_CHANGED) rather than built under the wrong id.
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
# shellcheck source=lib/deploy-options.sh
. "$here/lib/deploy-options.sh"
# shellcheck source=lib/deploy-volumes.sh
. "$here/lib/deploy-volumes.sh"

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
# Until the deployment runs, a failure leaves nothing: a half-written request is no record, and a refused
# one's env holds secret values.
started=0
remove_unstarted() {
  start_exit=$?
  [ "$started" = 1 ] || rm -rf "$dir"
  (exit "$start_exit")
  helvetia_on_exit
}
trap remove_unstarted EXIT
mkdir "$dir/request"
tar -x -C "$dir/request" --no-same-owner -f - ||
  fail REQUEST_WRITE_FAILED "The deploy request could not be stored in $dir" "$RECORD_HINT"
for file in options app.json env build-args secrets site.caddy site.traefik.yml; do
  [ -f "$dir/request/$file" ] || fail INVALID_ARGUMENT "The request lacks $file"
done
load_options "$dir/request/options"
validate_options
# volumes and release-command are optional: a push template left by an older Helvetia has neither.
check_volumes "$dir/request/volumes"
# One grep for all lines; line by line only to name the first bad one.
if grep -Evxq -e "$ENV_KEY_PATTERN=.*" "$dir/request/env"; then
  while IFS= read -r line || [ -n "$line" ]; do
    require 'environment variable' "$line" "$ENV_KEY_PATTERN=.*" 'NAME=value lines'
  done <"$dir/request/env"
fi
if [ "$opt_source_kind" = folder ]; then
  lock_source
  manifest_id=$(LC_ALL=C cut -f 1,4,5 "$source_manifest" 2>/dev/null | sha256sum | cut -c 1-64)
  if [ ! -d "$source_dir" ] || [ "$manifest_id" != "$opt_source_id" ]; then
    fail SOURCE_CHANGED "The source of $app on the server is no longer $opt_source_id (another upload came in between)" \
      'Deploy again: the folder is sent again.'
  fi
  # Hard links: instant, and an upload replaces files rather than changing them.
  cp -al "$source_dir" "$dir/context" ||
    fail RECORD_WRITE_FAILED "The source of deployment $id could not be copied into $dir" "$RECORD_HINT"
  exec 9>&-
fi
for file in app.json env; do
  if ! { cp "$dir/request/$file" "$app_dir/$file.$$" && mv -f "$app_dir/$file.$$" "$app_dir/$file"; }; then
    rm -f "$app_dir/$file.$$"
    fail RECORD_WRITE_FAILED "The app's $file could not be written" "$RECORD_HINT"
  fi
done

set -- id "$id" app "$app" status queued trigger "$opt_trigger" source_kind "$opt_source_kind" \
  source_id "${opt_source_id:-$opt_rollback_of}" created_at "$(now_utc)"
[ -z "$opt_rollback_of" ] || set -- "$@" rollback_of "$opt_rollback_of"
# A catalogue app's template version; a rollback runs the version of the deployment it runs again.
[ -z "$opt_rollback_of" ] || opt_template_version=$(state_get "$deployments_dir/$opt_rollback_of" template_version)
[ -z "$opt_template_version" ] || set -- "$@" template_version "$opt_template_version"
if ! { state_set "$dir" "$@" && : >"$dir/log"; }; then
  fail RECORD_WRITE_FAILED "The record of deployment $id could not be written" "$RECORD_HINT"
fi

# Its own session (no signal for this SSH session reaches it), no file descriptor of this session
# (the SSH channel closes when this script ends).
setsid sh "$here/deploy-supervise.sh" --prefix "$prefix" --app "$app" --id "$id" </dev/null >/dev/null 2>&1 &
supervisor=$!
# Without its pid nothing could tell when it ends: then it does not run.
if ! { echo "$supervisor" >"$dir/pid"; } 2>/dev/null; then
  kill -- "-$supervisor" 2>/dev/null || kill "$supervisor" 2>/dev/null || true
  fail RECORD_WRITE_FAILED "The record of deployment $id could not be written" "$RECORD_HINT"
fi
started=1
fact deployment "$id"
step_done start "Deployment $id of $app started"
