#!/bin/sh
# Prints the manifest of an app's uploaded source (~/.P/apps/A/source.manifest), or `same` when its
# SHA-256 is HASH (the copy the caller holds), or nothing when there is none yet. Changes nothing.
#
# Usage: source-manifest.sh --prefix P --app A --hash SHA256|-
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

prefix='' app='' hash=''
parse_options 'prefix app hash' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
require hash "$hash" "-|$SHA256_PATTERN"
app_paths "$prefix" "$app"

manifest=$source_manifest
[ -f "$manifest" ] || exit 0
if [ "$(sha256sum <"$manifest" | cut -c 1-64)" = "$hash" ]; then echo same; else cat "$manifest"; fi
