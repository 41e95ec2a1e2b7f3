#!/bin/sh
# Prints what build detection reads of one commit of an app's repository (the server's copy,
# ~/.P/apps/A/git, which git-fetch.sh filled): the names in the folders asked for and the text of the
# files asked for, so that a source without a Dockerfile gets its build plan
# (src-main/core/builds/git-files.ts). Reads only.
#
# Usage: git-files.sh --prefix P --app A --commit SHA --folders 'F …' --files 'PATH …'
#   (folders and paths relative to the top, `.` for the top itself)
# Prints: `entry FOLDER NAME` (a sub-folder's NAME ends in /) and `file PATH BASE64` (at most 256 KiB).
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

prefix='' app='' commit='' folders='' files=''
parse_options 'prefix app commit folders files' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
require commit "$commit" "$COMMIT_PATTERN" 'a full 40-character commit id'
# Plain relative paths: no option-like or hidden-parent parts, nothing git would read as a revision.
path_pattern='[A-Za-z0-9_.][A-Za-z0-9_.-]*(/[A-Za-z0-9_.][A-Za-z0-9_.-]*)*'
for path in $folders $files; do
  require path "$path" "$path_pattern" 'a relative path'
  case /$path/ in */../*) fail INVALID_OPTION "Invalid path: \"$path\"" 'Expected a path inside the repository.' ;; esac
done
app_paths "$prefix" "$app"
repo=$git_dir
git --git-dir="$repo" cat-file -e "$commit^{commit}" 2>/dev/null ||
  fail GIT_COMMIT_MISSING "Commit $commit is not on the server" 'Deploy again: a deploy fetches its commit first.'

for folder in $folders; do
  tree=$commit:
  [ "$folder" = . ] || tree=$commit:$folder
  [ "$(git --git-dir="$repo" cat-file -t "$tree" 2>/dev/null)" = tree ] || continue
  git --git-dir="$repo" ls-tree "$tree" | while IFS="$(printf '\t')" read -r info name; do
    case $info in
      *' tree '*) printf 'entry %s %s/\n' "$folder" "$name" ;;
      *' blob '*) printf 'entry %s %s\n' "$folder" "$name" ;;
    esac
  done
done
for path in $files; do
  [ "$(git --git-dir="$repo" cat-file -t "$commit:$path" 2>/dev/null)" = blob ] || continue
  # A link is a blob too: its mode says which (120000), and a link is no file to read.
  mode=$(git --git-dir="$repo" ls-tree "$commit" -- "$path" | cut -d ' ' -f 1)
  case $mode in 100644 | 100755) ;; *) continue ;; esac
  printf 'file %s %s\n' "$path" "$(git --git-dir="$repo" cat-file blob "$commit:$path" | dd bs=1024 count=256 2>/dev/null | base64 | tr -d '\n')"
done
