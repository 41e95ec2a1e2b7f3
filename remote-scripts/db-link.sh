#!/bin/sh
# Records on this server that app APP uses database NAME under env key KEY (one `APP KEY` line of the
# database's links file), or, with `--action remove`, that it no longer does; `--action show` changes
# nothing. Each reports fact `key`: the key APP's line named before (empty when there was none). The
# file is written beside the old one and renamed over it, under flock, so two links at once cannot
# lose a line. Idempotent.
#
# Usage: db-link.sh --prefix P --database NAME --app APP --action add|remove|show [--key KEY]
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

prefix='' database='' app='' action='' key=''
parse_options 'prefix database app action key' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require database "$database" "$APP_PATTERN"
require app "$app" "$APP_PATTERN"
require action "$action" 'add|remove|show'
[ "$action" != add ] || require key "$key" "$ENV_KEY_PATTERN"
database_paths "$prefix" "$database"

[ -f "$db_record" ] || fail DATABASE_NOT_FOUND "No database $database on this server" \
  'See helvetia db list: the database may have been removed.'

if [ "$action" = show ]; then
  fact key "$(awk -v app="$app" '$1 == app { print $2 }' "$db_links" 2>/dev/null)"
  exit 0
fi
umask 077
exec 8>"$db_links.lock"
flock -w 60 8 || fail DATABASE_BUSY "Another link of $database still holds its links file after 60s" 'Try again.'
touch "$db_links"
# The links file holds app names and env keys only: both patterns above, so awk reads them as words.
old=$(awk -v app="$app" '$1 == app { print $2 }' "$db_links")
awk -v app="$app" '$1 != app' "$db_links" >"$db_links.tmp"
[ "$action" = remove ] || printf '%s %s\n' "$app" "$key" >>"$db_links.tmp"
mv -f "$db_links.tmp" "$db_links"
fact key "$old"
if [ "$action" = add ] && [ "$old" = "$key" ]; then changed 0; elif [ "$action" = remove ] && [ -z "$old" ]; then changed 0; else changed 1; fi
