# This deployment's image: an image of the same build reused, a rollback's image tagged again, a
# build of the source (a folder's snapshot or a git commit's tree), or a prebuilt image pulled
# (lib/deploy-pull.sh).
# Sourced by deploy-run.sh; uses its variables (the options, app, id, dir, image, container, proxy)
# and functions (dk, deploy_fail).
# shellcheck disable=SC2154 # set by the script that sources this file

# look_for_built: starts looking for an image built from this source already (DIR/built), in the
# background (built_pid).
look_for_built() {
  case $opt_source_kind in image | pull) return 0 ;; esac
  dk images --filter "label=dev.helvetia.app=$app" --filter "label=dev.helvetia.build=$opt_build_key" \
    --format '{{.Repository}}:{{.Tag}}' "$image_repo" >"$dir/built" 2>/dev/null &
  built_pid=$!
}

# prepare_image: the `source` and `build` steps: tags this deployment's image ($image). A registry
# login the request holds is deleted once the image is there, pulled or not (lib/deploy-pull.sh).
prepare_image() {
  prepare_source
  forget_registry_login
}

prepare_source() {
  step_running source 'Preparing the source'
  case $opt_source_kind in
    pull) pull_image ;;
    image)
      # A pulled deployment's rollback runs its recorded digest.
      if [ -n "$(state_get "$deployments_dir/$opt_rollback_of" image_ref)" ]; then
        rollback_pulled
        return 0
      fi
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
