#!/bin/sh
# The engine's own client (psql, mariadb/mysql, redis-cli, mongosh) inside database NAME's container,
# for a pty, once the container is checked (lib/db-container.sh). The password goes from the 0600
# credentials file on this server into the client's environment (`docker exec -e VAR` takes the value
# from docker's own environment): never on a command line, where `ps` would show it.
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

prefix='' database='' engine=''
parse_options 'prefix database engine' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require database "$database" "$APP_PATTERN"
require engine "$engine" 'postgres|mysql|mariadb|redis|mongodb'
database_paths "$prefix" "$database"

database_address "$prefix" "$database"
[ -r "$db_credentials" ] || fail DATABASE_NOT_FOUND "Database $database has no credentials file on this server" \
  'Create the database again (helvetia db create).'
DB_USER='' DB_PASSWORD='' DB_NAME=''
# shellcheck disable=SC1090 # the credentials file: KEY='value' lines written by db-create
. "$db_credentials"

run() {
  exec docker exec -it -e TERM=xterm-256color "$@"
}
case $engine in
  postgres)
    export PGPASSWORD="$DB_PASSWORD"
    run -e PGPASSWORD "$db_container" psql -U "$DB_USER" -d "$DB_NAME"
    ;;
  mysql | mariadb)
    export MYSQL_PWD="$DB_PASSWORD"
    # shellcheck disable=SC2016 # expanded by the shell in the container
    run -e MYSQL_PWD "$db_container" sh -c 'command -v mariadb >/dev/null && exec mariadb "$@" || exec mysql "$@"' \
      sh -u "$DB_USER" "$DB_NAME"
    ;;
  redis)
    export REDISCLI_AUTH="$DB_PASSWORD"
    run -e REDISCLI_AUTH "$db_container" redis-cli
    ;;
  mongodb)
    # mongosh reads no password from its environment: the connection is made by a line it evaluates,
    # which reads the password from there.
    export HELVETIA_DB_USER="$DB_USER" HELVETIA_DB_PASSWORD="$DB_PASSWORD" HELVETIA_DB_NAME="$DB_NAME"
    run -e HELVETIA_DB_USER -e HELVETIA_DB_PASSWORD -e HELVETIA_DB_NAME "$db_container" mongosh --nodb --shell --eval \
      'db = connect("mongodb://127.0.0.1:27017/" + process.env.HELVETIA_DB_NAME + "?authSource=admin", process.env.HELVETIA_DB_USER, process.env.HELVETIA_DB_PASSWORD)'
    ;;
esac
