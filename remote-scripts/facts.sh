#!/bin/sh
# Reports the server's facts (OS, architecture, privilege, Docker, CPUs, memory, free disk) and the
# reverse proxy running under the prefix (lib/proxy-state.sh) as progress lines. Changes nothing.
# Usage: facts.sh --prefix P
# shellcheck source-path=SCRIPTDIR
set -eu
here=$(dirname "$0")
# shellcheck source=lib/progress.sh
. "$here/lib/progress.sh"
# shellcheck source=lib/system.sh
. "$here/lib/system.sh"
# shellcheck source=lib/rules.sh
. "$here/lib/rules.sh"
# shellcheck source=lib/validate.sh
. "$here/lib/validate.sh"
# shellcheck source=lib/proxy-state.sh
. "$here/lib/proxy-state.sh"

if [ "$#" -ne 2 ] || [ "$1" != --prefix ]; then
  fail INVALID_ARGUMENT 'Usage: facts.sh --prefix P'
fi
require prefix "$2" "$PREFIX_PATTERN"
step_running facts "Reading the server's facts"
gather_facts
emit_facts
read_proxy "$2"
emit_proxy_facts
step_done facts "$os_id $os_version on $arch; privilege: $privilege; Docker: ${docker_version:-$docker_status}"
