#!/bin/sh
# Which backup of a database an id or `latest` names (the newest verified one), from the server's
# record of each backup run: fact `id`. Changes nothing.
#
# Usage: db-backup-resolve.sh --prefix P --database NAME --backup ID|latest
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
# shellcheck source=lib/backup-store.sh
. "$here/lib/backup-store.sh"
# shellcheck source=lib/backup-read.sh
. "$here/lib/backup-read.sh"

prefix='' database='' backup=''
parse_options 'prefix database backup' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require database "$database" "$APP_PATTERN"
database_paths "$prefix" "$database"
backup_resolve "$database" "$backup"
fact id "$backup_id"
