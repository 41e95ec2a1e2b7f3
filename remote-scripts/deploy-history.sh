#!/bin/sh
# Prints an app's record on this server: `app <app.json>`, `current <deployment id>` and one
# `deployment <meta.json>` line per deployment, oldest first. A deployment that can never finish (its
# process is gone or hangs, see lib/deploy-common.sh) is recorded as failed first, so no reader ever
# sees a deploy "running" forever.
#
# Usage: deploy-history.sh --prefix P --app A [--id ID]   (--id: only that deployment)
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

prefix='' app='' id=''
parse_options 'prefix app id' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
[ -z "$id" ] || require 'deployment id' "$id" "$DEPLOYMENT_ID_PATTERN"
app_paths "$prefix" "$app"

[ ! -f "$app_record" ] || printf 'app %s\n' "$(tr '\n' ' ' <"$app_record")"
[ ! -f "$current_file" ] || printf 'current %s\n' "$(cat "$current_file")"
pattern=${id:-*}
# shellcheck disable=SC2086 # a validated id or `*`, expanded as a glob
for state in "$deployments_dir"/$pattern/state; do
  [ -f "$state" ] || continue
  deployment=${state%/state}
  if deployment_stale "$deployment"; then
    mark_abandoned "$deployment" || fail RECORD_WRITE_FAILED "Deployment ${deployment##*/} of $app stopped without finishing, and its record cannot be written" "$RECORD_HINT"
  fi
  printf 'deployment %s\n' "$(cat "$deployment/meta.json")"
done
