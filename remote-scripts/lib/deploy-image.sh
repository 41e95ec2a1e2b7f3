# This deployment's image: an image of the same build reused, a rollback's image tagged again, or a
# build of the source (a folder's snapshot or a git commit's tree).
# Sourced by deploy-run.sh; uses its variables (the options, app, id, dir, image, container, proxy)
# and functions (dk, deploy_fail).
# shellcheck disable=SC2154 # set by the script that sources this file

# look_for_built: starts looking for an image built from this source already (DIR/built), in the
# background (built_pid).
look_for_built() {
  [ "$opt_source_kind" != image ] || return 0
  dk images --filter "label=dev.helvetia.app=$app" --filter "label=dev.helvetia.build=$opt_build_key" \
    --format '{{.Repository}}:{{.Tag}}' "$image_repo" >"$dir/built" 2>/dev/null &
  built_pid=$!
}

build_image() {
  [ -f "$dir/context/$opt_dockerfile" ] || deploy_fail DOCKERFILE_MISSING "There is no $opt_dockerfile in the app's source" \
    "Add a Dockerfile at the top of the app's folder (or set the app's Dockerfile path), then deploy again."
  step_running build "Building $image"
  set -- build --tag "$image" --file "$dir/context/$opt_dockerfile" --label "dev.helvetia.app=$app" \
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

# prepare_image: the `source` and `build` steps: tags this deployment's image ($image).
prepare_image() {
  step_running source 'Preparing the source'
  case $opt_source_kind in
    image)
      dk image inspect "$image_repo:$opt_rollback_of" >/dev/null 2>&1 ||
        deploy_fail IMAGE_GONE "The image of deployment $opt_rollback_of is no longer on the server" 'Roll back to a more recent deployment, or deploy again.'
      dk tag "$image_repo:$opt_rollback_of" "$image"
      step_done source "Reusing the image of deployment $opt_rollback_of"
      step_skipped build 'Rollback: nothing to build'
      ;;
    folder | git)
      wait "$built_pid" || true
      built=$(head -n 1 "$dir/built" 2>/dev/null || true)
      if [ -n "$built" ]; then
        dk tag "$built" "$image"
        step_done source "Source $opt_source_id"
        step_skipped build "This source was built already ($built)"
      else
        if [ "$opt_source_kind" = folder ]; then
          # deploy-start.sh snapshotted the uploaded source, checked against its id, into context/.
          [ -d "$dir/context" ] || deploy_fail SOURCE_MISSING 'The source of the app is not on the server' 'Deploy again from the folder of the app.'
        else
          # git-fetch.sh brought the commit into the app's bare repository before this deploy started.
          repo=$git_dir
          git --git-dir="$repo" cat-file -e "$opt_source_id^{commit}" 2>/dev/null ||
            deploy_fail GIT_COMMIT_MISSING "Commit $opt_source_id is not on the server" 'Deploy again: a deploy fetches its commit first.'
          mkdir "$dir/context"
          git --git-dir="$repo" archive -o "$dir/source.tar" "$opt_source_id"
          tar -x -C "$dir/context" -f "$dir/source.tar"
          rm -f "$dir/source.tar"
        fi
        step_done source "Source $opt_source_id"
        build_image
      fi
      ;;
  esac
}
