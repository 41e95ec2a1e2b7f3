#!/bin/sh
# Restores a backup of SOURCE into the database NAME on this server (its container running): fetches
# it from its target, checks its sha256 against the manifest first, restores it and compares the
# counts with the manifest's. Prints `{"backup":ID,"ok":…,"counts":[…]}` on one line; facts `backup`, `ok`.
# A database that holds data is refused unless --in-place 1: the caller takes a fresh backup of it
# first. What connections see: Postgres ends those to the database (it is dropped and made again),
# MariaDB/MySQL keep theirs (the tables are gone until the restore has run), Redis restarts (its
# clients reconnect).
#
# Usage: db-restore.sh --prefix P --database NAME --source SOURCE --backup ID|latest [--in-place 0|1]
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
# shellcheck source=lib/db-dump.sh
. "$here/lib/db-dump.sh"
# shellcheck source=lib/db-lock.sh
. "$here/lib/db-lock.sh"
# shellcheck source=lib/backup-read.sh
. "$here/lib/backup-read.sh"
# shellcheck source=lib/db-restore.sh
. "$here/lib/db-restore.sh"

prefix='' database='' source='' backup='' in_place=0
parse_options 'prefix database source backup in-place' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require database "$database" "$APP_PATTERN"
require source "$source" "$APP_PATTERN"
[ "$backup" = latest ] || require backup "$backup" "$BACKUP_ID_PATTERN"
require in-place "$in_place" '0|1'

umask 077
work=$(mktemp -d)
job=$prefix-db-$database-restore-$$
session_pid=''
remove_work() {
  restore_exit=$?
  set +e
  counts_finish
  docker rm -f "$job" >/dev/null 2>&1
  rm -rf "$work"
  (exit "$restore_exit")
  helvetia_on_exit
}
trap remove_work EXIT
trap 'exit 143' TERM INT HUP

database_paths "$prefix" "$source"
backup_resolve "$source" "$backup"
database_paths "$prefix" "$database"
open_database "$database"
[ -f "$db_credentials" ] || fail DATABASE_NOT_FOUND "No credentials of $database on this server" 'Create it again: helvetia db create.'

step_running lock "Waiting for other backups and restores of $database"
lock_database 600
step_done lock 'Locked'

step_running fetch "Fetching backup $backup of $source"
fact backup "$backup_id"
backup_fetch "$source"
engine=$(json_field "$work/manifest.json" engine)
[ "$engine" = "$db_engine" ] || fail ENGINE_MISMATCH "Backup $backup_id is of a $engine database; $database is $db_engine" \
  "Restore it into a new database: helvetia db restore $source --from $backup_id"
step_done fetch "sha256 matches the manifest ($(wc -c <"$work/backup.gz") bytes)"

engine_env
db_wait_ready "$job"
if [ "$in_place" = 0 ]; then
  step_running empty "Checking that $database holds no data"
  counts_start "$job" || fail RESTORE_FAILED "Could not count what $database holds: $(tail -n 3 "$work/session.err" | tr '\n' ' ')"
  counts_finish
  # Any table (SQL) or keyspace (Redis lists only those with keys) is data a restore would mix with.
  [ ! -s "$work/counts" ] || fail DATABASE_NOT_EMPTY "$database holds data" \
    'Restore into a new database, or replace its data with --in-place (a backup of it is taken first).'
  step_done empty 'Empty'
fi

step_running restore "Restoring $backup_id into $database"
case $db_engine in
  redis)
    # Its own settings (arguments or a file in its volume) say whether it loads an append-only file.
    aof=0
    ! engine_run "$job" redis-cli -h "$db_host" config get appendonly </dev/null | tr -d '\r' | grep -qx yes || aof=1
    docker stop -t 30 "$db_host" >/dev/null
    redis_place "$db_host-data" "$aof"
    docker start "$db_host" >/dev/null
    db_wait_ready "$job"
    ;;
  postgres | mariadb | mysql)
    db_reset "$job" 2>"$work/errors" || fail RESTORE_FAILED "Could not empty $database: $(tail -n 3 "$work/errors" | tr '\n' ' ')"
    restore_sql "$job" 2>"$work/errors" || fail RESTORE_FAILED "The backup did not restore: $(tail -n 3 "$work/errors" | tr '\n' ' ')"
    ;;
  *) fail ENGINE_NOT_SUPPORTED "Restoring $db_engine is not supported yet" ;;
esac
changed 1
step_done restore 'Restored'

step_running counts 'Comparing counts with the manifest'
counts_start "$job" || fail RESTORE_FAILED "Could not count what was restored: $(tail -n 3 "$work/session.err" | tr '\n' ' ')"
counts_finish
manifest_counts >"$work/expected"
counts_compare >"$work/compared"
if [ "$(sed -n 2p "$work/compared")" = ok ]; then ok=1; else ok=0; fi
printf '{"backup":"%s","ok":%s,"counts":%s}\n' "$backup_id" "$([ "$ok" = 1 ] && echo true || echo false)" "$(sed -n 1p "$work/compared")"
fact ok "$ok"
step_done counts "$([ "$ok" = 1 ] && echo 'Counts match the manifest' || echo 'Counts differ from the manifest')"
