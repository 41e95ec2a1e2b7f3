#!/bin/sh
# Prints a git app's compose file as it is at a commit of the server's copy of its repository (which
# git-fetch.sh brought there), so that Helvetia checks it before deploying that commit.
#
# Usage: stack-file.sh --prefix P --app A --commit SHA --file PATH
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

prefix='' app='' commit='' file=''
parse_options 'prefix app commit file' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
require commit "$commit" "$COMMIT_PATTERN" 'a full 40-character commit id'
require 'compose file' "$file" "$COMPOSE_FILE_PATTERN" 'a path inside the repository'
case /$file/ in */../*) fail INVALID_OPTION "Invalid compose file: $file" ;; esac
app_paths "$prefix" "$app"
git --git-dir="$git_dir" cat-file -e "$commit:$file" 2>/dev/null ||
  fail COMPOSE_FILE_MISSING "The repository has no $file at commit $commit" 'Give the path of the compose file in the repository (--compose-file).'
git --git-dir="$git_dir" show "$commit:$file"
