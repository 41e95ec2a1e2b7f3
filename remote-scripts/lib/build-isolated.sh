# The isolated build: the image is built by buildah in a throwaway container of the server's builder
# image (~/.P/builder.conf, written by builder-config.sh), not by the host's engine. The container
# gets no Docker socket and no host folder but the build context (read-only); its root file system is
# read-only, its writable disk the cache volume $prefix-build-cache and its own /var/tmp, both held to
# the builder's disk cap (measured, lib/build-in-builder.sh); CPU, memory and process caps as set. Its
# build steps run under buildah's chroot isolation in a user namespace of their own, which is why the
# container's seccomp profile lets it create one (Docker's default allows that only with
# CAP_SYS_ADMIN); everything else the profile refuses, Docker's default refuses too. The result reaches
# the engine as one docker-archive stream (`docker load`): a failed build loads nothing.
# Sourced by lib/deploy-build.sh; uses deploy-run.sh's variables and functions.
# shellcheck disable=SC2154 # set by the script that sources this file
# shellcheck source=lib/build-settings.sh
. "$here/lib/build-settings.sh"

# in_builder ACTION ARGS...: lib/build-in-builder.sh in the builder container.
in_builder() {
  docker exec "$build_container" sh /run/helvetia-build.sh "$builder_driver" "$@"
}

# builder_seccomp FILE: the builder container's seccomp profile: Docker's default refusals (kernel
# modules, keyrings, clocks, ptrace, bpf, …) and new mount API calls, with unshare and mount allowed,
# which a user namespace needs (Docker's default lets only CAP_SYS_ADMIN have them).
builder_seccomp() {
  cat >"$1" <<'JSON'
{
  "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [
    {
      "names": ["acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "create_module", "delete_module",
        "fanotify_init", "finit_module", "fsconfig", "fsmount", "fsopen", "fspick", "get_kernel_syms",
        "init_module", "ioperm", "iopl", "kcmp", "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie",
        "mount_setattr", "move_mount", "name_to_handle_at", "nfsservctl", "open_by_handle_at", "open_tree",
        "perf_event_open", "pivot_root", "process_vm_readv", "process_vm_writev", "ptrace", "query_module",
        "quotactl", "reboot", "request_key", "setns", "settimeofday", "stime", "swapoff", "swapon", "sysfs",
        "syslog", "_sysctl", "uselib", "userfaultfd", "ustat", "vhangup", "vm86", "vm86old"],
      "action": "SCMP_ACT_ERRNO",
      "errnoRet": 1
    }
  ]
}
JSON
}

# feed_base_images: each image the Dockerfile builds FROM that the host's engine has goes into the
# builder's storage once (by id), so a build uses what `docker build` would use and needs no registry
# for it. Helvetia's own app images are never handed to a build (another app's image is not its to
# read); neither are names with build arguments in them. The rest buildah pulls itself.
feed_base_images() {
  stages=' '
  sed -n 's/^[[:space:]]*[Ff][Rr][Oo][Mm][[:space:]]\{1,\}\(--[^[:space:]]*[[:space:]]\{1,\}\)*//p' \
    "$dockerfile" >"$dir/build-froms"
  while read -r base as stage _; do
    case $as in [Aa][Ss]) stages="$stages$stage " ;; esac
    case " $stages scratch " in *" $base "*) continue ;; esac
    case $base in *'$'*) continue ;; esac
    printf '%s\n' "$base" | grep -Exq "$IMAGE_PATTERN" || continue
    base_id=$(dk image inspect -f '{{.Id}}{{if index .Config.Labels "dev.helvetia.app"}} app{{end}}' "$base" 2>/dev/null) || continue
    case $base_id in *' app') continue ;; esac
    feed_code=0
    in_builder use "$base" "$base_id" || feed_code=$?
    [ "$feed_code" = 3 ] || continue
    echo "Handing $base to the builder"
    feed_failed=0
    { dk save "$base" || feed_failed=1; } | docker exec -i "$build_container" sh /run/helvetia-build.sh "$builder_driver" load "$base" >/dev/null ||
      feed_failed=1
    [ "$feed_failed" = 0 ] || deploy_fail BUILD_FAILED "Could not hand the base image $base to the builder"
  done <"$dir/build-froms"
  rm -f "$dir/build-froms"
}

