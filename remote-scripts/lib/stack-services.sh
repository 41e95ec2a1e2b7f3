# The services of a compose deployment: starting them (recreated in place by compose, or beside the old
# container for those switched with zero downtime), joining the routed ones to Helvetia's network
# under the names the proxy routes to, waiting until they are healthy, and the images they run.
# Sourced by stack-run.sh after lib/stack-compose.sh and lib/deploy-health.sh; uses its variables
# (dir, id, network, proxy, the options) and functions (dk, deploy_fail, compose_run).
# shellcheck disable=SC2154,SC2034 # set and used by the script that sources this file

# routes_of FIELD VALUE: the services of the request's routes whose FIELD (3: zero downtime) is VALUE.
routes_of() {
  awk -v field="$1" -v value="$2" '$field == value { print $1 }' "$dir/request/routes"
}

# start_services: compose recreates what changed of the services not switched with zero downtime
# (with their dependencies, health conditions honoured by compose), then each zero-downtime service
# gets one new container beside its old ones (compose scales it up by one, leaving the old as it is).
# The new containers are listed in DIR/new-containers, the ones they replace in DIR/old-containers.
start_services() {
  zero=$(routes_of 3 1)
  recreated=$(printf '%s\n' "$services" | grep -vxF "$zero" || true)
  [ -n "$zero" ] || recreated=$services
  : >"$dir/new-containers"
  : >"$dir/old-containers"
  if [ -n "$recreated" ]; then
    # shellcheck disable=SC2086 # service names (checked), one a word
    compose_run up -d --no-build --remove-orphans $recreated ||
      deploy_fail COMPOSE_FAILED "compose could not start the services ($(printf '%s ' $recreated))" 'Its output is above.'
  fi
  for service in $zero; do
    stack_containers "$service" >"$dir/before"
    count=$(wc -l <"$dir/before")
    set -- up -d --no-build --no-deps
    [ "$count" = 0 ] || set -- "$@" --no-recreate --scale "$service=$((count + 1))"
    compose_run "$@" "$service" ||
      deploy_fail COMPOSE_FAILED "compose could not start a new container of $service" 'Its output is above.'
    stack_containers "$service" | grep -vxF -f "$dir/before" >>"$dir/new-containers" || true
    cat "$dir/before" >>"$dir/old-containers"
  done
  rm -f "$dir/before"
}

# join_routes: each routed service's containers (a zero-downtime one's new container only) join
# Helvetia's network under the name its route names (SERVICE.APP, or SERVICE-ID.APP), once.
join_routes() {
  while read -r service _port zero upstream _verify; do
    alias=${upstream%:*}
    if [ "$zero" = 1 ]; then
      joining=$(stack_containers "$service" | grep -xF -f "$dir/new-containers" || true)
    else
      joining=$(stack_containers "$service" --filter status=running)
    fi
    [ -n "$joining" ] || deploy_fail COMPOSE_FAILED "No container of $service is running"
    for container in $joining; do
      joined=$(dk inspect -f "{{with index .NetworkSettings.Networks \"$network\"}}{{.Aliases}}{{end}}" "$container")
      case " ${joined#[} " in *" $alias "* | *" $alias] "*) continue ;; esac
      # Another alias (a changed route): join again under this one.
      [ -z "$joined" ] || dk network disconnect "$network" "$container" >/dev/null
      dk network connect --alias "$alias" "$network" "$container" >/dev/null ||
        deploy_fail COMPOSE_FAILED "$service could not join the network $network"
    done
  done <"$dir/request/routes"
}

