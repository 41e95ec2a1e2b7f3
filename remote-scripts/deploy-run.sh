#!/bin/sh
# Runs one deployment of an app on this server, detached from any SSH session (deploy-start.sh starts
# it with setsid): build (or reuse) the image, start the new container beside the old one, wait until
# it is healthy, switch the proxy to it, check that it answers through the proxy, then drain and stop
# the old one. Any failure before the switch is complete removes the new container and leaves the old
# one serving. Everything it prints goes through the secret filter into the deployment's log.
#
# Usage: deploy-run.sh --supervise|--run --prefix P --app A --id ID
#   --supervise: the process deploy-start.sh detaches. It runs `--run` under an overall deadline with
#                its output masked into DIR/log, and records the deployment as failed if `--run` died
#                without finishing (killed, timed out).
#   --run:       the deployment itself.
# DIR is ~/.P/apps/A/deployments/ID; deploy-start.sh put the request (options, env, ...) in DIR/request.
# shellcheck source-path=SCRIPTDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/progress.sh
. "$here/lib/progress.sh"
# shellcheck source=lib/rules.sh
. "$here/lib/rules.sh"
# shellcheck source=lib/validate.sh
. "$here/lib/validate.sh"
# shellcheck source=lib/deploy-common.sh
. "$here/lib/deploy-common.sh"
# shellcheck source=lib/secret-mask.sh
. "$here/lib/secret-mask.sh"
# shellcheck source=lib/deploy-options.sh
. "$here/lib/deploy-options.sh"
# shellcheck source=lib/deploy-proxy.sh
. "$here/lib/deploy-proxy.sh"
# shellcheck source=lib/deploy-cleanup.sh
. "$here/lib/deploy-cleanup.sh"
# shellcheck source=lib/deploy-lock.sh
. "$here/lib/deploy-lock.sh"

mode=${1-}
shift || true
prefix='' app='' id=''
parse_options 'prefix app id' "$@"
require mode "$mode" '--supervise|--run'
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
require 'deployment id' "$id" "$DEPLOYMENT_ID_PATTERN"
app_paths "$prefix" "$app"
dir=$deployments_dir/$id
[ -d "$dir/request" ] || fail NOT_FOUND "No deployment $id of $app"
load_options "$dir/request/options"
umask 077

image_repo=$prefix/$app
image=$image_repo:$id
container=$prefix-$app-$id
# The name the proxy reaches the container by, on the app network (shorter than a container name).
upstream_host=$app-$id
proxy=$prefix-proxy
network=$prefix

# --- supervisor ---------------------------------------------------------------------------------
if [ "$mode" = --supervise ]; then
  echo "$$" >"$dir/pid"
  health_budget=$((opt_health_start + (opt_health_interval + opt_health_timeout) * (opt_health_retries + 1)))
  deadline=$((opt_lock_timeout + opt_build_timeout + health_budget + opt_drain + 600))
  # Not under `set -e`: whatever happens to the run, the record is finished below.
  set +e
  supervised_at=$(date +%s)
  timeout -k 15 "$deadline" sh "$0" --run --prefix "$prefix" --app "$app" --id "$id" </dev/null 2>&1 |
    mask_filter "$dir/request/env" "$dir/request/secrets" >>"$dir/log"
  set -e
  status=$(state_get "$dir" status)
  if { [ "$status" = running ] || [ "$status" = queued ]; } && [ "$(cat "$app_dir/current" 2>/dev/null || true)" = "$id" ]; then
    # It went live; only its record of that could not be written (a full disk).
    state_set "$dir" finished_at "$(now_utc)" status succeeded || true
    release_lock
  elif [ "$status" = running ] || [ "$status" = queued ]; then
    # The run was killed before its own clean-up could run: do the part that matters here. A record
    # that cannot be written (a full disk) stays running: once this process is gone it is stale, and
    # recorded by the next reader that can write (mark_abandoned: deploy-history.sh, push-agent.sh).
    timeout 60 docker rm -f -v "$container" >/dev/null 2>&1 || true
    if [ $(($(date +%s) - supervised_at)) -ge "$deadline" ]; then
      set -- DEPLOY_TIMEOUT "The deploy did not finish within ${deadline}s and was stopped"
    else
      set -- DEPLOY_INTERRUPTED 'The deploy ended without recording how: it was killed, or the disk was full'
    fi
    state_set "$dir" error_code "$1" error_message "$2" finished_at "$(now_utc)" status failed || true
    release_lock
    progress_line "step=deploy status=failed code=$1 $2" >>"$dir/log" 2>/dev/null || true
  fi
  exit 0
