#!/bin/sh
# Prints a database's backups, one JSON object a line: `manifest {…}` for each manifest in the target's
# bucket, then `run {…}` for each of the server's run records (a failed run has no manifest). Changes
# nothing.
#
# Usage: db-backups.sh --prefix P --database D --target T
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

prefix='' database='' target=''
parse_options 'prefix database target' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require database "$database" "$APP_PATTERN"
require target "$target" "$APP_PATTERN"
database_paths "$prefix" "$database"

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"; helvetia_on_exit' EXIT
open_target "$target" "$database"

step_running list "Reading the manifests in $target"
list_manifests >"$work/manifests" 2>"$work/list.err" || fail BACKUP_LIST_FAILED \
  "Could not list the backups in $target: $(grep -i -m 2 'error\|fail' "$work/list.err" | tr '\n' ' ')" \
  'Check that the storage is reachable from the server and the target'\''s keys are right.'
step_done list 'Read'
sed -n 's/^{/manifest {/p' "$work/manifests"
for record in "$db_backups_dir"/*.json; do
  [ -f "$record" ] || continue
  printf 'run %s\n' "$(tr -d '\n' <"$record")"
done
