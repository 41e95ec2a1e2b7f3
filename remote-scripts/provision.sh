#!/bin/sh
# Makes this server a Helvetia host: Docker (installed when missing, given root or sudo; see
# lib/docker-install.sh for where from), the Docker network apps join, and the reverse proxy container
# in front of them. Safe to run again: a run with the same options changes nothing and reports changed=0.
#
# Usage: provision.sh --proxy traefik|caddy --image IMAGE --http-port PORT --https-port PORT
#                     --bind ADDRESS --prefix NAME  < proxy-config
# Standard input is the proxy's configuration file (traefik.yml or Caddyfile), written by Helvetia.
#
# What it creates, for --prefix NAME (Helvetia uses "helvetia"):
#   network NAME; container NAME-proxy; volume NAME-KIND-data (ACME account and certificates, /data);
#   ~/.NAME/proxy/KIND/etc/ (mounted read-only at /etc/KIND) with the configuration file and a folder
#   for per-app configuration: dynamic/ (Traefik's file provider, with the HTTP->HTTPS redirect
#   middleware in _https-redirect.yml) or sites/ (imported by the Caddyfile).
# shellcheck source-path=SCRIPTDIR
set -eu
here=$(dirname "$0")
# shellcheck source=lib/progress.sh
. "$here/lib/progress.sh"
# shellcheck source=lib/rules.sh
. "$here/lib/rules.sh"
# shellcheck source=lib/validate.sh
. "$here/lib/validate.sh"
# shellcheck source=lib/system.sh
. "$here/lib/system.sh"
# shellcheck source=lib/proxy-state.sh
. "$here/lib/proxy-state.sh"
# shellcheck source=lib/docker-install.sh
. "$here/lib/docker-install.sh"
# shellcheck source=lib/db-schedule.sh
. "$here/lib/db-schedule.sh"
# shellcheck source=lib/jobs.sh
. "$here/lib/jobs.sh"

# --- arguments ----------------------------------------------------------------------------------
proxy='' image='' http_port='' https_port='' bind='' prefix=''
while [ "$#" -gt 0 ]; do
  [ "$#" -ge 2 ] || fail INVALID_ARGUMENT "$1 needs a value"
  case $1 in
    --proxy) proxy=$2 ;;
    --image) image=$2 ;;
    --http-port) http_port=$2 ;;
    --https-port) https_port=$2 ;;
    --bind) bind=$2 ;;
    --prefix) prefix=$2 ;;
    *) fail INVALID_ARGUMENT "Unknown argument: $1" ;;
  esac
  shift 2
done
require 'proxy' "$proxy" 'traefik|caddy' 'traefik or caddy'
require 'proxy image' "$image" "$IMAGE_PATTERN" 'an image reference such as traefik:v3.3'
[ "${#image}" -le 255 ] || fail INVALID_OPTION 'The proxy image reference is longer than 255 characters'
require_port 'HTTP port' "$http_port"
require_port 'HTTPS port' "$https_port"
[ "$http_port" != "$https_port" ] || fail INVALID_OPTION "The HTTP and HTTPS ports are both $http_port" 'Choose two different ports.'
if ! matches "$bind" "$IPV4_PATTERN" && ! matches "$bind" "$IPV6_PATTERN"; then
  fail INVALID_OPTION "Invalid bind address: \"$bind\"" 'Expected an IPv4 or IPv6 address such as 0.0.0.0.'
fi
require 'prefix' "$prefix" "$PREFIX_PATTERN" 'lowercase letters, digits and dashes'

network=$prefix
container=$prefix-proxy
volume=$prefix-$proxy-data
server_paths "$prefix"
etc=$proxy_root/$proxy/etc
case $proxy in
  traefik)
    config_file=traefik.yml
    app_config_dir=dynamic
    health_cmd='traefik healthcheck --ping'
    ;;
  caddy)
    config_file=Caddyfile
    app_config_dir=sites
    health_cmd="wget -q -O /dev/null http://127.0.0.1:$http_port/.well-known/helvetia/health"
    ;;
esac
case $bind in
  *:*) publish_address="[$bind]" ;;
  *) publish_address=$bind ;;
esac
changed_any=0

# --- Docker -------------------------------------------------------------------------------------
step_running facts "Reading the server's facts"
log_rotation_configured=0
gather_facts
step_done facts "$os_id $os_version on $arch; privilege: $privilege"