fi

# --- the run ------------------------------------------------------------------------------------
error_code='' error_message='' error_hint=''
# deploy_fail CODE MESSAGE [HINT]: like fail, and remembered for the deployment record.
deploy_fail() {
  error_code=$1
  error_message=$2
  error_hint=${3:-}
  fail "$@"
}

# dk ARGS...: docker with a time limit, for everything but the build (which has its own).
dk() {
  timeout 120 docker "$@"
}

locked=0 started=0 switched=0 live=0 previous_site='' heartbeat_pid=''
proxy_type=''

finish() {
  exit_code=$?
  if [ "$exit_code" -ne 0 ] && [ -n "$helvetia_current_step" ]; then
    error_code=${error_code:-SCRIPT_FAILED}
    error_message=${error_message:-"Unexpected failure in step $helvetia_current_step (exit code $exit_code)"}
    progress_line "step=$helvetia_current_step status=failed code=$error_code $error_message"
  fi
  set +e
  rm -rf "$dir/context" "$dir/old-containers" "$dir/live-state" "$dir/proxy-kind" "$dir/built"
  if [ "$live" = 0 ]; then
    if [ "$switched" = 1 ]; then
      if [ -n "$previous_site" ]; then proxy_install "$proxy_type" "$previous_site"; else proxy_remove "$proxy_type"; fi
    fi
    if [ "$started" = 1 ]; then
      dk logs --tail 30 "$container" 2>&1 | mask_filter "$dir/request/env" "$dir/request/secrets" >"$dir/last-lines"
      dk rm -f -v "$container" >/dev/null 2>&1
    fi
    state_set "$dir" error_code "${error_code:-DEPLOY_FAILED}" \
      error_message "${error_message:-The deploy stopped (exit code $exit_code)}" error_hint "$error_hint" \
      finished_at "$(now_utc)" status failed
    # Nothing will run from this deployment: its secret values go (the log filter has them already).
    rm -f "$dir/request/env"
    if [ -s "$dir/last-lines" ]; then
      echo 'The last lines of the new container:'
      cat "$dir/last-lines"
    fi
    progress_line "step=deploy status=failed code=${error_code:-DEPLOY_FAILED} ${error_message:-The deploy stopped}"
  fi
  [ -z "$heartbeat_pid" ] || kill "$heartbeat_pid" 2>/dev/null
  [ "$locked" = 0 ] || release_lock
}
trap finish EXIT
trap 'exit 143' TERM INT HUP

# A container's address on the app network (empty until it is attached), for `docker inspect -f`.
address_format="{{with index .NetworkSettings.Networks \"$network\"}}{{.IPAddress}}{{end}}"

# http_healthy ADDRESS: a GET of the health check path at ADDRESS succeeds, asked from the proxy's
# container: the network path traffic will take, with no tool needed in the app's image. By address:
# some wget builds cannot resolve names (a static busybox). `timeout` bounds the check: wget's own -T
# crashes some static busybox builds.
http_healthy() {
  timeout "$opt_health_timeout" docker exec "$proxy" wget -q -O /dev/null "http://$1:$opt_port$opt_health_path" 2>/dev/null
}

# same_release ID: deployment ID runs what this one would: the same options (but who started it and
# how long it would wait), env, build arguments and routes (but for the deployment's id). One process.
same_release() {
  LC_ALL=C awk -v this="$dir" -v this_id="$id" -v that="$deployments_dir/$1" -v that_id="$1" '
    function release(dir, id,   files, n, i, file, line, out) {
      n = split("options env build-args site.caddy site.traefik.yml", files, " ")
      for (i = 1; i <= n; i++) {
        file = dir "/request/" files[i]
        while ((getline line < file) > 0) {
          if (i == 1 && line ~ /^(trigger|lock_timeout)=/) continue
          if (i > 3) gsub(id, "-", line)
          out = out line "\n"
        }
        close(file)
        out = out "\036"
      }
      return out
    }
    BEGIN { exit release(this, this_id) != release(that, that_id) }'
}

