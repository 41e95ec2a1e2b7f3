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

drill=$(date -u +%Y%m%dT%H%M%SZ)-$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
scratch=$prefix-db-$database-drill-$drill
work=$db_dir/drill-$drill
at=$(now_utc)
outcome=''
remove_scratch() {
  drill_exit=$?
  set +e
  docker rm -f -v "$scratch" >/dev/null 2>&1
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
mkdir -p "$work"
chmod 700 "$work"
backup_fetch "$database" "$work"
engine=$(json_get "$work/manifest.json" engine)
image=$(json_get "$work/manifest.json" image)
require image "$image" "$IMAGE_PATTERN"
step_done fetch "sha256 matches the manifest ($(wc -c <"$work/backup.gz") bytes)"

step_running scratch "Starting a scratch $engine from $image"
DB_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
# shellcheck disable=SC2034 # read by lib/db-restore.sh
DB_ROOT_PASSWORD=$DB_PASSWORD DB_USER=helvetia DB_NAME=drill
POSTGRES_PASSWORD=$DB_PASSWORD MARIADB_ROOT_PASSWORD=$DB_PASSWORD MYSQL_ROOT_PASSWORD=$DB_PASSWORD
export POSTGRES_PASSWORD MARIADB_ROOT_PASSWORD MYSQL_ROOT_PASSWORD
docker network inspect "$prefix" >/dev/null 2>&1 || docker network create --label dev.helvetia.managed=true "$prefix" >/dev/null
docker volume create --label dev.helvetia.managed=true --label "dev.helvetia.drill=$database" "$scratch-data" >/dev/null
set -- docker run -d --name "$scratch" --network "$prefix" --label dev.helvetia.managed=true \
  --label "dev.helvetia.drill=$database" --log-opt max-size=1m
case $engine in
  postgres) "$@" -v "$scratch-data:/var/lib/postgresql/data" -e POSTGRES_PASSWORD -e POSTGRES_USER=helvetia -e POSTGRES_DB=drill "$image" >/dev/null ;;
  mariadb) "$@" -v "$scratch-data:/var/lib/mysql" -e MARIADB_ROOT_PASSWORD -e MARIADB_DATABASE=drill "$image" >/dev/null ;;
  mysql) "$@" -v "$scratch-data:/var/lib/mysql" -e MYSQL_ROOT_PASSWORD -e MYSQL_DATABASE=drill "$image" >/dev/null ;;
  redis)
    # Redis reads its data only when it starts: the RDB goes into the volume first.
    redis_place "$image" "$scratch-data" 0 <"$work/backup.gz"
    "$@" -v "$scratch-data:/data" "$image" redis-server --appendonly no --requirepass "$DB_PASSWORD" >/dev/null
    ;;
  *) fail ENGINE_NOT_SUPPORTED "Restoring $engine is not supported yet" ;;
esac
db_wait_ready "$engine" "$scratch"
step_done scratch "$scratch is ready"

step_running restore "Restoring $backup_id into $scratch"
case $engine in
  redis) ;;
  *) restore_sql "$engine" "$scratch" <"$work/backup.gz" 2>"$work/errors" ||
    fail RESTORE_FAILED "The backup did not restore: $(tail -n 3 "$work/errors" | tr '\n' ' ')" ;;
esac
step_done restore 'Restored'

step_running counts 'Comparing counts with the manifest'
db_counts "$engine" "$scratch" >"$work/actual"
manifest_counts "$work/manifest.json" "$work/actual" >"$work/expected"
counts_compare "$work/expected" "$work/actual" >"$work/compared"
counts=$(sed -n 1p "$work/compared")
if [ "$(sed -n 2p "$work/compared")" = ok ]; then outcome=true; else outcome=false; fi
record "$counts" "$outcome"
if [ "$outcome" = true ]; then
  fact ok 1
  step_done counts "Counts match the manifest ($(wc -l <"$work/actual") tables)"
else
  fact ok 0
  step_done counts 'Counts differ from the manifest'
fi
