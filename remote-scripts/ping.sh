#!/bin/sh
# Proves a login works and runs Helvetia's scripts (and that their protocol is not newer than the
# caller's, which the runner checks before this runs). Changes nothing.
#
# Usage: ping.sh
set -eu
[ "$#" -eq 0 ] || { echo 'Usage: ping.sh' >&2; exit 2; }
