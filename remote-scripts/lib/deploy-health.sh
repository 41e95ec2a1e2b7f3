# Health checks of a deployment's container: as the deploy waits for the new one, and of the live one
# when nothing changed.
# Sourced by deploy-run.sh; uses its variables (the options, app, id, dir, image, container, proxy)
# and functions (dk, deploy_fail).
# shellcheck disable=SC2154 # set by the script that sources this file

# http_healthy ADDRESS: a GET of the health check path at ADDRESS succeeds, asked from the proxy's
# container: the network path traffic will take, with no tool needed in the app's image. By address:
# some wget builds cannot resolve names (a static busybox). `timeout` bounds the check: wget's own -T
# crashes some static busybox builds.
http_healthy() {
  timeout "$opt_health_timeout" docker exec "$proxy" wget -q -O /dev/null "http://$1:$opt_port$opt_health_path" 2>/dev/null
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

# wait_healthy: the `health` step: waits until the new container passes its health check (through its
# start period, then up to its retries), or fails the deploy.
wait_healthy() {
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
}
