#!/bin/sh
# Runs one deployment of an app on this server, under deploy-supervise.sh (detached from any SSH
# session): build (or reuse) the image, prepare the app's volumes, run its release command (not for a
# rollback), start the new container beside the old one (both mount the volumes), wait until it is
# healthy, switch the proxy to it, check that it answers through the proxy, then drain and stop the old
# one. Any failure before the switch is complete removes the new container and leaves the old one
# serving. Everything it prints goes through the secret filter into the deployment's log.
#
# Usage: deploy-run.sh --prefix P --app A --id ID
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
# shellcheck source=lib/deploy-runner.sh
. "$here/lib/deploy-runner.sh"
# shellcheck source=lib/deploy-health.sh
. "$here/lib/deploy-health.sh"
# shellcheck source=lib/deploy-image.sh
. "$here/lib/deploy-image.sh"
# shellcheck source=lib/deploy-build.sh
. "$here/lib/deploy-build.sh"
# shellcheck source=lib/deploy-pull.sh
. "$here/lib/deploy-pull.sh"
# shellcheck source=lib/deploy-release.sh
. "$here/lib/deploy-release.sh"
# shellcheck source=lib/deploy-volumes.sh
. "$here/lib/deploy-volumes.sh"
# shellcheck source=lib/deploy-release-command.sh
. "$here/lib/deploy-release-command.sh"
# shellcheck source=lib/deploy-processes.sh
. "$here/lib/deploy-processes.sh"

prefix='' app='' id=''
parse_options 'prefix app id' "$@"
open_deployment
umask 077

image_repo=$prefix/$app
image=$image_repo:$id
container=$prefix-$app-$id
# The name the proxy reaches the container by, on the app network (shorter than a container name).
upstream_host=$app-$id
proxy=$prefix-proxy
network=$prefix

locked=0 started=0 switched=0 live=0 previous_site=''
proxy_type=''

finish() {
  exit_code=$?
  if [ "$exit_code" -ne 0 ] && [ -n "$helvetia_current_step" ]; then
    error_code=${error_code:-SCRIPT_FAILED}
    error_message=${error_message:-"Unexpected failure in step $helvetia_current_step (exit code $exit_code)"}
    progress_line "step=$helvetia_current_step status=failed code=$error_code $error_message"
  fi
  set +e
  rm -rf "$dir/context" "$dir/old-containers" "$dir/live-state" "$dir/proxy-kind" "$dir/built" "$dir/builder-seccomp.json"
  forget_registry_login
  # An isolated build cut short leaves its builder container behind (lib/deploy-build.sh).
  [ -z "$build_container" ] || dk rm -f -v "$build_container" >/dev/null 2>&1
  # A release command cut short (killed, timed out) leaves its container behind.
  [ -z "$release_container" ] || dk rm -f "$release_container" >/dev/null 2>&1
  if [ "$live" = 0 ]; then
    if [ "$switched" = 1 ]; then
      if [ -n "$previous_site" ]; then proxy_install "$proxy_type" "$previous_site"; else proxy_remove "$proxy_type"; fi
    fi
    remove_new_workers
    if [ "$started" = 1 ]; then
      # A failed worker's lines (lib/deploy-processes.sh) say more than the web container's.
      [ -s "$dir/last-lines" ] ||
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

start_heartbeat

# --- lock ---------------------------------------------------------------------------------------
wait_for_lock
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
[ ! -f "$current_file" ] || read -r live_id <"$current_file" || true
unchanged=0 built_pid=''
# A pull is never the same release: its tag may name another image now.
if [ -n "$live_id" ] && [ "$opt_source_kind" != pull ] && same_release "$live_id"; then
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

# --- an unchanged release (lib/deploy-release.sh) ------------------------------------------------
[ "$unchanged" = 0 ] || reuse_unchanged

# --- source and image (lib/deploy-image.sh) -----------------------------------------------------
prepare_image
resolve_processes

# --- volumes and the release command (lib/deploy-volumes.sh, lib/deploy-release-command.sh) ------
prepare_volumes
run_release_command

# --- the new container (an app of workers only: lib/deploy-processes.sh) ---------------------------
[ "$has_web" = 1 ] || deploy_workers_only
step_running start "Starting $container"
set -- run --detach --name "$container" --network "$network" --network-alias "$upstream_host" \
  --env-file "$dir/request/env" --restart "$opt_restart" \
  --log-driver json-file --log-opt max-size=10m --log-opt max-file=3 \
  --label "dev.helvetia.app=$app" --label "dev.helvetia.prefix=$prefix" --label "dev.helvetia.deployment=$id"
[ -z "$opt_memory" ] || set -- "$@" --memory "$opt_memory" --memory-swap "$opt_memory"
[ -z "$opt_cpus" ] || set -- "$@" --cpus "$opt_cpus"
[ -z "$opt_pids" ] || set -- "$@" --pids-limit "$opt_pids"
# shellcheck disable=SC2086 # --mount options, one a word
set -- "$@" $mount_args
if [ "$opt_health_kind" = image ]; then
  set -- "$@" --health-interval "${opt_health_interval}s" --health-timeout "${opt_health_timeout}s" \
    --health-retries "$opt_health_retries" --health-start-period "${opt_health_start}s"
fi
started=1
# The web process's own command, like a worker's: one argument of sh -c.
if [ -n "$web_command" ]; then set -- "$@" --entrypoint sh "$image" -c "$web_command"; else set -- "$@" "$image"; fi
start_error=$(dk "$@" 2>&1 >/dev/null) || deploy_fail CONTAINER_START_FAILED "The new container did not start: $start_error"
state_set "$dir" image "$image" container "$container"
step_done start "Started $container"

# --- health (lib/deploy-health.sh) --------------------------------------------------------------
wait_healthy
start_workers

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
