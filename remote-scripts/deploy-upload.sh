#!/bin/sh
# Applies an upload of an app's source folder: standard input is a tar archive holding the files that
# changed since the last upload (under files/), the paths deleted since (changes/deleted, NUL-separated)
# and the manifest lines of every added or changed file (changes/manifest). The server keeps the tree in
# ~/.PREFIX/apps/APP/source and its manifest (sha256, size, mtime, mode, path; tab-separated, sorted)
# in source.manifest, so any machine can send the next change set.
#
# Usage: deploy-upload.sh --prefix P --app A --bytes N --source-id SHA256 < changes.tar
# --bytes is the archive's size (an interrupted transfer changes nothing); --source-id is what the
# sender computed for the resulting tree (sha256 of the manifest's sha256, mode and path columns):
# the upload fails unless the server's tree agrees. The tree changes only under the app's source lock
# (source.lock), which deploy-start.sh takes too while it snapshots the tree for a deployment.
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

prefix='' app='' bytes='' source_id=''
parse_options 'prefix app bytes source-id' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN" 'a DNS label of at most 40 characters'
require bytes "$bytes" '[0-9]{1,15}'
require 'source id' "$source_id" "$SHA256_PATTERN"
app_paths "$prefix" "$app"

step_running upload 'Receiving the changed files'
umask 077
mkdir -p "$app_dir"
incoming=$app_dir/upload.$$
trap 'rm -rf "$incoming" "$incoming.tar"; helvetia_on_exit' EXIT
cat >"$incoming.tar"
received=$(wc -c <"$incoming.tar" | tr -d ' ')
[ "$received" = "$bytes" ] || fail UPLOAD_INCOMPLETE "Received $received of $bytes bytes" 'The connection dropped during the upload; deploy again.'
lock_source
mkdir -p "$source_dir"
mkdir "$incoming"
tar -x -C "$incoming" -f "$incoming.tar" changes
if tar -t -f "$incoming.tar" files >/dev/null 2>&1; then
  # tar replaces each file by a new one (it unlinks first), so a deploy's hard-linked snapshot of the
  # previous tree is never changed underneath it. The files keep their modes (644 or 755): the image
  # gets them as they are.
  tar -x -C "$source_dir" --strip-components=1 --no-same-owner --preserve-permissions -f "$incoming.tar" files
fi

# Deleted paths: relative, without `..`. A name holding a line break splits into lines here, which can
# only make this check stricter.
tr '\0' '\n' <"$incoming/changes/deleted" >"$incoming/deleted-lines"
if [ -s "$incoming/deleted-lines" ]; then
  if grep -Eq '^/|(^|/)\.\.(/|$)' "$incoming/deleted-lines"; then
    fail INVALID_ARGUMENT 'The upload deletes a path outside the source folder'
  fi
  (cd "$source_dir" && xargs -0 rm -f -- <"$incoming/changes/deleted")
  find "$source_dir" -mindepth 1 -type d -empty -delete
fi

# The new manifest: the old one without deleted or changed paths, plus the changed ones.
touch "$source_manifest"
LC_ALL=C awk -F '\t' -v changes="$incoming/changes/manifest" -v deleted="$incoming/deleted-lines" '
  function path_of(line, f) { split(line, f, "\t"); return substr(line, length(f[1] f[2] f[3] f[4]) + 5) }
  BEGIN {
    while ((getline line < deleted) > 0) gone[line] = 1
    while ((getline line < changes) > 0) { gone[path_of(line)] = 1; print line }
  }
  !(path_of($0) in gone)
' "$source_manifest" | LC_ALL=C sort -t "$(printf '\t')" -k 5 >"$source_manifest.$$"
mv -f "$source_manifest.$$" "$source_manifest"
actual=$(LC_ALL=C cut -f 1,4,5 "$source_manifest" | sha256sum | cut -c 1-64)
if [ "$actual" != "$source_id" ]; then
  # The tree no longer matches what the sender expects (changed on the server, or an earlier upload
  # was cut short): start over, so the next upload sends everything.
  rm -rf "$source_manifest" "$source_dir"
  fail UPLOAD_MISMATCH 'The uploaded source does not match the local folder' 'Deploy again: the whole folder will be sent.'
fi
fact source-id "$source_id"
step_done upload "Source $source_id is on the server"
