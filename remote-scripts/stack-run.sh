#!/bin/sh
# Runs one deployment of a compose app on this server, under deploy-supervise.sh (detached from any
# SSH session), like deploy-run.sh does for a single-container app: render the app's compose file for
# this deployment (merged with Helvetia's override, kept as DIR/compose.yml), build its services,
# start them (recreated in place by compose, or, for the routed services switched with zero downtime,
# a new container beside the old one), wait until they are healthy, switch the proxy to the routed
# ones, check them through it, then drain and remove the containers replaced. A rollback runs the
# file a deployment kept with the images it recorded (DIR/images). Named volumes are compose's and
# stay across deploys. Everything it prints goes through the secret filter into the deployment's log.
#
# Usage: stack-run.sh --prefix P --app A --id ID
# DIR is ~/.P/apps/A/deployments/ID; deploy-start.sh put the request (options, env, routes,
# compose-override.json, site files) in DIR/request.
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
# shellcheck source=lib/stack-compose.sh
. "$here/lib/stack-compose.sh"
# shellcheck source=lib/stack-services.sh
. "$here/lib/stack-services.sh"

prefix='' app='' id=''
parse_options 'prefix app id' "$@"
open_deployment
umask 077
proxy=$prefix-proxy
network=$prefix
stack_repo=$prefix/stacks/$app

locked=0 switched=0 live=0 previous_site='' proxy_type='' services=''

finish() {
  exit_code=$?
  if [ "$exit_code" -ne 0 ] && [ -n "$helvetia_current_step" ]; then
    error_code=${error_code:-SCRIPT_FAILED}
    error_message=${error_message:-"Unexpected failure in step $helvetia_current_step (exit code $exit_code)"}
    progress_line "step=$helvetia_current_step status=failed code=$error_code $error_message"
  fi
  set +e
  if [ "$live" = 0 ]; then
    if [ "$switched" = 1 ]; then
      if [ -n "$previous_site" ]; then proxy_install "$proxy_type" "$previous_site"; else proxy_remove "$proxy_type"; fi
    fi
    # The services that did not come up tell why; the new containers of zero-downtime services go
    # (their old ones still serve). Services compose recreated stay as they are now.
    for container in $(live_containers 2>/dev/null); do
      dk logs --tail 10 "$container" 2>&1 | sed "s|^|$(dk inspect -f '{{.Name}}' "$container" | cut -c 2-): |"
    done | mask_filter "$dir/request/env" "$dir/request/secrets" >"$dir/last-lines"
    # shellcheck disable=SC2046 # container ids, one a word
    [ ! -s "$dir/new-containers" ] || dk rm -f $(cat "$dir/new-containers") >/dev/null 2>&1
    state_set "$dir" error_code "${error_code:-DEPLOY_FAILED}" \
      error_message "${error_message:-The deploy stopped (exit code $exit_code)}" error_hint "$error_hint" \
      finished_at "$(now_utc)" status failed
    rm -f "$dir/request/env"
    if [ -s "$dir/last-lines" ]; then
      echo 'The last lines of the services:'
      cat "$dir/last-lines"
    fi
    progress_line "step=deploy status=failed code=${error_code:-DEPLOY_FAILED} ${error_message:-The deploy stopped}"
  fi
  rm -f "$dir/new-containers" "$dir/old-containers"
  [ -z "$heartbeat_pid" ] || kill "$heartbeat_pid" 2>/dev/null
  [ "$locked" = 0 ] || release_lock
}
trap finish EXIT
trap 'exit 143' TERM INT HUP

start_heartbeat

# --- lock ---------------------------------------------------------------------------------------
wait_for_lock
state_set "$dir" started_at "$(now_utc)" status running
step_done lock 'This deploy has the app to itself'

proxy_type=$(proxy_kind)
case $proxy_type in
  caddy) site=$dir/request/site.caddy ;;
  traefik) site=$dir/request/site.traefik.yml ;;
  *) deploy_fail PROXY_MISSING "The proxy container $proxy is not running on this server" 'Provision the server (helvetia server provision), then deploy again.' ;;
esac
[ ! -f "$(proxy_site_file "$proxy_type")" ] || {
  previous_site=$dir/previous-site
  ln -f "$(proxy_site_file "$proxy_type")" "$previous_site" 2>/dev/null || cp "$(proxy_site_file "$proxy_type")" "$previous_site"
}
while read -r service port zero upstream verify; do
  require service "$service" "$COMPOSE_SERVICE_PATTERN"
  require_port port "$port"
  require 'zero downtime' "$zero" '0|1'
  require upstream "$upstream" "[a-z0-9_.-]+:$PORT_PATTERN"
  [ "$verify" = - ] || require host "$verify" "$HOST_PATTERN"
done <"$dir/request/routes"

# --- compose ------------------------------------------------------------------------------------
step_running compose 'Looking for compose on the server'
compose_cli
state_set "$dir" builder "$compose_label"
step_done compose "Compose: $compose_label"

# --- source and the rendered file ---------------------------------------------------------------
step_running source 'Preparing the source'
set --
if [ "$opt_source_kind" = image ]; then
  base=$deployments_dir/$opt_rollback_of/compose.yml
  [ -f "$base" ] || deploy_fail IMAGE_GONE "Deployment $opt_rollback_of kept no compose file" 'Roll back to another deployment, or deploy again.'
  pin_images "$opt_rollback_of"
  [ ! -f "$deployments_dir/$opt_rollback_of/.env" ] || cp "$deployments_dir/$opt_rollback_of/.env" "$dir/.env"
  set -- -f "$dir/pins.json"
  step_done source "Running the compose file and images of deployment $opt_rollback_of"
