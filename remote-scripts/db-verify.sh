#!/bin/sh
# Verifies a stored backup again: reads its object back from the bucket and compares its sha256 and
# size with the manifest's. A mismatch (or an object gone) marks it corrupt, in its manifest (state
# `corrupt`, verified false) and in the server's run record, and fails with BACKUP_CORRUPT.
# Facts: sha256, size.
#
# Usage: db-verify.sh --prefix P --database D --target T --backup ID
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

prefix='' database='' target='' backup=''
parse_options 'prefix database target backup' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require database "$database" "$APP_PATTERN"
require target "$target" "$APP_PATTERN"
require backup "$backup" "$BACKUP_ID_PATTERN"
database_paths "$prefix" "$database"

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"; helvetia_on_exit' EXIT
open_target "$target" "$database"
manifest_key=$backups_key/$backup.manifest.json

step_running verify "Reading backup $backup back from $target"
uploader cat "T:$target_bucket/$manifest_key" >"$work/manifest" 2>"$work/manifest.err" || true
if [ ! -s "$work/manifest" ]; then
  if grep -q -i 'not found\|NoSuchKey\|404' "$work/manifest.err"; then
    fail BACKUP_NOT_FOUND "No backup $backup of $database in $target" 'Run helvetia db backups NAME for its backups.'
  fi
  fail BACKUP_VERIFY_FAILED "Could not read the manifest of $backup: $(grep -i -m 2 'error\|fail' "$work/manifest.err" | tr '\n' ' ')"
fi
expected="$(json_field "$work/manifest" sha256) $(json_field "$work/manifest" size)"
object=$(json_field "$work/manifest" object)
[ "$object" = "$backups_key/$backup.gz" ] || fail BACKUP_VERIFY_FAILED "The manifest of $backup names another object: $object"
stored=$(read_back "$object") || stored="missing 0"
if [ "$stored" != "$expected" ]; then
  at=$(now_utc)
  # The manifest says so where anyone reading the bucket looks (retention, the list, a restore).
  sed 's/"verified":true/"verified":false,"state":"corrupt"/; s/"verifiedAt":"[^"]*"/"corruptAt":"'"$at"'"/' "$work/manifest" |
    uploader rcat "T:$target_bucket/$manifest_key" 2>/dev/null || true
  message="Backup $backup is corrupt: its manifest says sha256 ${expected% *}, ${expected#* } bytes; the stored object has sha256 ${stored% *}, ${stored#* } bytes"
  mkdir -p "$db_backups_dir"
  write_run "$db_backups_dir/$backup.json" "$backup" "$target" corrupt "$(json_field "$work/manifest" createdAt)" \
    "${expected#* }" "${expected% *}" BACKUP_CORRUPT "$message"
  fail BACKUP_CORRUPT "$message" 'Take a new backup (helvetia db backup NAME); do not restore this one.'
fi
fact sha256 "${stored% *}"
fact size "${stored#* }"
step_done verify "Verified: sha256 ${stored% *}"
