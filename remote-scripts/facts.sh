#!/bin/sh
# Reports the server's facts (OS, architecture, privilege, Docker, CPUs, memory, free disk) as
# progress lines. Changes nothing. Usage: facts.sh
# shellcheck source-path=SCRIPTDIR
set -eu
here=$(dirname "$0")
# shellcheck source=lib/progress.sh
. "$here/lib/progress.sh"
# shellcheck source=lib/system.sh
. "$here/lib/system.sh"

[ "$#" -eq 0 ] || fail INVALID_ARGUMENT 'facts.sh takes no arguments'
step_running facts "Reading the server's facts"
gather_facts
emit_facts
step_done facts "$os_id $os_version on $arch; privilege: $privilege; Docker: ${docker_version:-$docker_status}"
