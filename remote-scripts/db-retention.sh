#!/bin/sh
# Deletes the backups of a database that retention does not keep (lib/backup-retention.sh), computed
# from the manifests in the target's bucket alone. A corrupt backup fills no slot. The manifest goes
# before its object: an interruption leaves an unlisted object, never a manifest without its backup.
# Facts: kept, deleted (counts).
#
# Usage: db-retention.sh --prefix P --database D --target T --keep-daily N --keep-weekly N --keep-monthly N
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
# shellcheck source=lib/backup-retention.sh
. "$here/lib/backup-retention.sh"

prefix='' database='' target='' keep_daily='' keep_weekly='' keep_monthly=''
parse_options 'prefix database target keep-daily keep-weekly keep-monthly' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require database "$database" "$APP_PATTERN"
require target "$target" "$APP_PATTERN"
require keep-daily "$keep_daily" '[0-9]{1,4}'
require keep-weekly "$keep_weekly" '[0-9]{1,4}'
require keep-monthly "$keep_monthly" '[0-9]{1,4}'
[ "$((keep_daily + keep_weekly + keep_monthly))" -gt 0 ] ||
  fail INVALID_OPTION 'Retention that keeps nothing would delete every backup' 'Keep at least one daily, weekly or monthly backup.'
database_paths "$prefix" "$database"

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"; helvetia_on_exit' EXIT
open_target "$target" "$database"

step_running retention "Applying retention to the backups of $database in $target"
list_manifests >"$work/manifests" 2>"$work/list.err" || fail BACKUP_LIST_FAILED \
  "Could not list the backups in $target: $(grep -i -m 2 'error\|fail' "$work/list.err" | tr '\n' ' ')"
sed -n 's/^{"format":1,"id":"\([^"]*\)".*/\1/p' "$work/manifests" | sort >"$work/all"
grep '"verified":true' "$work/manifests" | sed -n 's/^{"format":1,"id":"\([^"]*\)".*/\1/p' |
  retention_keep "$keep_daily" "$keep_weekly" "$keep_monthly" | sort >"$work/keep" || true
comm -23 "$work/all" "$work/keep" >"$work/delete"
if [ -s "$work/delete" ]; then
  sed 's/$/.manifest.json/' "$work/delete" | uploader delete "T:$target_bucket/$backups_key" --files-from - 2>"$work/delete.err" ||
    fail BACKUP_DELETE_FAILED "Could not delete expired manifests: $(grep -i -m 2 'error\|fail' "$work/delete.err" | tr '\n' ' ')"
  sed 's/$/.gz/' "$work/delete" | uploader delete "T:$target_bucket/$backups_key" --files-from - 2>"$work/delete.err" ||
    fail BACKUP_DELETE_FAILED "Could not delete expired backups: $(grep -i -m 2 'error\|fail' "$work/delete.err" | tr '\n' ' ')"
fi
fact kept "$(wc -l <"$work/keep" | tr -d ' ')"
fact deleted "$(wc -l <"$work/delete" | tr -d ' ')"
step_done retention "Kept $(wc -l <"$work/keep" | tr -d ' '), deleted $(wc -l <"$work/delete" | tr -d ' ')"
