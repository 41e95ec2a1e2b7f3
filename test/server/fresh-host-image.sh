#!/usr/bin/env bash
# Builds the image of a fresh Debian 12 server, $IMAGE_FRESH_HOST: what a new VPS is before Helvetia
# touches it (apt, openssh-server, curl, no Docker), for the test that provisions a server from
# nothing (test/integration/provision-fresh.test.ts). Root logs in by key; the test puts its own host
# key and authorized key into each container it starts from this image. mmdebstrap makes the root
# file system from Debian's archive (a few minutes, once per machine): the image is rebuilt only when
# this recipe (this file, fresh-host-init.sh or fresh-host-docker-defaults) changes. Run by up.sh,
# under its lock. Needs root.
set -Eeuo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/server/lib.sh
. "$SCRIPT_DIR/lib.sh"

trap 'die "unexpected failure at line $LINENO: $BASH_COMMAND"' ERR

recipe_files=("$SCRIPT_DIR"/fresh-host-{image.sh,init.sh,docker-defaults})
recipe="fresh-host $(cat "${recipe_files[@]}" | sha256sum | cut -c 1-16)"
current=$(docker image inspect -f '{{ index .Config.Labels "helvetia.test.recipe" }}' "$IMAGE_FRESH_HOST" 2>/dev/null || true)
if [[ $current == "$recipe" ]]; then
  log "image $IMAGE_FRESH_HOST: present"
  exit 0
fi

command -v mmdebstrap >/dev/null || die "mmdebstrap is missing (it is in test/server/packages.txt)"
log "image $IMAGE_FRESH_HOST: building with mmdebstrap (log: $STATE/fresh-host-image.log)"
started=$SECONDS
context=$(mktemp -d "${TMPDIR:-/tmp}/helvetia-fresh-host.XXXXXX")
base=$IMAGE_FRESH_HOST-base
trap 'rm -rf "$context"; docker rmi "$base" >/dev/null 2>&1 || true' EXIT
if ! mmdebstrap --variant=apt --format=tar --include=openssh-server,curl,ca-certificates,mount \
  bookworm "$context/root.tar" >"$STATE/fresh-host-image.log" 2>&1; then
  tail -n 5 "$STATE/fresh-host-image.log" >&2
  die "mmdebstrap failed (see $STATE/fresh-host-image.log)"
fi
docker import "$context/root.tar" "$base" >/dev/null
rm -f "$context/root.tar"
# The rest is the builder's, not mmdebstrap's hooks (which left /proc mounted here under load). The
# host keys openssh-server made at installation go: every container gets its own.
cp "$SCRIPT_DIR/fresh-host-init.sh" "$SCRIPT_DIR/fresh-host-docker-defaults" "$context/"
cat >"$context/Dockerfile" <<EOF
FROM $base
COPY fresh-host-init.sh /usr/local/sbin/helvetia-test-host-init
COPY fresh-host-docker-defaults /etc/default/docker
RUN rm -f /etc/ssh/ssh_host_* && ! command -v docker
LABEL helvetia.test.recipe="$recipe" helvetia.test.image=1
CMD ["/usr/local/sbin/helvetia-test-host-init"]
EOF
docker build -q -t "$IMAGE_FRESH_HOST" "$context" >>"$STATE/fresh-host-image.log" 2>&1 ||
  die "docker build of $IMAGE_FRESH_HOST failed (see $STATE/fresh-host-image.log)"
log "image $IMAGE_FRESH_HOST: built in $((SECONDS - started))s"