step_running docker 'Checking Docker'
case $docker_status in
  ok) step_skipped docker "Docker $docker_version is installed" ;;
  missing) install_docker ;;
  no-access)
    fail DOCKER_NO_ACCESS "Docker is installed, but $user may not use it (permission denied on its socket)" \
      "Add $user to the docker group (sudo usermod -aG docker $user), then reconnect and provision again."
    ;;
  *)
    fail DOCKER_NOT_RUNNING 'Docker is installed, but its engine is not running' \
      'Start it on the server (for example: sudo systemctl start docker), then provision again.'
    ;;
esac
emit_facts

if [ "$log_rotation_configured" = 1 ]; then
  step_done log-rotation 'Container logs rotate at 10 MB, 3 files (/etc/docker/daemon.json)'
else
  step_skipped log-rotation "The engine's own settings are left alone; Helvetia's containers rotate their logs at 10 MB, 3 files"
fi

# --- network ------------------------------------------------------------------------------------
step_running network "Creating the Docker network $network"
if run_docker network inspect "$network" >/dev/null 2>&1; then
  step_skipped network "Docker network $network exists"
else
  run_docker network create --label dev.helvetia.managed=true "$network" >/dev/null
  changed_any=1
  step_done network "Created Docker network $network"
fi

# --- proxy configuration ------------------------------------------------------------------------
step_running proxy-config "Writing the $proxy configuration"
(umask 077 && mkdir -p "$etc/$app_config_dir")
incoming=$etc/.$config_file.$$
cat >"$incoming"
if [ ! -s "$incoming" ]; then
  rm -f "$incoming"
  fail INVALID_ARGUMENT 'No proxy configuration on standard input'
fi
# replace_if_changed NEW FILE: makes NEW (a temporary file) the FILE unless FILE already holds the same;
# says "changed" when it did.
replace_if_changed() {
  if cmp -s "$1" "$2"; then
    rm -f "$1"
  else
    chmod 600 "$1"
    mv -f "$1" "$2"
    echo changed
  fi
}
config_changed=$(replace_if_changed "$incoming" "$etc/$config_file")
written=''
[ -z "$config_changed" ] || written=$etc/$config_file
# Traefik: the HTTP->HTTPS redirect that HTTPS apps' routes use (HTTPS_REDIRECT_MIDDLEWARE in
# src-main/core/proxy/traefik.ts). It lives in the watched dynamic folder because a middleware cannot
# be part of the static configuration, and is written here because only provisioning knows the port.
if [ "$proxy" = traefik ]; then
  redirect_file=$etc/dynamic/_https-redirect.yml
  printf '%s\n' '# Written by Helvetia; changes here are overwritten on provisioning.' \
    'http:' '  middlewares:' '    https-redirect:' '      redirectScheme:' '        scheme: "https"' \
    "        port: \"$https_port\"" '        permanent: true' >"$etc/.https-redirect.yml.$$"
  redirect_changed=$(replace_if_changed "$etc/.https-redirect.yml.$$" "$redirect_file")
  [ -z "$redirect_changed" ] || written="${written:+$written and }$redirect_file"
fi
if [ -n "$written" ]; then
  changed_any=1
  step_done proxy-config "Wrote $written"
else
  step_skipped proxy-config "$etc/$config_file is up to date"
fi

# --- proxy container ----------------------------------------------------------------------------
# port_listening PORT: some TCP socket on this machine listens on PORT, on any address.
port_listening() {
  port_hex=$(printf '%04X' "$1")
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
    awk -v suffix=":$port_hex" '$4 == "0A" && substr($2, length($2) - 4) == suffix { found = 1 } END { exit !found }'
}

# check_port PORT OPTION EXAMPLE: fails with PORT_TAKEN when anything but our own proxy uses PORT.
check_port() {
  case " $own_ports " in *" $1 "*) return 0 ;; esac
  if port_listening "$1"; then
    fail PORT_TAKEN "Port $1 is already in use on the server" \
      "Stop what listens on port $1, or choose another port with $2 (for example $2 $3)."
  fi
}

# start_failed DOCKER-ERROR: why the proxy container did not start, as the user can fix it.
start_failed() {
  case $1 in
    *'already allocated'* | *'address already in use'*)
      fail PORT_TAKEN "A proxy port is already in use on the server: $1" \
        'Stop what listens there, or choose other ports with --http-port and --https-port.'
      ;;
  esac
  fail PROXY_START_FAILED "Could not start the proxy: $1" 'Check the proxy image and options, then provision again.'
}

