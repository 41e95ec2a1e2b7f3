#!/bin/sh
# Streams a deployment's log from byte OFFSET (0: all of it) as it grows, ending once the deploy's
# supervisor has exited and the log is read to its end (tail --pid). Prints nothing for a deployment
# that has no folder. Changes nothing.
#
# Usage: deploy-follow.sh --prefix P --app A --id ID --offset BYTES
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

prefix='' app='' id='' offset=''
parse_options 'prefix app id offset' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
require 'deployment id' "$id" "$DEPLOYMENT_ID_PATTERN"
require offset "$offset" '0|[1-9][0-9]{0,15}'
app_paths "$prefix" "$app"

cd "$deployments_dir/$id" 2>/dev/null || exit 0
pid=$(cat pid 2>/dev/null) || pid=''
exec tail -c +$((offset + 1)) -s 0.2 -f ${pid:+--pid="$pid"} log
