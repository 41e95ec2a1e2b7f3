# What the database scripts share: a database's names on this server and its record as the scripts
# print it. The paths come from database_paths (lib/rules.sh), the engine's facts from
# lib/db-engines.sh. Sourced after lib/progress.sh, lib/rules.sh, lib/validate.sh, lib/deploy-common.sh
# (parse_options) and lib/db-engines.sh; defines functions only.
# shellcheck disable=SC2034 # the variables are used by the scripts that source this file

# open_database: checks $prefix and $database (set by parse_options), then sets the database's paths
# (database_paths) and its names in Docker: the network it lives on, its container (the host name
# apps reach it by) and its data volume.
# shellcheck disable=SC2154 # parse_options (the caller) sets them
open_database() {
  require prefix "$prefix" "$PREFIX_PATTERN"
  require 'database name' "$database" "$APP_PATTERN" 'lowercase letters, digits and dashes (a DNS label of at most 40 characters)'
  database_paths "$prefix" "$database"
  network=$prefix
  container=$prefix-db-$database
  volume=$prefix-db-$database-data
}

# db_states: one `NAME STATE` line per database container of $prefix, as Docker says (running, exited…).
db_states() {
  docker ps -a --filter label=dev.helvetia.managed=true --filter "label=dev.helvetia.prefix=$prefix" \
    --filter label=dev.helvetia.database --format '{{.Label "dev.helvetia.database"}} {{.State}}'
}

# db_print NAME STATES: the database's record as `NAME record JSON`, `NAME state STATE` (from STATES,
# db_states' output; `missing` without a container) and one `NAME link APP KEY` line per linked app.
# shellcheck disable=SC2154 # database_paths sets the paths
db_print() {
  database_paths "$prefix" "$1"
  printf '%s record %s\n' "$1" "$(tr '\n' ' ' <"$db_record")"
  printf '%s state %s\n' "$1" "$(printf '%s\n' "$2" | sed -n "s/^$1 //p" | head -n 1 | grep . || echo missing)"
  if [ -f "$db_links" ]; then
    sed "s/^/$1 link /" "$db_links"
  fi
}