# live_healthy HEALTH ADDRESS: the live container passes its health check now: through the proxy when
# the app has a plain-HTTP host (which proves the route as well), else at ADDRESS; for an image's
# HEALTHCHECK, by what Docker reports (HEALTH).
live_healthy() {
  if [ "$opt_health_kind" = image ]; then
    [ "$1" = healthy ]
  elif [ -n "$opt_verify_host" ]; then
    proxy_answers "$proxy_type" "$opt_verify_host" "$opt_health_path"
  else
    http_healthy "$2"
  fi
}

# look_for_built: starts looking for an image built from this source already (DIR/built), in the
# background (built_pid).
look_for_built() {
  [ "$opt_source_kind" != image ] || return 0
  dk images --filter "label=dev.helvetia.app=$app" --filter "label=dev.helvetia.build=$opt_build_key" \
    --format '{{.Repository}}:{{.Tag}}' "$image_repo" >"$dir/built" 2>/dev/null &
  built_pid=$!
}

# go_live: this deployment is the app's live one. The next deploy may start then: it takes over from
# there (it stops whatever is not its container), and the clean-up spares images of running deploys.
go_live() {
  wait "$old_pid" || dk ps -a --filter "label=dev.helvetia.app=$app" --filter "label=dev.helvetia.prefix=$prefix" \
    --format '{{.Names}}' >"$dir/old-containers" || true
  old=$(grep -vxF "$container" "$dir/old-containers" || true)
  echo "$id" >"$app_dir/current.$$"
  mv -f "$app_dir/current.$$" "$app_dir/current"
  live=1
  state_set "$dir" finished_at "$(now_utc)" status succeeded
  progress_line "step=deploy status=done $app is live: deployment $id ($container)"
  release_lock
  locked=0
}

# after_live: drains and stops the containers it replaced, prunes old images.
after_live() {
  rm -rf "$dir/context"
  step_running drain "Draining the previous container for ${opt_drain}s"
  if [ -n "$old" ]; then
    sleep "$opt_drain"
    # shellcheck disable=SC2086 # container names, one a word
    dk stop -t 10 $old >/dev/null 2>&1 || true
    # shellcheck disable=SC2086
    dk rm -f -v $old >/dev/null 2>&1 || true
    step_done drain "Stopped $(printf '%s' "$old" | tr '\n' ' ')"
  else
    step_skipped drain 'No previous container'
  fi

  step_running cleanup "Keeping the images of the last $opt_keep successful deployments"
  step_done cleanup "Removed $(prune_app_images "$app" "$opt_keep") old image tags"
  clean_when_disk_low
}

# A heartbeat, so that a deploy whose processes hang is recognised as stale (lib/deploy-common.sh).
run_pid=$$
(while kill -0 "$run_pid" 2>/dev/null; do
  touch "$dir/heartbeat"
  sleep 5
done) </dev/null >/dev/null 2>&1 &
heartbeat_pid=$!

# --- lock ---------------------------------------------------------------------------------------
step_running lock 'Waiting for earlier deploys of this app to finish'
take_lock $((opt_lock_timeout * 4)) || deploy_fail DEPLOY_BUSY "Another deploy of $app is still running after ${opt_lock_timeout}s" \
  'Wait for it to finish (helvetia deployments) and deploy again.'
locked=1
# Docker answers slowly on a busy server, so what does not depend on anything else is asked at once:
# the containers this deploy replaces (listed while it holds the lock, so a later deploy's are not),
# the proxy's kind, and either how the live container is doing (nothing changed since it went live)
# or whether an image of this source exists.
dk ps -a --filter "label=dev.helvetia.app=$app" --filter "label=dev.helvetia.prefix=$prefix" \
  --format '{{.Names}}' >"$dir/old-containers" 2>/dev/null &
