#!/bin/sh
# Keeps a backup target's settings on this server as a 0600 file (backup_targets_dir/TARGET), read from
# standard input: `RCLONE_CONFIG_T_*=value` lines (the uploader's settings, with the secret key) and
# HELVETIA_TARGET_BUCKET, HELVETIA_TARGET_PREFIX, HELVETIA_UPLOADER_IMAGE. `--action remove` deletes it.
#
# Usage: backup-target.sh --prefix P --target T --action install|remove  < settings
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

prefix='' target='' action=''
parse_options 'prefix target action' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require target "$target" "$APP_PATTERN"
require action "$action" 'install|remove'
server_paths "$prefix"
file=$backup_targets_dir/$target

umask 077
if [ "$action" = remove ]; then
  rm -f "$file"
  exit 0
fi
mkdir -p "$backup_targets_dir"
cat >"$file.tmp"
# Only settings lines: the file is handed to docker as an --env-file.
if grep -qv -e '^RCLONE_CONFIG_T_[A-Z_]*=' -e '^HELVETIA_TARGET_BUCKET=' -e '^HELVETIA_TARGET_PREFIX=' \
  -e '^HELVETIA_UPLOADER_IMAGE=' "$file.tmp"; then
  rm -f "$file.tmp"
  fail INVALID_OPTION 'The backup target'\''s settings hold a line that is not a setting'
fi
mv -f "$file.tmp" "$file"
changed 1
