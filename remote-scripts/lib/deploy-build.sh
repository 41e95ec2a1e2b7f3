# The build of this deployment's image from its source (a folder's snapshot or a git commit's tree,
# in DIR/context), with the host engine's builder.
# Sourced by deploy-run.sh; uses its variables (the options, app, id, dir, image) and functions (dk,
# deploy_fail).
# shellcheck disable=SC2154 # set by the script that sources this file

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
  set -- build --tag "$image" --file "$dockerfile" --label "dev.helvetia.app=$app" \
    --label "dev.helvetia.source=$opt_source_id" --label "dev.helvetia.build=$opt_build_key"
  if docker buildx version >/dev/null 2>&1; then
    builder=BuildKit
    build_env=DOCKER_BUILDKIT=1
  else
    # The classic builder caps each RUN step's memory; BuildKit's are capped by its daemon settings.
    builder='the classic builder'
    build_env=DOCKER_BUILDKIT=0
    # --force-rm: a failed step's container goes too (it would hold its layer, and disk, forever).
    set -- "$@" --force-rm
    [ -z "$opt_build_memory" ] || set -- "$@" --memory "$opt_build_memory" --memory-swap "$opt_build_memory"
  fi
  while IFS= read -r key || [ -n "$key" ]; do
    [ -z "$key" ] || set -- "$@" --build-arg "$key"
  done <"$dir/request/build-args"
  echo "Building with $builder"
  # Build arguments take their values from the environment, so they never show in a process list.
  build_code=0
  (
    while IFS= read -r line || [ -n "$line" ]; do
      if grep -qxF -- "${line%%=*}" "$dir/request/build-args"; then export "${line?}"; fi
    done <"$dir/request/env"
    export "${build_env?}"
    exec timeout -k 10 "$opt_build_timeout" docker "$@" "$dir/context"
  ) || build_code=$?
  if [ "$build_code" != 0 ]; then
    # The log's filter writes a moment behind the build.
    sleep 0.2
    [ "$builder" = BuildKit ] || record_build_layers "$dir"
  fi
  case $build_code in
    0) ;;
    124 | 137) deploy_fail BUILD_TIMEOUT "The build did not finish within ${opt_build_timeout}s" 'Make the build faster, or raise the build timeout of the app.' ;;
    *)
      grep -v '^::helvetia::' "$dir/log" | tail -n 20 >"$dir/last-lines" || true
      deploy_fail BUILD_FAILED "docker build failed (exit code $build_code)" 'The build output is above; fix the cause and deploy again.'
      ;;
  esac
  step_done build "Built $image"
}
