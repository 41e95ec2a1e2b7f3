#!/bin/sh
# Starts the deploy of one pushed commit of an app on this server, with no desktop involved (the push
# agent runs it; see push-agent.sh). The push template of the app's newest deployment from git (written
# by Helvetia: src-main/core/deploy/deploy-request.ts) is filled in with the new commit, its build key,
# trigger `push` and a new id, with the app's current env. The branch the push went to is fetched
# first (with the app's deploy key ~/.P/apps/A/deploy-key, when it has one), and the commit deploys
# only when it is on it (git-fetch.sh; else GIT_COMMIT_NOT_ON_BRANCH and no deploy starts). The request goes through deploy-start.sh: the same detached, health-checked,
# zero-downtime deploy Helvetia starts.
#
# Usage: deploy-push.sh --prefix P --app A --branch B --commit SHA
# Reports: fact deployment=<id> (from deploy-start.sh).
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
# The newest deployment Helvetia started from the app's repository left the template (its settings and
# routes) for the next commit: deployment ids sort by time, and so does the glob.
template=''
for options in "$deployments_dir"/*/"$PUSH_TEMPLATE_DIR"/options; do
  if [ -f "$options" ]; then template=${options%/options}; fi
done
[ -n "$template" ] || fail NO_GIT_DEPLOYMENT "$app has no deployment from its git repository on this server" \
  'Deploy it once from Helvetia (helvetia deploy NAME); pushes deploy it from then on.'
base_id=${template%/"$PUSH_TEMPLATE_DIR"}
base_id=${base_id##*/}
require 'deployment id' "$base_id" "$DEPLOYMENT_ID_PATTERN"
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

git_url=$(sed -n 's/^git_url=//p' "$template/options")
# git-fetch.sh reads the deploy key on standard input (nothing: none).
key=$deploy_key
[ -f "$key" ] || key=/dev/null
sh "$here/git-fetch.sh" --prefix "$prefix" --app "$app" --url "$git_url" --branch "$branch" --commit "$commit" <"$key"

# The app's env file: the base's own went with its image, or holds values rotated since.
[ -f "$app_env" ] || fail NO_GIT_DEPLOYMENT "$app has no environment on this server" 'Deploy it once from Helvetia (helvetia deploy NAME).'
id=$(new_deployment_id)
require 'deployment id' "$id" "$DEPLOYMENT_ID_PATTERN"
dockerfile=$(sed -n 's/^dockerfile=//p' "$template/options")
build=$(build_key "$commit" "$dockerfile" "$app_env" "$template/build-args")
mkdir "$work/request"
cp "$template/app.json" "$template/build-args" "$template/secrets" "$app_env" "$work/request/"
for file in volumes release-command processes; do
  [ ! -f "$template/$file" ] || cp "$template/$file" "$work/request/"
done
# The placeholders' values are a commit, an id, a word and a hash: nothing sed would read as syntax.
for file in options site.caddy site.traefik.yml; do
  sed -e "s/$TEMPLATE_COMMIT/$commit/g" -e "s/$TEMPLATE_ID/$id/g" -e "s/$TEMPLATE_TRIGGER/$PUSH_TRIGGER/g" \
    -e "s/$TEMPLATE_BUILD_KEY/$build/g" "$template/$file" >"$work/request/$file"
done
tar -C "$work/request" -cf - . | sh "$here/deploy-start.sh" --prefix "$prefix" --app "$app" --id "$id"
