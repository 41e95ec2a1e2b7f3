#!/bin/sh
# Prints one database: its record, state and links (lib/db-common.sh's db_print lines), then what its
# backups' health is computed from: `NAME backup JSON` per backup run and `NAME drill JSON` per
# restore drill (oldest first, as their ids sort), and `NAME schedule KEY=value` per line of its
# backup schedule.
#
# Usage: db-info.sh --prefix P --database N
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

prefix='' database=''
parse_options 'prefix database' "$@"
open_database
[ -f "$db_record" ] || fail DATABASE_NOT_FOUND "No database named $database on this server" "Run 'helvetia db list' to see the databases."

db_print "$database" "$(db_states)"
for kind in backup drill; do
  if [ "$kind" = backup ]; then dir=$db_backups_dir; else dir=$db_drills_dir; fi
  for file in "$dir"/*.json; do
    [ -f "$file" ] || continue
    printf '%s %s %s\n' "$database" "$kind" "$(tr '\n' ' ' <"$file")"
  done
done
if [ -f "$db_schedule" ]; then
  sed "s/^/$database schedule /" "$db_schedule"
fi
