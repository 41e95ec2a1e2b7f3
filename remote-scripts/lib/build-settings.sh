# The server's isolated builder: its settings in ~/.P/builder.conf (key=value lines written by
# builder-config.sh: image, driver, cache, disk, cpus, memory), read without evaluating anything.
# A server without that file has no isolated builder. Sourced after lib/rules.sh and lib/validate.sh.
# shellcheck disable=SC2034 # the settings are used by the scripts that source this file
# shellcheck disable=SC2154 # builder_conf: server_paths (lib/rules.sh) sets it

# The builder's settings; an absent key takes its default here.
# The image `helvetia server builder SERVER` sets without --image: buildah's own, pinned.
DEFAULT_BUILDER_IMAGE=quay.io/buildah/stable:v1.37
DEFAULT_BUILDER_DRIVER=overlay
DEFAULT_BUILDER_CACHE=5g
DEFAULT_BUILDER_DISK=10g
DEFAULT_BUILDER_CPUS=1
DEFAULT_BUILDER_MEMORY=2g
BUILDER_PIDS=2048

# load_builder_settings: sets builder_image, builder_driver, builder_cache, builder_disk, builder_cpus and
# builder_memory from $builder_conf, each checked; returns 1 when the server has no builder.
load_builder_settings() {
  [ -f "$builder_conf" ] || return 1
  builder_image='' builder_driver=$DEFAULT_BUILDER_DRIVER builder_cache=$DEFAULT_BUILDER_CACHE
  builder_disk=$DEFAULT_BUILDER_DISK builder_cpus=$DEFAULT_BUILDER_CPUS builder_memory=$DEFAULT_BUILDER_MEMORY
  while IFS= read -r line || [ -n "$line" ]; do
    value=${line#*=}
    case ${line%%=*} in
      image) builder_image=$value ;;
      driver) builder_driver=$value ;;
      cache) builder_cache=$value ;;
      disk) builder_disk=$value ;;
      cpus) builder_cpus=$value ;;
      memory) builder_memory=$value ;;
    esac
  done <"$builder_conf"
  require 'builder image' "$builder_image" "$IMAGE_PATTERN"
  require 'builder storage driver' "$builder_driver" 'overlay|vfs'
  require 'build cache cap' "$builder_cache" "$MEMORY_PATTERN" 'a size such as 5g'
  require 'build disk cap' "$builder_disk" "$MEMORY_PATTERN" 'a size such as 10g'
  require 'builder CPUs' "$builder_cpus" "$CPUS_PATTERN" 'a number of CPUs such as 1.5'
  require 'builder memory' "$builder_memory" "$MEMORY_PATTERN" 'a size such as 2g'
}

# size_kb SIZE: a size such as 512m or 5g in kilobytes (a bare number is bytes).
size_kb() {
  case $1 in
    *k) echo "${1%k}" ;;
    *m) echo $((${1%m} * 1024)) ;;
    *g) echo $((${1%g} * 1024 * 1024)) ;;
    *) echo $((($1 + 1023) / 1024)) ;;
  esac
}
