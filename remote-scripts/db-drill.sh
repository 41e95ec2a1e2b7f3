#!/bin/sh
# Restore drill: proves a backup restores. Fetches the backup from its target, checks its sha256
# against the manifest (a mismatch fails the drill as corrupt), restores it into a scratch container
# of the same image (`<prefix>-db-<name>-drill-<id>` on the network, no published port, its own
# throwaway volume and random credentials), counts what it holds and compares with the manifest.
# The scratch container, its volume and the fetched files are removed whatever happens. The drill is
# recorded in db_drills_dir/ID.json and printed as that JSON on one line; facts `drill` and `ok`.
# A count mismatch is a drill that ran (`ok` 0), not a failed script; a corrupt or unreadable backup
# fails, and is recorded too.
#
# Usage: db-drill.sh --prefix P --database NAME --backup ID|latest
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
# shellcheck source=lib/backup-read.sh
. "$here/lib/backup-read.sh"
# shellcheck source=lib/db-restore.sh
. "$here/lib/db-restore.sh"

prefix='' database='' backup=''
parse_options 'prefix database backup' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require database "$database" "$APP_PATTERN"
[ "$backup" = latest ] || require backup "$backup" "$BACKUP_ID_PATTERN"
database_paths "$prefix" "$database"

umask 077
drill=$(date -u +%Y%m%dT%H%M%SZ)-$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
scratch=$prefix-db-$database-drill-$drill
work=$(mktemp -d)
at=$(now_utc)
outcome='' session_pid=''
remove_scratch() {
  drill_exit=$?
  set +e
  counts_finish
  docker rm -f -v "$scratch" "$scratch-job" >/dev/null 2>&1
  docker volume rm "$scratch-data" >/dev/null 2>&1
  rm -rf "$work"
  # A drill that did not get to compare (corrupt, unreadable, failed restore) is recorded as failed.
  [ -n "$outcome" ] || [ -z "${backup_id-}" ] || record '[]' false
  (exit "$drill_exit")
  helvetia_on_exit
}
# record COUNTS OK: writes the drill's record (beside, then renamed over) and prints it.
record() {
  mkdir -p "$db_drills_dir"
  printf '{"backup":"%s","at":"%s","ok":%s,"counts":%s}\n' "$backup_id" "$at" "$2" "$1" >"$db_drills_dir/$drill.json.tmp"
  mv -f "$db_drills_dir/$drill.json.tmp" "$db_drills_dir/$drill.json"
  cat "$db_drills_dir/$drill.json"
}
trap remove_scratch EXIT
trap 'exit 143' TERM INT HUP

step_running fetch "Fetching backup $backup of $database"
backup_resolve "$database" "$backup"
fact backup "$backup_id"
fact drill "$drill"
backup_fetch "$database"
db_engine=$(json_field "$work/manifest.json" engine)
db_image=$(json_field "$work/manifest.json" image)
require image "$db_image" "$IMAGE_PATTERN"
step_done fetch "sha256 matches the manifest ($(wc -c <"$work/backup.gz") bytes)"

step_running scratch "Starting a scratch $db_engine from $db_image"
# Random credentials, as the database's own are written (a credentials file, read by engine_env).
password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
db_credentials=$work/credentials db_host=$scratch
printf "DB_USER='helvetia'\nDB_PASSWORD='%s'\nDB_NAME='drill'\nDB_ROOT_PASSWORD='%s'\n" "$password" "$password" >"$db_credentials"
case $db_engine in
  postgres) printf 'POSTGRES_USER=helvetia\nPOSTGRES_PASSWORD=%s\nPOSTGRES_DB=drill\n' "$password" ;;
  mariadb) printf 'MARIADB_ROOT_PASSWORD=%s\nMARIADB_DATABASE=drill\n' "$password" ;;
  mysql) printf 'MYSQL_ROOT_PASSWORD=%s\nMYSQL_DATABASE=drill\n' "$password" ;;
  redis) ;;
  *) fail ENGINE_NOT_SUPPORTED "Restoring $db_engine is not supported yet" ;;
esac >"$work/scratch.env"
engine_env
docker network inspect "$prefix" >/dev/null 2>&1 || docker network create --label dev.helvetia.managed=true "$prefix" >/dev/null
labels="--label dev.helvetia.managed=true --label dev.helvetia.prefix=$prefix --label dev.helvetia.drill=$database"
# shellcheck disable=SC2086 # the labels, one a word
docker volume create $labels "$scratch-data" >/dev/null
set -- -v "$scratch-data:/var/lib/postgresql/data"
case $db_engine in
  mariadb | mysql) set -- -v "$scratch-data:/var/lib/mysql" ;;
  redis)
    # Redis reads its data only when it starts: the RDB goes into the volume first, the password beside.
    redis_place "$scratch-data" 0
    printf 'requirepass %s\n' "$password" | docker run --rm -i -v "$scratch-data:/data" --entrypoint sh "$db_image" -c 'cat >/data/drill.conf'
    set -- -v "$scratch-data:/data" "$db_image" redis-server --include /data/drill.conf --appendonly no
    ;;
esac
[ "$db_engine" = redis ] || set -- "$@" "$db_image"
# No -p: the scratch lives on Helvetia's network only, like the database.
# shellcheck disable=SC2086 # the labels, one a word
docker run -d --name "$scratch" --network "$prefix" $labels --env-file "$work/scratch.env" "$@" >/dev/null
db_wait_ready "$scratch-job"
step_done scratch "$scratch is ready"

step_running restore "Restoring $backup_id into $scratch"
[ "$db_engine" = redis ] || restore_sql "$scratch-job" 2>"$work/errors" ||
  fail RESTORE_FAILED "The backup did not restore: $(tail -n 3 "$work/errors" | tr '\n' ' ')"
step_done restore 'Restored'

step_running counts 'Comparing counts with the manifest'
counts_start "$scratch-job" || fail RESTORE_FAILED "Could not count what was restored: $(tail -n 3 "$work/session.err" | tr '\n' ' ')"
counts_finish
manifest_counts >"$work/expected"
counts_compare >"$work/compared"
if [ "$(sed -n 2p "$work/compared")" = ok ]; then outcome=true; else outcome=false; fi
record "$(sed -n 1p "$work/compared")" "$outcome"
if [ "$outcome" = true ]; then
  fact ok 1
  step_done counts "Counts match the manifest ($(wc -l <"$work/counts") tables)"
else
  fact ok 0
  step_done counts 'Counts differ from the manifest'
fi
