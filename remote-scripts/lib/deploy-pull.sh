# A prebuilt image pulled from its registry: an image app's deploy (source kind `pull`, the reference
# in source_id), and a rollback to one of its deployments whose image has gone (by its digest).
# A registry login comes in the request's registry-auth file (`HOST AUTH`, AUTH a Docker config's
# base64 `user:password`; src-main/core/deploy/deploy-request.ts). It is used through a temporary
# Docker config (DIR/pull-config, 0700, its config.json 0600) that exists only while `docker pull`
# runs: never `docker login`, never ~/.docker/config.json, never on a command line. The log filter
# masks the login (deploy-supervise.sh reads the file before the run starts), and deploy-run.sh's and
# deploy-supervise.sh's clean-up delete both (forget_registry_login) whatever happens.
# Sourced by deploy-run.sh; uses its variables (the options, app, id, dir, image) and functions (dk,
# deploy_fail).
# shellcheck disable=SC2154 # set by the script that sources this file

# forget_registry_login: deletes the login and the temporary Docker config made from it.
forget_registry_login() {
  rm -rf "$dir/pull-config" "$dir/request/registry-auth"
}

# repository_of REF: REF without its tag and digest.
repository_of() {
  repository_ref=${1%@*}
  case ${repository_ref##*/} in *:*) repository_ref=${repository_ref%:*} ;; esac
  printf '%s\n' "$repository_ref"
}

# pull_with_login REF: `docker pull REF`, through a Docker config holding the request's login when
# there is one (else Docker's own, untouched); its output goes to the log. Fails the deploy with a code
# that says why it failed.
pull_with_login() {
  login_host='' login_auth=''
  if [ -f "$dir/request/registry-auth" ]; then
    read -r login_host login_auth <"$dir/request/registry-auth" || true
    require 'registry' "$login_host" "$REGISTRY_HOST_PATTERN"
    require 'registry login' "$login_auth" "$REGISTRY_AUTH_PATTERN"
    # Docker Hub's logins are keyed by its old index address.
    [ "$login_host" != docker.io ] || login_host=https://index.docker.io/v1/
  fi
  {
    (
      trap forget_registry_login EXIT
      trap 'exit 143' TERM INT HUP
      if [ -n "$login_auth" ]; then
        rm -rf "$dir/pull-config"
        mkdir -m 700 "$dir/pull-config"
        # printf is the shell's own: the login is on no process's command line.
        (umask 077 && printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$login_host" "$login_auth" >"$dir/pull-config/config.json")
        rm -f "$dir/request/registry-auth"
        export DOCKER_CONFIG="$dir/pull-config"
      fi
      timeout -k 10 "$opt_build_timeout" docker pull "$1" 2>&1
    )
    echo "$?" >"$dir/pull-code"
  } | tee "$dir/pull-output"
  login_auth=''
  pull_code=$(cat "$dir/pull-code" 2>/dev/null || echo 1)
  pull_error=$(tail -n 1 "$dir/pull-output" 2>/dev/null)
  rm -f "$dir/pull-code" "$dir/pull-output"
  [ "$pull_code" != 0 ] || return 0
  case $pull_error in
    *'no basic auth credentials'* | *unauthorized* | *'authentication required'* | *'incorrect username or password'*)
      deploy_fail REGISTRY_AUTH_FAILED "The registry refused the pull of $1: $pull_error" \
        'Add the login again with the right password or token (helvetia registry add HOST --username USER), then deploy again.' ;;
    *'manifest unknown'* | *'not found'* | *'does not exist'* | *'pull access denied'*)
      deploy_fail IMAGE_NOT_FOUND "The registry has no image $1: $pull_error" \
        'Check the reference (its tag or digest); a private image needs a login (helvetia registry add HOST --username USER).' ;;
    *) deploy_fail IMAGE_PULL_FAILED "docker pull $1 failed (exit code $pull_code): $pull_error" \
      'Check that the server reaches the registry, then deploy again.' ;;
  esac
}

# pull_image: the `source` and `build` steps of a pull: pulls the reference, records its digest and
# image id, and tags it as this deployment's image; the reference's own tag goes again unless it was
# on the server before (the app's tags alone hold its images, so the clean-up frees them).
pull_image() {
  ref=$opt_source_id
  step_running source "Pulling $ref"
  had_ref=0
  dk image inspect "$ref" >/dev/null 2>&1 && had_ref=1
  pull_with_login "$ref"
  pulled_id=$(dk image inspect -f '{{.Id}}' "$ref")
  repository=$(repository_of "$ref")
  digest=''
  case $ref in
    *@*) digest=${ref#*@} ;;
    *)
      # Docker names Docker Hub's images in their short form.
      short=${repository#docker.io/}
      short=${short#library/}
      for repo_digest in $(dk image inspect -f '{{range .RepoDigests}}{{println .}}{{end}}' "$ref"); do
        case ${repo_digest%@*} in "$repository" | "$short") digest=${repo_digest#*@} && break ;; esac
      done
      ;;
  esac
  printf '%s\n' "$digest" | grep -Eqx "$IMAGE_DIGEST_PATTERN" ||
    deploy_fail IMAGE_PULL_FAILED "Docker did not say which digest $ref has" 'Deploy again; if it fails again, deploy the image by its digest (REPOSITORY@sha256:...).'
  dk tag "$pulled_id" "$image"
  [ "$had_ref" = 1 ] || dk rmi "$ref" >/dev/null 2>&1 || true
  state_set "$dir" digest "$digest" image_ref "$ref" image_id "$pulled_id"
  step_done source "Pulled $ref"
  step_skipped build "Pulled $ref ($digest)"
}

# rollback_pulled: a rollback to a pulled deployment runs exactly its recorded digest: its image as
# tagged when it was pulled, or, when that tag is gone or is another image, the digest pulled again.
rollback_pulled() {
  rollback_dir=$deployments_dir/$opt_rollback_of
  digest=$(state_get "$rollback_dir" digest)
  ref=$(state_get "$rollback_dir" image_ref)
  pulled_id=$(state_get "$rollback_dir" image_id)
  require 'recorded digest' "$digest" "$IMAGE_DIGEST_PATTERN"
  require 'recorded image' "$ref" "$IMAGE_PATTERN"
  if [ "$(dk image inspect -f '{{.Id}}' "$image_repo:$opt_rollback_of" 2>/dev/null)" = "$pulled_id" ]; then
    dk tag "$pulled_id" "$image"
    step_done source "Reusing the image of deployment $opt_rollback_of ($digest)"
  else
    by_digest=$(repository_of "$ref")@$digest
    had_ref=0
    dk image inspect "$by_digest" >/dev/null 2>&1 && had_ref=1
    echo "The image of deployment $opt_rollback_of is gone from the server: pulling $by_digest again."
    pull_with_login "$by_digest"
    pulled_id=$(dk image inspect -f '{{.Id}}' "$by_digest")
    dk tag "$pulled_id" "$image"
    [ "$had_ref" = 1 ] || dk rmi "$by_digest" >/dev/null 2>&1 || true
    step_done source "Pulled $by_digest again"
  fi
  state_set "$dir" digest "$digest" image_ref "$ref" image_id "$pulled_id"
  step_skipped build "Rollback to $ref ($digest): nothing to build"
}
