#!/bin/sh
# Keeps an app's deploy key (read from standard input) on this server as a 0600 file
# (~/.P/apps/A/deploy-key), for the deploys the server starts by itself; `--action remove` removes it.
#
# Usage: deploy-key.sh --prefix P --app A --action keep|remove  < private key
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

prefix='' app='' action=''
parse_options 'prefix app action' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
require action "$action" 'keep|remove'
app_paths "$prefix" "$app"

umask 077
if [ "$action" = remove ]; then
  rm -f "$deploy_key"
else
  mkdir -p "$app_dir"
  cat >"$deploy_key.tmp"
  mv -f "$deploy_key.tmp" "$deploy_key"
fi
