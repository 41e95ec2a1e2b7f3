#!/usr/bin/env bash
# Installs the Debian packages in test/server/packages.txt, plus any given as arguments, that are
# not installed yet. Does nothing (and needs no network) when all are present; runs
# `apt-get update` only when something is missing. Package scripts may not start services while
# it runs (a temporary policy-rc.d), so no system sshd on :22 or dockerd comes up by itself.
# Used by test/server/up.sh and .ci/run. Needs root. Log: $HELVETIA_TEST_STATE/apt.log.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/server/lib.sh
. "$SCRIPT_DIR/lib.sh"

[[ $(id -u) -eq 0 ]] || die "not root"

wanted=()
while read -r pkg; do
  pkg=${pkg%%#*}
  pkg=${pkg//[[:space:]]/}
  [[ -z $pkg ]] || wanted+=("$pkg")
done <"$SCRIPT_DIR/packages.txt"
wanted+=("$@")

# One dpkg-query for all (fast on a second run); a package it does not know is missing too.
mapfile -t installed < <(
  dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null |
    awk '$2 == "install" && $3 == "ok" && $4 == "installed" { print $1 }'
)
missing=()
for pkg in "${wanted[@]}"; do
  found=""
  for have in "${installed[@]}"; do
    if [[ $have == "$pkg" ]]; then
      found=1
      break
    fi
  done
  [[ -n $found ]] || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
  log "packages: all present"
  exit 0
fi

command -v apt-get >/dev/null || die "apt-get unavailable (missing packages: ${missing[*]})"
install -d -m 700 "$STATE"
aptlog=$STATE/apt.log
log "packages: installing ${missing[*]} (log: $aptlog)"

policy_created=""
remove_policy() {
  if [[ -n $policy_created ]]; then
    rm -f /usr/sbin/policy-rc.d
  fi
}
trap remove_policy EXIT
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\n# Temporary, from helvetia test/server/install-packages.sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  policy_created=1
fi

export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
ok=1
apt-get -o DPkg::Lock::Timeout=300 update >"$aptlog" 2>&1 || ok=0
if ((ok)); then
  apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}" >>"$aptlog" 2>&1 || ok=0
fi
if ((!ok)); then
  tail -n 15 "$aptlog" >&2
  die "apt-get install failed for: ${missing[*]} (see $aptlog)"
fi
log "packages: installed ${missing[*]}"
