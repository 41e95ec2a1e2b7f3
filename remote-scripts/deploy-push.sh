#!/bin/sh
# Starts the deploy of one pushed commit of an app on this server, with no desktop involved (the push
# agent runs it; see push-agent.sh). The app's newest deployment from git is taken as it was (its
# settings and routes, the app's current env) with the new commit, trigger `push` and a new id. The
# branch the push went to is fetched first (with the app's deploy key ~/.P/apps/A/deploy-key, when it
# has one), and the commit deploys only when it is on it (git-fetch.sh; else GIT_COMMIT_NOT_ON_BRANCH
# and no deploy starts). The request goes through deploy-start.sh: the same detached, health-checked,
# zero-downtime deploy Helvetia starts.
#
# Usage: deploy-push.sh --prefix P --app A --branch B --commit SHA
# Reports: fact deployment=<id> (from deploy-start.sh).
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
# shellcheck source=lib/git-source.sh
. "$here/lib/git-source.sh"

prefix='' app='' branch='' commit=''
parse_options 'prefix app branch commit' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
require_branch "$branch"
require commit "$commit" "$COMMIT_PATTERN" 'a full 40-character commit id'
app_paths "$prefix" "$app"

step_running request "Preparing the deploy of $commit"
# Deployment ids sort by time, and so does the glob.
base=''
for request in "$deployments_dir"/*/request/options; do
  [ -f "$request" ] || continue
  if grep -qx 'source_kind=git' "$request"; then base=${request%/request/options}; fi
done
[ -n "$base" ] || fail NO_GIT_DEPLOYMENT "$app has no deployment from its git repository on this server" \
  'Deploy it once from Helvetia (helvetia deploy NAME); pushes deploy it from then on.'
base_id=${base##*/}
require 'deployment id' "$base_id" "$DEPLOYMENT_ID_PATTERN"
load_options "$base/request/options"
validate_options
step_done request "Based on deployment $base_id"

umask 077
work=$(mktemp -d)
remove_work() {
  push_exit=$?
  rm -rf "$work"
  (exit "$push_exit")
  helvetia_on_exit
}
trap remove_work EXIT

# git-fetch.sh reads the deploy key on standard input (nothing: none).
key=$app_dir/deploy-key
[ -f "$key" ] || key=/dev/null
sh "$here/git-fetch.sh" --prefix "$prefix" --app "$app" --url "$opt_git_url" --branch "$branch" --commit "$commit" <"$key"

id=$(date -u +%Y%m%d-%H%M%S)-$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
require 'deployment id' "$id" "$DEPLOYMENT_ID_PATTERN"
mkdir "$work/request"
cp "$base/request/app.json" "$base/request/build-args" "$work/request/"
if [ -f "$base/request/secrets" ]; then
  cp "$base/request/secrets" "$work/request/"
else
  # A deployment made before requests named their secrets: its app.json marks them (JSON.stringify's
  # {"key":…,"secret":true,…}, the value left out).
  grep -o '"key":"[A-Za-z_][A-Za-z0-9_]*","secret":true' "$base/request/app.json" |
    sed 's/^"key":"\([^"]*\)".*/\1/' >"$work/request/secrets" || true
fi
# The app's env file: the base's own went with its image, or holds values rotated since.
[ -f "$app_dir/env" ] || fail NO_GIT_DEPLOYMENT "$app has no environment on this server" 'Deploy it once from Helvetia (helvetia deploy NAME).'
cp "$app_dir/env" "$work/request/env"
# The routes name the deployment (its container's alias): the same routes, to the new one.
for site in site.caddy site.traefik.yml; do
  sed "s/$base_id/$id/g" "$base/request/$site" >"$work/request/$site"
done
# What src-main/core/deploy/deploy-request.ts's buildKey computes: the commit, the Dockerfile and the
# build arguments' values, each ended by a NUL byte.
build_key=$(
  {
    printf '%s\0' "$commit" "$opt_dockerfile"
    while IFS= read -r line || [ -n "$line" ]; do
      if grep -qxF -- "${line%%=*}" "$work/request/build-args"; then printf '%s\0' "$line"; fi
    done <"$work/request/env"
  } | sha256sum | cut -c 1-64
)
sed -e "s/^source_id=.*/source_id=$commit/" -e "s/^build_key=.*/build_key=$build_key/" -e 's/^trigger=.*/trigger=push/' \
  "$base/request/options" >"$work/request/options"
tar -C "$work/request" -cf - . | sh "$here/deploy-start.sh" --prefix "$prefix" --app "$app" --id "$id"
