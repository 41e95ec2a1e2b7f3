#!/bin/sh
# Lists an app's scheduled jobs: first `offset +HHMM` (the server clock's offset from UTC, for the next
# run times), then one `JOB-JSON<TAB>LAST-RUN-JSON` line per job (`-`: it never ran).
#
# Usage: job-list.sh --prefix P --app A
# shellcheck source-path=SCRIPTDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/progress.sh
. "$here/lib/progress.sh"
# shellcheck source=lib/rules.sh
. "$here/lib/rules.sh"
# shellcheck source=lib/validate.sh
. "$here/lib/validate.sh"
# shellcheck source=lib/deploy-common.sh
. "$here/lib/deploy-common.sh"
# shellcheck source=lib/jobs.sh
. "$here/lib/jobs.sh"

prefix='' app=''
parse_options 'prefix app' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
app_paths "$prefix" "$app"

echo "offset $(date +%z)"
for record in "$jobs_dir"/*.json; do
  [ -f "$record" ] || continue
  last=$(find "${record%.json}/runs" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort | tail -n 1)
  printf '%s\t%s\n' "$(cat "$record")" "$(cat "$last/meta.json" 2>/dev/null || echo -)"
done
