#!/bin/sh
# Prints a deployment's record (its meta.json) as it is, or nothing when there is none. Changes nothing.
#
# Usage: deploy-record.sh --prefix P --app A --id ID
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
require 'deployment id' "$id" "$DEPLOYMENT_ID_PATTERN"
app_paths "$prefix" "$app"

meta=$deployments_dir/$id/meta.json
[ ! -f "$meta" ] || cat "$meta"