step_running proxy "Starting the $proxy proxy ($image)"
# Everything that defines the container; its hash (with the configuration) is kept as a label, so
# an unchanged proxy is left running and any change recreates it.
set -- --name "$container" --label dev.helvetia.managed=true --label dev.helvetia.role=proxy \
  --restart unless-stopped --network "$network" \
  --log-driver json-file --log-opt max-size=10m --log-opt max-file=3 \
  --publish "$publish_address:$http_port:$http_port" --publish "$publish_address:$https_port:$https_port" \
  --volume "$etc:/etc/$proxy:ro" --volume "$volume:/data" \
  --health-cmd "$health_cmd"
case $proxy in
  traefik)
    # No Docker socket: routes come from files only (see src-main/core/proxy/traefik.ts). A proxy
    # provisioned with the socket has another hash, so it is replaced.
    set -- "$@" "$image" traefik --configFile=/etc/traefik/traefik.yml
    ;;
  caddy)
    set -- "$@" --env XDG_DATA_HOME=/data --env XDG_CONFIG_HOME=/config \
      "$image" caddy run --config /etc/caddy/Caddyfile --adapter caddyfile
    ;;
esac
desired_hash=$({ printf '%s\n' "$@" && cat "$etc/$config_file"; } | sha256sum | cut -c 1-64)
[ "${#desired_hash}" -eq 64 ] || fail MISSING_TOOL 'sha256sum is missing on the server' 'Install coreutils.'
# "RUNNING MANAGED HASH" (true/false, the labels), or nothing when there is no such container.
state=$(run_docker inspect -f '{{.State.Running}} {{index .Config.Labels "dev.helvetia.managed"}} {{index .Config.Labels "dev.helvetia.config-hash"}}' "$container" 2>/dev/null || true)
running=${state%% *}
current_hash=${state##* }
case $state in
  '' | *' true '*) ;;
  *) fail NAME_TAKEN "A container named $container exists that Helvetia did not create" \
    "Rename or remove it (docker rename $container $container-old), then provision again." ;;
esac

if [ "$current_hash" = "$desired_hash" ] && [ "$running" = true ] && [ -z "$config_changed" ]; then
  step_skipped proxy "$container is running with these options"
elif [ "$current_hash" = "$desired_hash" ]; then
  error=$(run_docker restart "$container" 2>&1 >/dev/null) || start_failed "$error"
  changed_any=1
  step_done proxy "Restarted $container"
else
  own_ports=''
  if [ "$running" = true ]; then
    # shellcheck disable=SC2016 # a Go template, not shell
    own_ports=$(run_docker inspect -f '{{range $p, $b := .HostConfig.PortBindings}}{{range $b}}{{.HostPort}} {{end}}{{end}}' "$container")
  fi
  check_port "$http_port" --http-port 8080
  check_port "$https_port" --https-port 8443
  # Pull before removing the old proxy, so a failed pull leaves it serving.
  if ! run_docker image inspect "$image" >/dev/null 2>&1; then
    step_running proxy "Pulling $image"
    run_docker pull "$image" >&2 || fail IMAGE_PULL_FAILED "Could not pull the proxy image $image" \
      'Check the image name and that the server can reach its registry.'
  fi
  if [ -n "$running" ]; then
    run_docker rm -f -v "$container" >/dev/null
  fi
  if ! run_docker volume inspect "$volume" >/dev/null 2>&1; then
    run_docker volume create --label dev.helvetia.managed=true "$volume" >/dev/null
  fi
  error=$(run_docker run --detach --label "dev.helvetia.config-hash=$desired_hash" "$@" 2>&1 >/dev/null) ||
    start_failed "$error"
  changed_any=1
  step_done proxy "Started $container"
fi

step_running proxy-health 'Waiting for the proxy to answer'
tries=0
until run_docker exec "$container" sh -c "$health_cmd" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    run_docker logs --tail 20 "$container" >&2 2>&1 || true
    fail PROXY_UNHEALTHY 'The proxy did not become healthy within a minute' \
      "Its last log lines are above (docker logs $container); fix the cause, then provision again."
  fi
  sleep 1
done
step_done proxy-health 'The proxy answers'
# Backup schedules run again (a server with no crontab after a reboot): provisioning starts their agent.
for schedule in "$databases_dir"/*/schedule; do
  [ -f "$schedule" ] || continue
  ensure_backup_agent "$prefix"
  fact backup-agent "$agent_pid"
  break
done
# Scheduled jobs too (lib/jobs.sh).
if find "$apps_dir" -mindepth 3 -maxdepth 3 -path '*/jobs/*.json' -type f 2>/dev/null | grep -q .; then
  ensure_job_agent "$prefix"
  fact job-agent "$agent_pid"
fi
# What now runs, as a facts refresh reads it (facts.sh), for this computer to remember.
read_proxy "$prefix"
emit_proxy_facts
changed "$changed_any"
