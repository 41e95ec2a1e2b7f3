#!/bin/sh
# Backs up a database to a target's bucket and proves the stored object: the engine's dump (in a
# throwaway container of its image) | gzip | the uploader, hashed and counted on the way; then the object
# is read back from the bucket and hashed again. Only when hash and size match is the manifest written
# beside it and the run recorded `verified`. Any failure deletes the object, records the run `failed`
# with its code and exits non-zero: a backup is never reported done unless it is.
# The run's record: db_backups_dir/ID.json. Facts: id, object, size, sha256.
#
# Usage: db-backup.sh --prefix P --database D --target T
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

prefix='' database='' target=''
parse_options 'prefix database target' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require database "$database" "$APP_PATTERN"
require target "$target" "$APP_PATTERN"
database_paths "$prefix" "$database"

umask 077
work=$(mktemp -d)
id=$(date -u +%Y%m%dT%H%M%SZ)-$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
run=$db_backups_dir/$id.json
at=$(now_utc)
object='' manifest_key='' session_pid=''

# finish: on any exit, a run not verified is failed (its object deleted); the job's containers go.
finish() {
  finish_code=$?
  counts_finish
  docker rm -f "$job-counts" "$job" >/dev/null 2>&1 || true
  if [ -f "$run" ] && [ "$(json_field "$run" state)" = running ]; then
    [ -z "$object" ] || remove_object "$object"
    write_run "$run" "$id" "$target" failed "$at" '' '' SCRIPT_FAILED "The backup stopped unexpectedly (exit code $finish_code)"
  fi
  rm -rf "$work"
  (exit "$finish_code")
  helvetia_on_exit
}
job=$prefix-db-$database-backup-$id
trap finish EXIT

# run_fail CODE MESSAGE [HINT]: deletes what was stored, records the run failed, fails.
run_fail() {
  [ -z "$object" ] || remove_object "$object"
  [ -z "$manifest_key" ] || remove_object "$manifest_key"
  write_run "$run" "$id" "$target" failed "$at" '' '' "$1" "$2"
  fail "$@"
}

open_database "$database"
case $db_engine in mongodb)
  fail BACKUP_ENGINE_UNSUPPORTED 'Backups of MongoDB databases are not supported yet' ;;
esac
open_target "$target" "$database"
mkdir -p "$db_backups_dir"
fact id "$id"

step_running lock "Waiting for other backups and restores of $database"
lock_database 3600
step_done lock 'Locked'
write_run "$run" "$id" "$target" running "$at" '' ''

step_running dump "Dumping $database ($db_engine) to $target"
engine_env
counts_start "$job" || run_fail BACKUP_DUMP_FAILED "Could not count the rows of $database: $(tail -n 3 "$work/session.err" | tr '\n' ' ')"
object=$backups_key/$id.gz
mkfifo "$work/upload"
uploader rcat "T:$target_bucket/$object" <"$work/upload" 2>"$work/upload.err" &
upload_pid=$!
# One pipeline; each stage that fails leaves a mark, since sh keeps only the last one's status.
sent=$({ dump_database "$job" 2>"$work/dump.err" || echo >"$work/dump.failed"; } |
  { gzip -c || echo >"$work/gzip.failed"; } | { tee "$work/upload" || true; } | digest)
upload_ok=1
wait "$upload_pid" || upload_ok=0
counts_finish
# A refused or broken upload breaks the pipe of the stages before it: it is the cause when it failed.
[ "$upload_ok" = 1 ] || run_fail BACKUP_UPLOAD_FAILED \
  "The upload to $target failed: $(grep -i -m 2 'error\|fail' "$work/upload.err" | tr '\n' ' ')" \
  'Check the target'\''s endpoint, bucket and keys (helvetia backup target list) and that the storage is reachable from the server.'
if [ -e "$work/dump.failed" ] || [ -e "$work/gzip.failed" ]; then
  run_fail BACKUP_DUMP_FAILED "The dump of $database failed: $(tail -n 3 "$work/dump.err" | tr '\n' ' ')" \
    'Check that the database runs (helvetia db info NAME) and see the message above.'
fi
sha=${sent% *} size=${sent#* }
step_done dump "Uploaded $size bytes"

step_running verify "Reading the backup back from $target"
stored=$(read_back "$object") || run_fail BACKUP_VERIFY_FAILED \
  "The uploaded backup could not be read back: $(grep -i -m 2 'error\|fail' "$work/readback.err" | tr '\n' ' ')"
[ "$stored" = "$sent" ] || run_fail BACKUP_VERIFY_FAILED \
  "The stored backup differs from what was sent (sent $size bytes, sha256 $sha; stored ${stored#* } bytes, sha256 ${stored% *})"
tools_dump=$(dump_tool_version)
tools_uploader=$(uploader_version)
manifest="{\"format\":1,\"id\":\"$id\",\"database\":\"$database\",\"engine\":\"$db_engine\",\"version\":$(json_string "$(json_field "$db_record" version)"),\"image\":\"$db_image\",\"createdAt\":\"$at\",\"object\":$(json_string "$object"),\"size\":$size,\"sha256\":\"$sha\",\"compression\":\"gzip\",\"tools\":{\"dump\":$(json_string "$tools_dump"),\"uploader\":$(json_string "$tools_uploader")},\"counts\":$(counts_json),\"verified\":true,\"verifiedAt\":\"$(now_utc)\"}"
manifest_key=$backups_key/$id.manifest.json
printf '%s\n' "$manifest" | uploader rcat "T:$target_bucket/$manifest_key" 2>"$work/upload.err" ||
  run_fail BACKUP_UPLOAD_FAILED "The manifest could not be stored: $(grep -i -m 2 'error\|fail' "$work/upload.err" | tr '\n' ' ')"
write_run "$run" "$id" "$target" verified "$at" "$size" "$sha"
fact object "$object"
fact size "$size"
fact sha256 "$sha"
step_done verify "Verified: sha256 $sha"