old_pid=$!
proxy_kind >"$dir/proxy-kind" &
kind_pid=$!
live_id=''
[ ! -f "$app_dir/current" ] || read -r live_id <"$app_dir/current" || true
unchanged=0 built_pid=''
if [ -n "$live_id" ] && same_release "$live_id"; then
  unchanged=1
  live_container=$(state_get "$deployments_dir/$live_id" container)
  dk inspect -f "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} $address_format" \
    "$live_container" >"$dir/live-state" 2>/dev/null &
  live_pid=$!
  # This deployment's tag for the live image, in case it stays (if not, the build or the tag of the
  # image built already moves it; a failed deploy's tag goes with the clean-up).
  dk tag "$image_repo:$live_id" "$image" >/dev/null 2>&1 &
  tag_pid=$!
fi
[ "$unchanged" = 1 ] || look_for_built
state_set "$dir" started_at "$(now_utc)" status running
step_done lock 'This deploy has the app to itself'

wait "$kind_pid" || true
proxy_type=$(cat "$dir/proxy-kind" 2>/dev/null || true)
case $proxy_type in
  caddy) site=$dir/request/site.caddy ;;
  traefik) site=$dir/request/site.traefik.yml ;;
  *) deploy_fail PROXY_MISSING "The proxy container $proxy is not running on this server" 'Provision the server (helvetia server provision), then deploy again.' ;;
esac
[ ! -f "$(proxy_site_file "$proxy_type")" ] || {
  previous_site=$dir/previous-site
  ln -f "$(proxy_site_file "$proxy_type")" "$previous_site" 2>/dev/null || cp "$(proxy_site_file "$proxy_type")" "$previous_site"
}

# --- an unchanged release -----------------------------------------------------------------------
# Deploying exactly what runs (the live deployment's source, settings, env and route) would replace a
# healthy container by an identical one: a restart of the app, and the time of a whole deploy, for
# nothing. So when the live container is running, still routed to, and passes its health check now,
# it stays live: this deployment is recorded, its image tag is the same image (a rollback to it works
# as to any other), and it points at that container. Anything else goes the whole way below.
if [ "$unchanged" = 1 ]; then
  wait "$live_pid" || true
  tagged=0
  if wait "$tag_pid"; then tagged=1; fi
  # shellcheck disable=SC2046 # three words: status, health, address
  set -- $(cat "$dir/live-state" 2>/dev/null) '' '' ''
  reuse=''
  if [ "$1" != running ]; then
    echo "Nothing changed since deployment $live_id, but its container is not running: replacing it."
  elif ! cmp -s "$previous_site" "$deployments_dir/$live_id/${site#"$dir"/}"; then
    echo "Nothing changed since deployment $live_id, but the proxy no longer routes to it: replacing it."
  elif ! live_healthy "$2" "$3"; then
    echo "Nothing changed since deployment $live_id, but its container fails its health check: replacing it."
  elif [ "$tagged" = 0 ]; then
    echo "Nothing changed since deployment $live_id, but its image is gone: starting over."
  else
    reuse=1
  fi
  [ -n "$reuse" ] || look_for_built
  if [ -n "$reuse" ]; then
    container=$live_container
    step_running source 'Preparing the source'
    step_done source "Nothing changed since deployment $live_id (source, settings, env and route)"
    step_skipped build 'Nothing to build'
    step_skipped start "$container runs this release already: it stays, with no restart"
    step_done health "$container is healthy"
    step_skipped switch "The proxy sends $app's traffic to $container already"
    if [ "$opt_health_kind" = http ] && [ -n "$opt_verify_host" ]; then
      step_done verify "http://$opt_verify_host$opt_health_path answers through the proxy"
    else
      step_skipped verify "The proxy's route to $container is unchanged"
    fi
    state_set "$dir" image "$image" container "$container" reused_from "$live_id"
    go_live
    after_live
    exit 0
  fi
fi

# --- source and image ---------------------------------------------------------------------------
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
        repo=$app_dir/git
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

# --- the new container --------------------------------------------------------------------------
step_running start "Starting $container"
set -- run --detach --name "$container" --network "$network" --network-alias "$upstream_host" \
  --env-file "$dir/request/env" --restart "$opt_restart" \
  --log-driver json-file --log-opt max-size=10m --log-opt max-file=3 \
  --label "dev.helvetia.app=$app" --label "dev.helvetia.prefix=$prefix" --label "dev.helvetia.deployment=$id"
