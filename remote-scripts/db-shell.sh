#!/bin/sh
# The engine's own client (psql, mariadb/mysql, redis-cli, mongosh: lib/db-engines.sh's engine_client)
# inside database NAME's container, for a pty, once the container is checked (lib/db-container.sh).
# The credentials go from the 0600 file on this server into the container's environment (`docker exec
# -e VAR` takes the value from docker's own environment), never on the server's command lines, where
# `ps` would show them; the client reads them from there (mongosh alone takes its password as an
# argument, inside the container).
#
# Usage: db-shell.sh --prefix P --database NAME --engine postgres|mysql|mariadb|redis|mongodb
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
# shellcheck source=lib/db-engines.sh
. "$here/lib/db-engines.sh"

prefix='' database='' engine=''
parse_options 'prefix database engine' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require database "$database" "$APP_PATTERN"
db_engine "$engine" || fail INVALID_OPTION "Invalid engine: \"$engine\"" "Expected one of: $DB_ENGINES."
database_paths "$prefix" "$database"

database_address "$prefix" "$database"
[ -r "$db_credentials" ] || fail DATABASE_NOT_FOUND "Database $database has no credentials file on this server" \
  'Create the database again (helvetia db create).'
DB_USER='' DB_PASSWORD='' DB_NAME=''
# shellcheck disable=SC1090 # the credentials file: KEY='value' lines written by db-create
. "$db_credentials"

export DB_USER DB_PASSWORD DB_NAME
exec docker exec -it -e TERM=xterm-256color -e DB_USER -e DB_PASSWORD -e DB_NAME "$db_container" sh -c "$engine_client"
