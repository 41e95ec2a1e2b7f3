#!/usr/bin/env bash
# Builds the test suite's isolated builder image, helvetia-test/buildah:latest, from Debian's buildah
# package (no registry is reachable here; production servers use a pinned official image such as
# quay.io/buildah/stable). An mmdebstrap root file system (a minute or two, once per machine),
# imported as it is: the image needs buildah, sh and coreutils, and runs as root. Rebuilt only when
# this recipe changes. Run by up.sh, under its lock. Needs root.
set -Eeuo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/server/lib.sh
. "$SCRIPT_DIR/lib.sh"

trap 'die "unexpected failure at line $LINENO: $BASH_COMMAND"' ERR

# test/integration/isolated-build.test.ts names it too.
IMAGE_BUILDAH=helvetia-test/buildah:latest
recipe="builder-image $(sha256sum <"$SCRIPT_DIR/builder-image.sh" | cut -c 1-16)"
current=$(docker image inspect -f '{{ index .Config.Labels "helvetia.test.recipe" }}' "$IMAGE_BUILDAH" 2>/dev/null || true)
if [[ $current == "$recipe" ]]; then
  log "builder image: present"
  exit 0
fi

command -v mmdebstrap >/dev/null || die "mmdebstrap is missing (it is in test/server/packages.txt)"
log "builder image: building with mmdebstrap (log: $STATE/builder-image.log)"
started=$SECONDS
context=$(mktemp -d "${TMPDIR:-/tmp}/helvetia-builder-image.XXXXXX")
trap 'rm -rf "$context"' EXIT
if ! mmdebstrap --variant=apt --format=tar --include=buildah,ca-certificates \
  bookworm "$context/root.tar" >"$STATE/builder-image.log" 2>&1; then
  tail -n 5 "$STATE/builder-image.log" >&2
  die "mmdebstrap failed (see $STATE/builder-image.log)"
fi
docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "LABEL helvetia.test.recipe=\"$recipe\" helvetia.test.image=1" \
  "$context/root.tar" "$IMAGE_BUILDAH" >/dev/null
docker run --rm --network none --entrypoint buildah "$IMAGE_BUILDAH" --version >/dev/null ||
  die "$IMAGE_BUILDAH does not run buildah"
log "builder image: built in $((SECONDS - started))s"