[ -z "$opt_memory" ] || set -- "$@" --memory "$opt_memory" --memory-swap "$opt_memory"
[ -z "$opt_cpus" ] || set -- "$@" --cpus "$opt_cpus"
[ -z "$opt_pids" ] || set -- "$@" --pids-limit "$opt_pids"
if [ "$opt_health_kind" = image ]; then
  set -- "$@" --health-interval "${opt_health_interval}s" --health-timeout "${opt_health_timeout}s" \
    --health-retries "$opt_health_retries" --health-start-period "${opt_health_start}s"
fi
started=1
start_error=$(dk "$@" "$image" 2>&1 >/dev/null) || deploy_fail CONTAINER_START_FAILED "The new container did not start: $start_error"
state_set "$dir" image "$image" container "$container"
step_done start "Started $container"

# --- health -------------------------------------------------------------------------------------
step_running health "Waiting until $container is healthy"
now=$(date +%s)
start_period_ends=$((now + opt_health_start))
failures=0
last_reason=''
while :; do
  run_state=$(dk inspect -f "{{.State.Status}} {{.State.ExitCode}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} $address_format" "$container")
  # shellcheck disable=SC2086 # four words: status, exit code, health, address
  set -- $run_state ''
  [ "$1" = running ] || deploy_fail HEALTH_CHECK_FAILED "The new container stopped (status $1, exit code $2)" 'Its last log lines are below.'
  if [ "$opt_health_kind" = http ]; then
    if http_healthy "$4"; then break; fi
    last_reason="GET $opt_health_path on port $opt_port did not succeed"
  else
    case $3 in
      healthy) break ;;
      none) deploy_fail HEALTHCHECK_MISSING "The image has no HEALTHCHECK" 'Add a HEALTHCHECK to the Dockerfile, or give the app an HTTP health check path.' ;;
      unhealthy) deploy_fail HEALTH_CHECK_FAILED "The image's HEALTHCHECK reports unhealthy" 'Its last log lines are below.' ;;
    esac
    last_reason="The image's HEALTHCHECK did not report healthy"
  fi
  # During the start period failures do not count, and checks come quickly so a fast app is not held
  # back by the interval (like Docker's --health-start-interval).
  if [ "$(date +%s)" -lt "$start_period_ends" ]; then
    sleep 0.25
    continue
  fi
  failures=$((failures + 1))
  if [ "$opt_health_kind" = image ]; then
    # Docker counts the retries itself; this bounds the wait.
    [ "$failures" -le $(((opt_health_retries + 2) * (opt_health_interval + opt_health_timeout) * 4)) ] ||
      deploy_fail HEALTH_CHECK_FAILED "$last_reason in time" 'Its last log lines are below.'
    sleep 0.25
  else
    [ "$failures" -lt "$opt_health_retries" ] ||
      deploy_fail HEALTH_CHECK_FAILED "Health check failed $failures times: $last_reason" 'Its last log lines are below.'
    sleep "$opt_health_interval"
  fi
done
step_done health "$container is healthy"

# --- switch -------------------------------------------------------------------------------------
step_running switch "Switching $proxy_type to $container"
switched=1
verify_path=$opt_health_path
[ "$opt_health_kind" = http ] || verify_path=/
# The switch and its proof in one go (see proxy_switch): exit code 1 is the switch, 2 the proof.
switch_code=0
switch_output=$(proxy_switch "$proxy_type" "$site" "$opt_verify_host" "$verify_path" "$upstream_host:$opt_port" 2>&1) ||
  switch_code=$?
[ "$switch_code" != 1 ] || deploy_fail PROXY_RELOAD_FAILED "The proxy refused the new configuration: $switch_output"
step_done switch "The proxy sends $app's traffic to $container"

step_running verify 'Checking the app through the proxy'
if [ -n "$opt_verify_host" ]; then
  [ "$switch_code" = 0 ] || deploy_fail PROXY_VERIFY_FAILED "http://$opt_verify_host$verify_path does not answer through the proxy"
  step_done verify "http://$opt_verify_host$verify_path answers through the proxy"
else
  # Only HTTPS hosts, which need a certificate first: the proxy's loaded configuration is the proof.
  [ "$switch_code" = 0 ] || deploy_fail PROXY_VERIFY_FAILED "The proxy did not load the route to $upstream_host:$opt_port"
  step_done verify 'The proxy routes to the new container'
fi

# --- live, then drain and clean up --------------------------------------------------------------
go_live
after_live