else
  if [ "$opt_source_kind" = git ]; then
    git --git-dir="$git_dir" cat-file -e "$opt_source_id^{commit}" 2>/dev/null ||
      deploy_fail GIT_COMMIT_MISSING "Commit $opt_source_id is not on the server" 'Deploy again: a deploy fetches its commit first.'
    mkdir "$dir/context"
    git --git-dir="$git_dir" archive "$opt_source_id" | tar -x -C "$dir/context" -f -
  fi
  # A folder's source: deploy-start.sh snapshotted it into context/.
  base=$dir/context/$opt_compose_file
  [ -f "$base" ] || deploy_fail COMPOSE_FILE_MISSING "The source has no $opt_compose_file" 'Give the path of the compose file inside the source (--compose-file).'
  # Its .env holds the file's defaults; the app's env comes first (lib/stack-compose.sh).
  [ ! -f "${base%/*}/.env" ] || cp "${base%/*}/.env" "$dir/.env"
  step_done source "Source $opt_source_id"
fi
[ ! -s "$dir/request/compose-override.json" ] || set -- -f "$dir/request/compose-override.json" "$@"
step_running render 'Rendering the compose file of this deployment'
compose_in "${base%/*}" /dev/null "$base" "$@" config --no-interpolate >"$dir/rendered.yml" ||
  deploy_fail COMPOSE_INVALID "compose refused $opt_compose_file" 'Its message is above; docker compose config shows the same.'
without_builds "$dir/rendered.yml" >"$dir/compose.yml"
services=$(compose_in "$dir" /dev/null "$dir/compose.yml" config --no-interpolate --services)
for service in $services; do require service "$service" "$COMPOSE_SERVICE_PATTERN"; done
service_list=$(printf '%s\n' "$services" | tr '\n' ' ')
step_done render "Services: $service_list"

# --- build --------------------------------------------------------------------------------------
if [ "$opt_source_kind" != image ] && grep -q '^    build:' "$dir/rendered.yml"; then
  step_running build "Building with $compose_label"
  compose_timeout=$opt_build_timeout compose_in "$dir" "$dir/request/env" "$dir/rendered.yml" build 2>&1 ||
    deploy_fail BUILD_FAILED 'The build of a service failed' 'Its output is above.'
  step_done build 'Built'
else
  step_skipped build 'Nothing to build'
fi
rm -f "$dir/rendered.yml"

# --- start, health, switch ----------------------------------------------------------------------
# compose ARGS...: compose with this deployment's file and env.
compose_run() {
  compose_in "$dir" "$dir/request/env" "$dir/compose.yml" "$@"
}
step_running start 'Starting the services'
start_services
join_routes
step_done start "Started $service_list"

wait_services_healthy

step_running switch "Switching $proxy_type to the routed services"
if [ -s "$dir/request/routes" ]; then
  switched=1
  proxy_install "$proxy_type" "$site" || deploy_fail PROXY_RELOAD_FAILED 'The proxy refused the new configuration'
  step_done switch "The proxy sends $app's traffic to the services of deployment $id"
else
  [ -z "$previous_site" ] || proxy_remove "$proxy_type" >/dev/null
  step_skipped switch 'No service is routed'
fi

step_running verify 'Checking the routed services through the proxy'
while read -r service _port _zero upstream verify; do
  if [ "$verify" != - ]; then
    opt_port=${upstream##*:}
    tries=0
    until proxy_answers "$proxy_type" "$verify" "$opt_health_path"; do
      tries=$((tries + 1))
      [ "$tries" -lt 20 ] || deploy_fail PROXY_VERIFY_FAILED "http://$verify$opt_health_path ($service) does not answer through the proxy"
      sleep 0.5
    done
  else
    proxy_routes "$proxy_type" "$upstream" || deploy_fail PROXY_VERIFY_FAILED "The proxy did not load the route to $upstream"
  fi
done <"$dir/request/routes"
step_done verify 'The routed services answer through the proxy'

# --- live, then drain and clean up --------------------------------------------------------------
record_images
first=$(awk 'NR == 1 { print $1 }' "$dir/request/routes")
first=${first:-$(printf '%s\n' "$services" | head -n 1)}
main_container=$(stack_containers "$first" | grep -vxF -f "$dir/old-containers" | tail -n 1 || true)
main_name=$(dk inspect -f '{{.Name}}' "$main_container" 2>/dev/null || true)
echo "$id" >"$current_file.$$"
mv -f "$current_file.$$" "$current_file"
live=1
state_set "$dir" image "$stack_repo:$id-$first" container "${main_name#/}" finished_at "$(now_utc)" status succeeded
progress_line "step=deploy status=done $app is live: deployment $id ($service_list)"
release_lock
locked=0

step_running drain "Draining the replaced containers for ${opt_drain}s"
if [ -s "$dir/old-containers" ]; then
  sleep "$opt_drain"
  # shellcheck disable=SC2046 # container ids, one a word
  dk stop -t 10 $(cat "$dir/old-containers") >/dev/null 2>&1 || true
  # shellcheck disable=SC2046
  dk rm -f $(cat "$dir/old-containers") >/dev/null 2>&1 || true
  step_done drain "Removed $(wc -l <"$dir/old-containers") replaced containers"
else
  step_skipped drain 'No container to drain: compose recreated what changed'
fi
step_running cleanup "Keeping the images of the last $opt_keep successful deployments"
step_done cleanup "Removed $(prune_stacks "$opt_keep") old image tags"
prune_app_images "$app" "$opt_keep" >/dev/null
clean_when_disk_low
