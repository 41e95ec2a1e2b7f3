#!/bin/sh
# Prints every database of this server: per database its record, its container's state and its
# linked apps (lib/db-common.sh's db_print lines), by name.
#
# Usage: db-list.sh --prefix P
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
# shellcheck source=lib/db-common.sh
. "$here/lib/db-common.sh"

prefix=''
parse_options 'prefix' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
server_paths "$prefix"

states=$(db_states)
for record in "$databases_dir"/*/database.json; do
  [ -f "$record" ] || continue
  name=${record%/database.json}
  name=${name##*/}
  matches "$name" "$APP_PATTERN" || continue
  db_print "$name" "$states"
done
