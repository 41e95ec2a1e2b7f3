#!/bin/sh
# Lists the process types of an app's live deployment (lib/deploy-processes.sh) as they run now, one
# line each: NAME TAB REPLICAS TAB RUNNING TAB CONTAINERS (space-separated) TAB COMMAND (empty: the
# image's own). Nothing before the first deploy.
#
# Usage: processes-list.sh --prefix P --app A
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

prefix='' app=''
parse_options 'prefix app' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
app_paths "$prefix" "$app"

current=$(cat "$current_file" 2>/dev/null || true)
[ -n "$current" ] || exit 0
live=$deployments_dir/$current
running=$(timeout 60 docker ps --filter "label=dev.helvetia.app=$app" --filter "label=dev.helvetia.prefix=$prefix" \
  --filter status=running --format '{{.Names}}')
# The deployment's containers, one `NAME CONTAINER` line each: the web one, then the workers.
web=$(state_get "$live" container)
containers=$(
  [ -z "$web" ] || echo "web $web"
  cat "$live/workers" 2>/dev/null || true
)
LC_ALL=C awk -v running="$running" -v containers="$containers" -v tab='	' '
  BEGIN {
    n = split(running, names, "\n")
    for (i = 1; i <= n; i++) up[names[i]] = 1
    n = split(containers, lines, "\n")
    for (i = 1; i <= n; i++) {
      split(lines[i], f, " ")
      of[f[1]] = of[f[1]] (of[f[1]] == "" ? "" : " ") f[2]
      if (f[2] in up) count[f[1]]++
    }
  }
  {
    command = $0
    for (i = 1; i <= 4; i++) sub(/^[^ ]+ ?/, "", command)
    print $1 tab $2 tab (count[$1] + 0) tab of[$1] tab command
  }' "$live/processes"