# build_isolated: the `build` step's work in the builder container ($build_container while it exists;
# deploy-run.sh's finish removes it whatever happens).
build_isolated() {
  if ! dk image inspect "$builder_image" >/dev/null 2>&1; then
    echo "Pulling the builder image $builder_image"
    timeout "$opt_build_timeout" docker pull -q "$builder_image" >/dev/null ||
      deploy_fail BUILDER_MISSING "The builder image $builder_image is not on the server and could not be pulled" \
        'Set a builder image the server can pull (helvetia server builder SERVER --image REF), or build with --builder classic.'
  fi
  cache_volume=$prefix-build-cache
  cache_kb=$(size_kb "$builder_cache")
  disk_kb=$(size_kb "$builder_disk")
  memory=${opt_build_memory:-$builder_memory}
  dk volume create --label "dev.helvetia.prefix=$prefix" "$cache_volume" >/dev/null
  builder_seccomp "$dir/builder-seccomp.json"
  build_container=$prefix-build-$app-$id
  dk run --detach --rm --name "$build_container" --label "dev.helvetia.prefix=$prefix" \
    --label "dev.helvetia.build-of=$app" --user 0 --read-only --network bridge \
    --cpus "$builder_cpus" --memory "$memory" --memory-swap "$memory" --pids-limit "$BUILDER_PIDS" \
    --cap-drop ALL --cap-add CHOWN --cap-add DAC_OVERRIDE --cap-add FOWNER --cap-add FSETID --cap-add KILL \
    --cap-add SETUID --cap-add SETGID --cap-add SETFCAP --cap-add SYS_CHROOT \
    --security-opt "seccomp=$dir/builder-seccomp.json" --security-opt no-new-privileges \
    --tmpfs /run:size=64m --tmpfs /tmp:size=64m --tmpfs /var/cache/containers:size=16m --volume /var/tmp \
    --volume "$cache_volume:/var/lib/containers" \
    --mount "type=bind,source=$dir/context,target=/context,readonly" \
    --mount "type=bind,source=$dockerfile,target=/build.Dockerfile,readonly" \
    --env XDG_RUNTIME_DIR=/run --env BUILDAH_ISOLATION=chroot \
    --entrypoint sleep "$builder_image" infinity >/dev/null ||
    deploy_fail BUILD_FAILED "The builder container did not start (image $builder_image)"
  docker exec -i "$build_container" sh -c 'cat >/run/helvetia-build.sh' <"$here/lib/build-in-builder.sh"
  builder="buildah $(docker exec "$build_container" buildah --version | awk '{ print $3 }') (isolated)"
  state_set "$dir" builder "$builder"
  echo "Building with $builder: $builder_cpus CPUs, $memory memory, disk cap $builder_disk, cache cap $builder_cache"
  in_builder prune "$cache_kb"
  feed_base_images
  set -- build "$disk_kb" --layers --force-rm --isolation chroot --label "dev.helvetia.app=$app" \
    --label "dev.helvetia.source=$opt_source_id" --label "dev.helvetia.build=$opt_build_key" \
    --file /build.Dockerfile
  while IFS= read -r key || [ -n "$key" ]; do
    [ -z "$key" ] || set -- "$@" --build-arg "$key"
  done <"$dir/request/build-args"
  # docker exec --env KEY (no value) and buildah --build-arg KEY take the values from the environment.
  build_code=0
  (
    export_build_args
    set -- "$build_container" sh /run/helvetia-build.sh "$builder_driver" "$@" /context
    while IFS= read -r key || [ -n "$key" ]; do
      [ -z "$key" ] || set -- --env "$key" "$@"
    done <"$dir/request/build-args"
    exec timeout -k 10 "$opt_build_timeout" docker exec "$@"
  ) || build_code=$?
  check_build_code "$build_code"
  load_failed=0
  { in_builder push "$image" || load_failed=1; } | dk load -q >/dev/null || load_failed=1
  [ "$load_failed" = 0 ] || deploy_fail BUILD_FAILED 'The built image could not be loaded into the engine' 'Deploy again.'
  in_builder prune "$cache_kb"
  echo "Build cache: $(($(in_builder size) / 1024)) MiB of $((cache_kb / 1024)) MiB"
  dk rm -f "$build_container" >/dev/null 2>&1 || true
  build_container=''
}
