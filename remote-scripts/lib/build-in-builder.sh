# The part of an isolated build that runs inside the throwaway builder container: lib/build-isolated.sh
# sends this file on standard input (`docker exec … sh -s -- DRIVER ACTION ARGS…`), so nothing of
# Helvetia has to be in the builder image but buildah, sh and coreutils. The container's only writable
# disk is /var/lib/containers (the server's cache volume, shared by all isolated builds) and /var/tmp
# (its own anonymous volume, gone with it); buildah's layers live in the first, its downloads in both.
#
#   size                      kilobytes used by the cache volume and /var/tmp together (du -skx)
#   prune CAP_KB              removes least recently used images until the size is at most CAP_KB
#   use REF ID                the base image ID is here: name it REF, mark it used (exit 3: it is not)
#   load REF                  a `docker save` archive of REF on standard input becomes an image here
#   build DISK_KB BUD-ARGS…   `buildah bud BUD-ARGS…`, stopped (exit 90) when the size passes DISK_KB
#   push REF                  writes the last build's image as a docker-archive named REF to stdout
set -eu

driver=$1
action=$2
shift 2
case $driver in overlay | vfs) ;; *) echo "Unknown storage driver: $driver" >&2 && exit 2 ;; esac
storage=/var/lib/containers/storage
# containers/storage keeps each image's record in a folder of its own: its time is the image's last use.
records=$storage/$driver-images

bh() {
  buildah --root "$storage" --runroot /run/containers/storage --storage-driver "$driver" "$@"
}

size_kb() {
  du -skx /var/lib/containers /var/tmp 2>/dev/null | awk '{ total += $1 } END { print total + 0 }'
}

mark_used() {
  [ ! -d "$records/$1" ] || touch "$records/$1"
}

case $action in
  size) size_kb ;;
  prune)
    cap=$1
    [ "$(size_kb)" -gt "$cap" ] || exit 0
    # Oldest use first. An image a build's working container stands on (a build running now) stays;
    # the others go with all their names (-f: an image of several names is refused otherwise).
    in_use=$(bh containers -a --notruncate --format '{{.ImageID}}' 2>/dev/null || true)
    # shellcheck disable=SC2045 # the records are named by hex ids only
    for record in $(ls -1tr "$records" 2>/dev/null); do
      [ -d "$records/$record" ] || continue
      case $in_use in *"$record"*) continue ;; esac
      bh rmi -f "$record" >/dev/null 2>&1 || true
      [ "$(size_kb)" -gt "$cap" ] || exit 0
    done
    ;;
  use)
    [ -d "$records/${2#sha256:}" ] || exit 3
    bh tag "${2#sha256:}" "$1" >/dev/null
    mark_used "${2#sha256:}"
    ;;
  load)
    archive=$(mktemp /var/tmp/base.XXXXXX)
    cat >"$archive"
    id=$(bh pull -q "docker-archive:$archive")
    rm -f "$archive"
    bh tag "$id" "$1" >/dev/null
    ;;
  build)
    cap=$1
    shift
    # Its output passes through here, so the cached steps it reuses count as used too.
    rm -f /run/bud-output /run/over-cap
    mkfifo /run/bud-output
    while IFS= read -r line; do
      printf '%s\n' "$line"
      case $line in '--> Using cache '*) mark_used "${line#--> Using cache }" ;; esac
    done </run/bud-output &
    reader=$!
    bh bud --iidfile /run/iid "$@" >/run/bud-output 2>&1 &
    bud=$!
    # The cap is enforced by measuring (there are no quotas on a Docker volume): a build that writes
    # faster than this loop measures may pass it by what it writes in two seconds before it stops.
    (
      while kill -0 "$bud" 2>/dev/null; do
        if [ "$(size_kb)" -gt "$cap" ]; then
          : >/run/over-cap
          kill "$bud" 2>/dev/null
          break
        fi
        sleep 2
      done
    ) >/dev/null 2>&1 &
    watcher=$!
    code=0
    wait "$bud" || code=$?
    wait "$reader" || true
    kill "$watcher" 2>/dev/null || true
    [ ! -f /run/over-cap ] || exit 90
    [ "$code" = 0 ] || exit "$code"
    iid=$(cat /run/iid)
    mark_used "${iid#sha256:}"
    ;;
  push) bh push -q "$(cat /run/iid)" "docker-archive:/dev/stdout:$1" ;;
  *) echo "Unknown action: $action" >&2 && exit 2 ;;
esac
