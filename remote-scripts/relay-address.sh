#!/bin/sh
# The address of the relay container on Helvetia's network, as fact `address`. Changes nothing.
#
# Usage: relay-address.sh --prefix P
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

prefix=''
parse_options 'prefix' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"

format="{{with index .NetworkSettings.Networks \"$prefix\"}}{{.IPAddress}}{{end}}"
address=$(docker inspect -f "$format" "$prefix-relay" 2>&1) || address=''
[ -n "$address" ] || fail RELAY_NOT_RUNNING "The relay container $prefix-relay is not running on this server" \
  'Install the relay again: helvetia relay install SERVER.'
fact address "$address"
