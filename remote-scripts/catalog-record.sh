#!/bin/sh
# A catalogue app's record on this server (~/.P/apps/A/catalog.json, 0600): its template id, version
# and every variable's value, secrets included, so that an upgrade from any computer keeps them.
# `--action write` replaces it with standard input (whole or not at all); `read` prints it (nothing
# when the app has none).
#
# Usage: catalog-record.sh --prefix P --app A --action write|read  [< record]
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
require action "$action" 'write|read'
app_paths "$prefix" "$app"

if [ "$action" = read ]; then
  [ ! -f "$catalog_record" ] || cat "$catalog_record"
  exit 0
fi
umask 077
mkdir -p "$app_dir"
if ! { cat >"$catalog_record.$$" && [ -s "$catalog_record.$$" ] && mv -f "$catalog_record.$$" "$catalog_record"; }; then
  rm -f "$catalog_record.$$"
  fail RECORD_WRITE_FAILED "The catalogue record of $app could not be written" "$RECORD_HINT"
fi
