#!/bin/sh
# The server's isolated builder (lib/build-settings.sh): `set` writes ~/.P/builder.conf (each value
# checked; a setting not given keeps its current value, else its default) after making sure the image is
# on the server (pulled when missing) and runs buildah; `off` removes it and the build cache volume
# (builds fall back to the classic builder); `show` changes nothing. Each then reports the settings as
# facts (image, version, driver, cache, disk, cpus, memory; image empty: no builder).
#
# Usage: builder-config.sh --prefix P --action set|off|show [--image REF] [--driver overlay|vfs]
#        [--cache SIZE] [--disk SIZE] [--cpus N] [--memory SIZE]
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
# shellcheck source=lib/build-settings.sh
. "$here/lib/build-settings.sh"

prefix='' action='show' image='' driver='' cache='' disk='' cpus='' memory=''
parse_options 'prefix action image driver cache disk cpus memory' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require action "$action" 'set|off|show'
server_paths "$prefix"

case $action in
  set)
    if load_builder_settings; then
      image=${image:-$builder_image} driver=${driver:-$builder_driver} cache=${cache:-$builder_cache}
      disk=${disk:-$builder_disk} cpus=${cpus:-$builder_cpus} memory=${memory:-$builder_memory}
    fi
    image=${image:-$DEFAULT_BUILDER_IMAGE}
    step_running image "Checking the builder image $image"
    require 'builder image' "$image" "$IMAGE_PATTERN"
    [ -z "$driver" ] || require 'storage driver' "$driver" 'overlay|vfs'
    [ -z "$cache" ] || require 'cache cap' "$cache" "$MEMORY_PATTERN" 'a size such as 5g'
    [ -z "$disk" ] || require 'disk cap' "$disk" "$MEMORY_PATTERN" 'a size such as 10g'
    [ -z "$cpus" ] || require 'CPUs' "$cpus" "$CPUS_PATTERN" 'a number of CPUs such as 1.5'
    [ -z "$memory" ] || require memory "$memory" "$MEMORY_PATTERN" 'a size such as 2g'
    if ! docker image inspect "$image" >/dev/null 2>&1; then
      timeout 600 docker pull -q "$image" >/dev/null 2>&1 || fail BUILDER_IMAGE_MISSING "The builder image $image is not on this server and could not be pulled" \
        'Give an image the server can pull (--image REF), or load it on the server first (docker load).'
    fi
    timeout 120 docker run --rm --network none --entrypoint buildah "$image" --version >/dev/null 2>&1 ||
      fail BUILDER_IMAGE_INVALID "The image $image does not run buildah" 'Give an image with buildah in it, such as quay.io/buildah/stable.'
    step_done image "The builder image $image runs buildah"
    mkdir -p "$helvetia_dir"
    {
      echo "image=$image"
      [ -z "$driver" ] || echo "driver=$driver"
      [ -z "$cache" ] || echo "cache=$cache"
      [ -z "$disk" ] || echo "disk=$disk"
      [ -z "$cpus" ] || echo "cpus=$cpus"
      [ -z "$memory" ] || echo "memory=$memory"
    } >"$builder_conf.$$"
    mv -f "$builder_conf.$$" "$builder_conf"
    changed 1
    ;;
  off)
    if [ -f "$builder_conf" ]; then
      rm -f "$builder_conf"
      # The cache goes with the builder (a build running now keeps it until it ends: then it stays).
      docker volume rm "$prefix-build-cache" >/dev/null 2>&1 || true
      changed 1
    else
      changed 0
    fi
    ;;
esac

if load_builder_settings; then
  fact image "$builder_image"
  fact version "$(timeout 120 docker run --rm --network none --entrypoint buildah "$builder_image" --version 2>/dev/null | awk '{ print $3 }')"
  fact driver "$builder_driver"
  fact cache "$builder_cache"
  fact disk "$builder_disk"
  fact cpus "$builder_cpus"
  fact memory "$builder_memory"
else
  fact image ''
fi