# wait_services_healthy: every container of this deployment runs and, where it has a health check,
# reports healthy; a routed service without one answers its HTTP health check from the proxy's
# container. Bounded by the app's health timings.
wait_services_healthy() {
  step_running health 'Waiting until the services are healthy'
  deadline=$(($(date +%s) + opt_health_start + (opt_health_interval + opt_health_timeout) * (opt_health_retries + 1)))
  format="{{.Name}} {{.State.Status}} {{.State.ExitCode}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{index .Config.Labels \"com.docker.compose.service\"}} {{with index .NetworkSettings.Networks \"$network\"}}{{.IPAddress}}{{end}}"
  while :; do
    pending=''
    # shellcheck disable=SC2046 # container ids, one a word
    dk inspect -f "$format" $(live_containers) >"$dir/service-states"
    while read -r name status code health service address; do
      name=${name#/}
      case $status in
        running) ;;
        # A one-off service (a migration) that finished well is done.
        exited) [ "$code" = 0 ] && continue ;;
        *) ;;
      esac
      [ "$status" = running ] || deploy_fail HEALTH_CHECK_FAILED "$name stopped (status $status, exit code $code)" 'Its last log lines are below.'
      case $health in
        healthy) ;;
        unhealthy) deploy_fail HEALTH_CHECK_FAILED "$name reports unhealthy" 'Its last log lines are below.' ;;
        starting) pending="$pending $name" ;;
        none)
          port=$(awk -v s="$service" '$1 == s { print $2 }' "$dir/request/routes")
          if [ -n "$port" ]; then
            opt_port=$port
            http_healthy "$address" || pending="$pending $name"
          fi
          ;;
      esac
    done <"$dir/service-states"
    [ -n "$pending" ] || break
    [ "$(date +%s)" -lt "$deadline" ] || deploy_fail HEALTH_CHECK_FAILED "Not healthy in time:$pending" 'Their last log lines are below.'
    sleep 1
  done
  rm -f "$dir/service-states"
  step_done health "The services are healthy: $service_list"
}

# live_containers: the app's containers but those this deployment replaces.
live_containers() {
  timeout 60 docker ps -aq --filter "label=com.docker.compose.project=$prefix-$app" | grep -vxF -f "$dir/old-containers" || true
}

# record_images: tags the image each service runs as STACK_REPO:ID-SERVICE (kept for rollback while the
# deployment is) and lists `SERVICE IMAGE_ID` in DIR/images.
record_images() {
  : >"$dir/images"
  for service in $services; do
    running=$(stack_containers "$service" | grep -vxF -f "$dir/old-containers" | tail -n 1 || true)
    [ -n "$running" ] || continue
    image_id=$(dk inspect -f '{{.Image}}' "$running")
    dk tag "$image_id" "$stack_repo:$id-$service"
    echo "$service $image_id" >>"$dir/images"
  done
}

# pin_images OLD: the override that runs deployment OLD's images again (DIR/pins.json), tagged for this one.
pin_images() {
  [ -s "$deployments_dir/$1/images" ] || deploy_fail IMAGE_GONE "Deployment $1 recorded no images" 'Roll back to another deployment, or deploy again.'
  pins=''
  while read -r service _image; do
    matches "$service" "$COMPOSE_SERVICE_PATTERN" || continue
    dk tag "$stack_repo:$1-$service" "$stack_repo:$id-$service" 2>/dev/null ||
      deploy_fail IMAGE_GONE "The image of $service in deployment $1 is no longer on the server" 'Roll back to a more recent deployment, or deploy again.'
    pins="$pins${pins:+,}\"$service\":{\"image\":\"$stack_repo:$id-$service\"}"
  done <"$deployments_dir/$1/images"
  printf '{"services":{%s}}\n' "$pins" >"$dir/pins.json"
}

# prune_stacks KEEP: removes the image tags and source copies of the app's deployments but its last KEEP
# successful ones, its live one and those still running; prints how many tags it removed.
prune_stacks() {
  prune_keep=$(
    deployment_ids "$deployments_dir" succeeded | head -n "$1"
    deployment_ids "$deployments_dir" queued running
    cat "$current_file" 2>/dev/null || true
  )
  for prune_context in "$deployments_dir"/*/context; do
    [ -d "$prune_context" ] || continue
    prune_id=${prune_context%/context}
    printf '%s\n' "$prune_keep" | grep -qxF "${prune_id##*/}" || rm -rf "$prune_context"
  done
  prune_removed=0
  for prune_tag in $(dk images --format '{{.Tag}}' "$stack_repo"); do
    prune_id=$(printf '%.20s' "$prune_tag")
    if ! printf '%s\n' "$prune_keep" | grep -qxF "$prune_id"; then
      dk rmi "$stack_repo:$prune_tag" >/dev/null 2>&1 && prune_removed=$((prune_removed + 1))
    fi
  done
  echo "$prune_removed"
}
