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

database_paths "$prefix" "$source"
backup_resolve "$source" "$backup"
database_paths "$prefix" "$database"
{ [ -f "$db_record" ] && [ -f "$db_credentials" ]; } || fail DATABASE_NOT_FOUND "No database $database on this server" 'See helvetia db list.'
container=$prefix-db-$database
work=$db_dir/restore.$$
remove_work() {
  restore_exit=$?
  set +e
  rm -rf "$work"
  (exit "$restore_exit")
  helvetia_on_exit
}
trap remove_work EXIT
trap 'exit 143' TERM INT HUP
exec 8>"$db_lock"
flock -w 600 8 || fail DATABASE_BUSY "Another operation on $database still runs after 600 s" 'Try again once it has ended.'

step_running fetch "Fetching backup $backup of $source"
fact backup "$backup_id"
mkdir -p "$work"
chmod 700 "$work"
backup_fetch "$source" "$work"
engine=$(json_get "$work/manifest.json" engine)
ours=$(json_get "$db_record" engine)
[ "$engine" = "$ours" ] || fail ENGINE_MISMATCH "Backup $backup_id is of a $engine database; $database is $ours" 'Restore into a new database (without --in-place).'
step_done fetch "sha256 matches the manifest ($(wc -c <"$work/backup.gz") bytes)"

# shellcheck source=/dev/null # written by the database's create operation
. "$db_credentials"
db_wait_ready "$engine" "$container"
if [ "$in_place" = 0 ]; then
  step_running empty "Checking that $database holds no data"
  db_counts "$engine" "$container" >"$work/before"
  # Any table (SQL) or keyspace (Redis, which lists only those with keys) is data a restore would mix with.
  [ ! -s "$work/before" ] ||
    fail DATABASE_NOT_EMPTY "$database holds data" "Restore into a new database, or replace its data with --in-place (a backup of it is taken first)."
  step_done empty 'Empty'
fi

step_running restore "Restoring $backup_id into $database"
case $engine in
  redis)
    aof=0
    case $(docker inspect -f '{{join .Config.Cmd " "}}' "$container") in *'appendonly yes'*) aof=1 ;; esac
    image=$(docker inspect -f '{{.Config.Image}}' "$container")
    docker stop -t 30 "$container" >/dev/null
    redis_place "$image" "$container-data" "$aof" <"$work/backup.gz"
    docker start "$container" >/dev/null
    db_wait_ready redis "$container"
    ;;
  postgres | mariadb | mysql)
    db_reset "$engine" "$container" 2>"$work/errors" || fail RESTORE_FAILED "Could not empty $database: $(tail -n 3 "$work/errors" | tr '\n' ' ')"
    restore_sql "$engine" "$container" <"$work/backup.gz" 2>"$work/errors" ||
      fail RESTORE_FAILED "The backup did not restore: $(tail -n 3 "$work/errors" | tr '\n' ' ')"
    ;;
  *) fail ENGINE_NOT_SUPPORTED "Restoring $engine is not supported yet" ;;
esac
changed 1
step_done restore 'Restored'

step_running counts 'Comparing counts with the manifest'
db_counts "$engine" "$container" >"$work/actual"
manifest_counts "$work/manifest.json" "$work/actual" >"$work/expected"
counts_compare "$work/expected" "$work/actual" >"$work/compared"
if [ "$(sed -n 2p "$work/compared")" = ok ]; then ok=true; else ok=false; fi
printf '{"backup":"%s","ok":%s,"counts":%s}\n' "$backup_id" "$ok" "$(sed -n 1p "$work/compared")"
fact ok "$([ "$ok" = true ] && echo 1 || echo 0)"
step_done counts "$([ "$ok" = true ] && echo 'Counts match the manifest' || echo 'Counts differ from the manifest')"
