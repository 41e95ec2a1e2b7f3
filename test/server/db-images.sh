#!/usr/bin/env bash
# Builds the test suite's database and uploader images from Debian packages (no registry is
# reachable here): $IMAGE_POSTGRES, $IMAGE_MARIADB and $IMAGE_REDIS, whose entry points honour the
# official images' environment contract (db-images/*-entrypoint.sh), and $IMAGE_RCLONE, whose entry
# point is rclone as in rclone's own image. One mmdebstrap root file system holds all four tools (a
# minute or two, once per machine); the images share it as their only big layer. Rebuilt only when
# this recipe changes. Run by up.sh, under its lock. Needs root.
# Debian has no MySQL server and no MongoDB: those engines are not run here.
set -Eeuo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/server/lib.sh
. "$SCRIPT_DIR/lib.sh"

trap 'die "unexpected failure at line $LINENO: $BASH_COMMAND"' ERR

recipe="db-images $(cat "$SCRIPT_DIR/db-images.sh" "$SCRIPT_DIR"/db-images/* | sha256sum | cut -c 1-16)"
present=1
for image in "$IMAGE_POSTGRES" "$IMAGE_MARIADB" "$IMAGE_REDIS" "$IMAGE_RCLONE"; do
  current=$(docker image inspect -f '{{ index .Config.Labels "helvetia.test.recipe" }}' "$image" 2>/dev/null || true)
  [[ $current == "$recipe" ]] || present=0
done
if ((present)); then
  log "database images: present"
  exit 0
fi

command -v mmdebstrap >/dev/null || die "mmdebstrap is missing (it is in test/server/packages.txt)"
log "database images: building with mmdebstrap (log: $STATE/db-images.log)"
started=$SECONDS
context=$(mktemp -d "${TMPDIR:-/tmp}/helvetia-db-images.XXXXXX")
base=helvetia-test/db-base:latest
trap 'rm -rf "$context"' EXIT
if ! mmdebstrap --variant=apt --format=tar \
  --include=postgresql-15,mariadb-server,redis-server,rclone,ca-certificates,procps \
  bookworm "$context/root.tar" >"$STATE/db-images.log" 2>&1; then
  tail -n 5 "$STATE/db-images.log" >&2
  die "mmdebstrap failed (see $STATE/db-images.log)"
fi
docker import "$context/root.tar" "$base" >/dev/null
rm -f "$context/root.tar"
cp "$SCRIPT_DIR"/db-images/*-entrypoint.sh "$context/"

# build_image IMAGE DOCKERFILE-LINES...
build_image() {
  local image=$1
  shift
  printf '%s\n' "FROM $base" "$@" "LABEL helvetia.test.recipe=\"$recipe\" helvetia.test.image=1" >"$context/Dockerfile"
  docker build -q -t "$image" "$context" >>"$STATE/db-images.log" 2>&1 ||
    die "docker build of $image failed (see $STATE/db-images.log)"
}
build_image "$IMAGE_POSTGRES" \
  'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PGDATA=/var/lib/postgresql/data' \
  'COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh' \
  'EXPOSE 5432' 'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["postgres"]'
build_image "$IMAGE_MARIADB" \
  'RUN rm -rf /var/lib/mysql && mkdir /var/lib/mysql' \
  'COPY mariadb-entrypoint.sh /usr/local/bin/docker-entrypoint.sh' \
  'EXPOSE 3306' 'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["mariadbd"]'
build_image "$IMAGE_REDIS" \
  'RUN mkdir -p /data' 'WORKDIR /data' \
  'COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh' \
  'EXPOSE 6379' 'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["redis-server"]'
build_image "$IMAGE_RCLONE" 'ENTRYPOINT ["rclone"]'
log "database images: built in $((SECONDS - started))s"
