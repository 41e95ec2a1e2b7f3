#!/bin/sh
# The address of database NAME's container on Helvetia's network, as fact `address`, once it is
# checked to run and to be that database's (lib/db-container.sh). Changes nothing. The engine's port is
# the core's (core/databases/engines.ts): the container publishes none.
#
# Usage: db-address.sh --prefix P --database NAME
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
# shellcheck source=lib/db-container.sh
. "$here/lib/db-container.sh"

prefix='' database=''
parse_options 'prefix database' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require database "$database" "$APP_PATTERN"

database_address "$prefix" "$database"
fact address "$db_address"
