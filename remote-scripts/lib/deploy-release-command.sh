# The app's release command (Heroku's release phase): the request's `release-command` file, as the user
# wrote it. It runs once per deploy, after the build and before the new container starts, in a throwaway
# container of the new image with the new env, the app's network and volumes: `sh -c COMMAND`, the
# command one argument, never part of a shell line here. Its output goes to the deployment's log
# (masked, like every line); a non-zero exit fails the deploy (RELEASE_FAILED, with the command's last
# lines), and the previous version serves on. A rollback does not run it: its image's ran when it was
# deployed. The record says which deployment ran it (release_command=ran).
# Sourced by deploy-run.sh; uses its variables (the options, app, id, dir, image, container, network,
# mount_args) and functions (dk, deploy_fail, mask_filter).
# shellcheck disable=SC2154,SC2034 # uses and sets the variables of the script that sources this file

release_container=''

run_release_command() {
  release_command=''
  [ ! -f "$dir/request/release-command" ] || release_command=$(cat "$dir/request/release-command")
  [ -n "$release_command" ] || return 0
  if [ "$opt_source_kind" = image ]; then
    step_skipped release 'A rollback does not run the release command again'
    return 0
  fi
  step_running release 'Running the release command in a container of the new image'
  release_container=$container-release
  set -- run --rm --name "$release_container" --network "$network" --env-file "$dir/request/env" \
    --label "dev.helvetia.app=$app" --label "dev.helvetia.prefix=$prefix" --label "dev.helvetia.release=$id" \
    --entrypoint sh
  [ -z "$opt_memory" ] || set -- "$@" --memory "$opt_memory" --memory-swap "$opt_memory"
  [ -z "$opt_cpus" ] || set -- "$@" --cpus "$opt_cpus"
  [ -z "$opt_pids" ] || set -- "$@" --pids-limit "$opt_pids"
  # shellcheck disable=SC2086 # --mount options, one a word
  set -- "$@" $mount_args "$image" -c "$release_command"
  # Masked here too (the log is masked again, to no effect): the last lines go into the record.
  {
    release_code=0
    timeout -k 10 "$opt_build_timeout" docker "$@" </dev/null 2>&1 || release_code=$?
    echo "$release_code" >"$dir/release-code"
  } | mask_filter "$dir/request/env" "$dir/request/secrets" | tee "$dir/release-output"
  release_code=$(cat "$dir/release-code" 2>/dev/null || echo 1)
  rm -f "$dir/release-code"
  state_set "$dir" release_command ran || true
  if [ "$release_code" != 0 ]; then
    # A timeout ends the client only: the container goes here.
    dk rm -f "$release_container" >/dev/null 2>&1 || true
    tail -n 20 "$dir/release-output" >"$dir/last-lines"
    rm -f "$dir/release-output"
    case $release_code in
      124 | 137) deploy_fail RELEASE_FAILED "The release command did not finish within ${opt_build_timeout}s" \
        "Make it faster, or raise the app's build timeout; $app's previous version still serves." ;;
      *) deploy_fail RELEASE_FAILED "The release command failed (exit code $release_code)" \
        "Its output is above; $app's previous version still serves. Fix it and deploy again." ;;
    esac
  fi
  rm -f "$dir/release-output"
  release_container=''
  step_done release 'The release command succeeded'
}
