# The build of this deployment's image from its source (a folder's snapshot or a git commit's tree,
# in DIR/context): isolated, in a throwaway builder container (lib/build-isolated.sh), or classic, with
# the host engine's builder. The app's builder option (`builder`: auto, isolated, classic) chooses;
# auto is isolated when the server has a builder (~/.P/builder.conf), classic when it has none. The
# deployment's record says which ran (state key `builder`).
# Sourced by deploy-run.sh; uses its variables (the options, app, id, dir, image, here) and functions
# (dk, deploy_fail).
# shellcheck disable=SC2154 # set by the script that sources this file
# shellcheck source=lib/build-isolated.sh
. "$here/lib/build-isolated.sh"

# The builder container while it exists (deploy-run.sh's finish removes it).
build_container=''

# build_image: the `build` step: builds $image from DIR/context.
build_image() {
  dockerfile=$dir/context/$opt_dockerfile
  # A source without a Dockerfile: the one Helvetia generated for it (src-main/core/builds), from the request.
  if [ ! -f "$dockerfile" ] && [ -f "$dir/request/generated.Dockerfile" ]; then
    dockerfile=$dir/request/generated.Dockerfile
    echo "No $opt_dockerfile in the source: building with the Dockerfile Helvetia generated"
  fi
  [ -f "$dockerfile" ] || deploy_fail DOCKERFILE_MISSING "There is no $opt_dockerfile in the app's source" \
    "Add a Dockerfile at the top of the app's folder (or set the app's Dockerfile path), then deploy again."
  step_running build "Building $image"
  choice=${opt_builder:-auto}
  if [ "$choice" != classic ] && load_builder_settings; then
    build_isolated
  elif [ "$choice" = isolated ]; then
    deploy_fail BUILDER_MISSING 'This server has no isolated builder' \
      'Set one up (helvetia server builder SERVER), or build this app with --builder classic or auto.'
  else
    build_classic
  fi
  step_done build "Built $image with $builder"
}

# build_classic: the host engine's `docker build`.
build_classic() {
  set -- build --tag "$image" --file "$dockerfile" --label "dev.helvetia.app=$app" \
    --label "dev.helvetia.source=$opt_source_id" --label "dev.helvetia.build=$opt_build_key"
  if docker buildx version >/dev/null 2>&1; then
    kind=BuildKit
    build_env=DOCKER_BUILDKIT=1
  else
    # The classic builder caps each RUN step's memory; BuildKit's are capped by its daemon settings.
    kind='the classic builder'
    build_env=DOCKER_BUILDKIT=0
    # --force-rm: a failed step's container goes too (it would hold its layer, and disk, forever).
    set -- "$@" --force-rm
    [ -z "$opt_build_memory" ] || set -- "$@" --memory "$opt_build_memory" --memory-swap "$opt_build_memory"
  fi
  builder='docker build (classic)'
  state_set "$dir" builder "$builder"
  while IFS= read -r key || [ -n "$key" ]; do
    [ -z "$key" ] || set -- "$@" --build-arg "$key"
  done <"$dir/request/build-args"
  echo "Building with docker build ($kind)"
  # Build arguments take their values from the environment, so they never show in a process list.
  build_code=0
  (
    export_build_args
    export "${build_env?}"
    exec timeout -k 10 "$opt_build_timeout" docker "$@" "$dir/context"
  ) || build_code=$?
  if [ "$build_code" != 0 ] && [ "$kind" != BuildKit ]; then
    # The log's filter writes a moment behind the build.
    sleep 0.2
    record_build_layers "$dir"
  fi
  check_build_code "$build_code"
}

# export_build_args (in the build's subshell): the build arguments' values from the env file, exported;
# the builders take them from the environment, so they never show in a process list.
export_build_args() {
  while IFS= read -r line || [ -n "$line" ]; do
    if grep -qxF -- "${line%%=*}" "$dir/request/build-args"; then export "${line?}"; fi
  done <"$dir/request/env"
}

# check_build_code CODE: fails the deploy unless the build's exit code is 0.
check_build_code() {
  [ "$1" != 0 ] || return 0
  # The log's filter writes a moment behind the build.
  sleep 0.2
  case $1 in
    124 | 137) deploy_fail BUILD_TIMEOUT "The build did not finish within ${opt_build_timeout}s" 'Make the build faster, or raise the build timeout of the app.' ;;
    90) deploy_fail BUILD_DISK_FULL "The build passed the builder's disk cap of $builder_disk" \
      'Make the build write less, or raise the cap (helvetia server builder SERVER --disk SIZE).' ;;
    *)
      grep -v '^::helvetia::' "$dir/log" | tail -n 20 >"$dir/last-lines" || true
      deploy_fail BUILD_FAILED "The build failed (exit code $1)" 'The build output is above; fix the cause and deploy again.'
      ;;
  esac
}
