#!/bin/sh
# A shell in an app's container, after checking here that the container runs and belongs to the app
# under this prefix (its labels), so a stale or forged record cannot open a shell in another
# container. `--mode check` only checks; `--mode open` then runs bash (or sh) in it, for a pty.
#
# Usage: container-shell.sh --prefix P --app A --container NAME --mode check|open
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

prefix='' app='' container='' mode=''
parse_options 'prefix app container mode' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
require container "$container" '[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}'
require mode "$mode" 'check|open'

format='{{.State.Running}} {{index .Config.Labels "dev.helvetia.app"}} {{index .Config.Labels "dev.helvetia.prefix"}}'
inspected=$(docker inspect --type container --format "$format" "$container" 2>/dev/null) || inspected=''
case $inspected in
  "true $app $prefix") ;;
  "false $app $prefix")
    fail CONTAINER_NOT_RUNNING "The container of $app ($container) is not running" \
      "See why in its log (helvetia logs $app), then deploy or roll back."
    ;;
  *)
    fail CONTAINER_NOT_FOUND "The container of $app ($container) is not on its server" \
      'Deploy the app again, then open the terminal.'
    ;;
esac
[ "$mode" = open ] || exit 0
# shellcheck disable=SC2016 # expanded by the shell in the container
exec docker exec -it -e TERM=xterm-256color "$container" sh -c 'command -v bash >/dev/null && exec bash || exec sh'
