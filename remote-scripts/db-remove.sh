#!/bin/sh
# Removes a database from this server: its container, its record, links and schedule, and (unless
# --keep-volume 1) its data volume and credentials. A kept volume keeps its credentials file beside it,
# so a later db-create.sh of the same name with the same credentials runs on the same data.
# Refused while apps are linked to it. Removing what is gone already changes nothing.
#
# Usage: db-remove.sh --prefix P --database N --keep-volume 0|1
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
# shellcheck source=lib/db-common.sh
. "$here/lib/db-common.sh"

prefix='' database='' keep_volume=''
parse_options 'prefix database keep-volume' "$@"
open_database
require 'keep-volume' "$keep_volume" '0|1'

if [ -s "$db_links" ]; then
  fail DATABASE_LINKED "Apps use $database: $(cut -d ' ' -f 1 "$db_links" | tr '\n' ' ')" "Unlink them first: helvetia db unlink $database APP"
fi
changes=0

step_running container "Removing $container"
if docker container inspect "$container" >/dev/null 2>&1; then
  # Stopped first, not killed: the engine writes what it holds in memory (Redis its snapshot) to the volume.
  timeout 120 docker stop -t 60 "$container" >/dev/null || true
  timeout 120 docker rm -f "$container" >/dev/null
  changes=1
  step_done container 'Removed'
else
  step_skipped container 'No container'
fi

step_running volume "Removing the data volume $volume"
if [ "$keep_volume" = 1 ]; then
  step_skipped volume 'Kept, with its credentials'
elif docker volume inspect "$volume" >/dev/null 2>&1; then
  timeout 120 docker volume rm "$volume" >/dev/null
  changes=1
  step_done volume 'Removed'
else
  step_skipped volume 'No volume'
fi

step_running record "Removing the record of $database"
if [ ! -d "$db_dir" ]; then
  step_skipped record 'No record'
elif [ "$keep_volume" = 1 ]; then
  find "$db_dir" -mindepth 1 -maxdepth 1 ! -name "${db_credentials##*/}" -exec rm -rf {} +
  changes=1
  step_done record 'Removed; the credentials stay with the volume'
else
  rm -rf "$db_dir"
  changes=1
  step_done record 'Removed'
fi
changed "$changes"
