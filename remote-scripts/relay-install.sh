#!/bin/sh
# Puts Helvetia's webhook relay on this server (again): builds its image here, runs it as the
# container PREFIX-relay on Helvetia's network (restarted by Docker unless stopped), its data on the
# volume PREFIX-relay-data, routes the relay's domain to it through the proxy, and starts the push
# agent (push-agent.sh) that deploys server-side apps' pushes; the user's crontab starts the agent at
# boot where crontab exists. Everything is replaced in place: the data volume and the spool stay.
#
# Usage: relay-install.sh --prefix P [--verify-host HOST] < install.tar
# install.tar (src-main/core/relay-host/relay-install.ts) holds: build/ (the relay's files and its
# Dockerfile), env (HELVETIA_RELAY_TOKEN=…, the only place the token is written), site.caddy and
# site.traefik.yml (the relay's route). --verify-host is a plain-HTTP domain to check the route with.
# Folder: ~/.P/relay/ (env, spool/ mounted at /spool in the container, agent.pid, agent.log).
# Reports: fact container=<name>, fact agent=<pid>, fact boot=crontab|none.
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
# shellcheck source=lib/deploy-proxy.sh
. "$here/lib/deploy-proxy.sh"

prefix='' verify_host=''
parse_options 'prefix verify-host' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
[ -z "$verify_host" ] || require host "$verify_host" "$HOST_PATTERN"
# The route's file name: no app is named so (app names start with a letter).
app=_relay
proxy=$prefix-proxy
network=$prefix
container=$prefix-relay
image=$prefix/relay:latest
volume=$prefix-relay-data
server_paths "$prefix"
RELAY_PORT=8787

step_running unpack 'Unpacking the relay'
proxy_type=$(proxy_kind)
case $proxy_type in
  caddy | traefik) ;;
  *) fail PROXY_MISSING "The proxy container $proxy is not running on this server" 'Provision the server (helvetia server provision), then install the relay.' ;;
esac
umask 077
mkdir -p "$spool_dir/jobs" "$spool_dir/done" "$spool_dir/outcomes"
work=$(mktemp -d)
remove_work() {
  install_exit=$?
  rm -rf "$work"
  (exit "$install_exit")
  helvetia_on_exit
}
trap remove_work EXIT
tar -x -C "$work" --no-same-owner -f -
for file in build/Dockerfile build/main.js env site.caddy site.traefik.yml; do
  [ -f "$work/$file" ] || fail INVALID_ARGUMENT "The archive lacks $file"
done
grep -Eqx 'HELVETIA_RELAY_TOKEN=[A-Za-z0-9_-]{32,200}' "$work/env" || fail INVALID_ARGUMENT 'The archive holds no valid relay token'
cp "$work/env" "$relay_dir/env.$$"
mv -f "$relay_dir/env.$$" "$relay_dir/env"
step_done unpack "Unpacked into $relay_dir"

step_running build "Building $image"
# The relay runs as this user, so that it can write the spool this user's agent reads.
build_log=$work/build.log
timeout -k 10 900 docker build --force-rm --tag "$image" --label "dev.helvetia.prefix=$prefix" \
  --build-arg "UID=$(id -u)" --build-arg "GID=$(id -g)" "$work/build" >"$build_log" 2>&1 || {
  tail -n 20 "$build_log"
  fail BUILD_FAILED 'docker build of the relay failed' "Its output is above. The image's FROM must be pullable on the server (or present)."
}
step_done build "Built $image"

step_running start "Starting $container"
timeout 60 docker volume inspect "$volume" >/dev/null 2>&1 ||
  timeout 60 docker volume create --label "dev.helvetia.prefix=$prefix" "$volume" >/dev/null
timeout 120 docker rm -f "$container" >/dev/null 2>&1 || true
start_error=$(timeout 120 docker run --detach --name "$container" --network "$network" --network-alias "$container" \
  --restart unless-stopped --env-file "$relay_dir/env" --user "$(id -u):$(id -g)" \
  --volume "$volume:/data" --volume "$spool_dir:/spool" --memory 256m \
  --log-driver json-file --log-opt max-size=10m --log-opt max-file=3 \
  --label "dev.helvetia.prefix=$prefix" --label dev.helvetia.relay=true "$image" 2>&1 >/dev/null) ||
  fail CONTAINER_START_FAILED "The relay did not start: $start_error"
address_format="{{.State.Status}} {{.RestartCount}} {{with index .NetworkSettings.Networks \"$network\"}}{{.IPAddress}}{{end}}"
deadline=$(($(date +%s) + 60))
while :; do
  # shellcheck disable=SC2046 # three words: status, restarts, address
  set -- $(timeout 30 docker inspect -f "$address_format" "$container" 2>/dev/null) '' '' ''
  if [ "$1" = running ] && [ "$2" = 0 ] && [ -n "$3" ] &&
    timeout 5 docker exec "$proxy" wget -q -O /dev/null "http://$3:$RELAY_PORT/healthz" 2>/dev/null; then
    break
  fi
  if [ "$1" != running ] || [ "$2" != 0 ] || [ "$(date +%s)" -gt "$deadline" ]; then
    sleep 1
    timeout 30 docker logs --tail 20 "$container" 2>&1 || true
    fail HEALTH_CHECK_FAILED "The relay does not answer on port $RELAY_PORT (container $1)" 'Its last log lines are above.'
  fi
  sleep 0.25
done
fact container "$container"
step_done start "$container answers"

step_running route "Routing the relay's domain to $container"
site=$work/site.caddy
[ "$proxy_type" = caddy ] || site=$work/site.traefik.yml
switch_code=0
switch_output=$(proxy_switch "$proxy_type" "$site" "$verify_host" /healthz "$container:$RELAY_PORT" 2>&1) || switch_code=$?
[ "$switch_code" != 1 ] || fail PROXY_RELOAD_FAILED "The proxy refused the relay's route: $switch_output"
[ "$switch_code" = 0 ] || fail PROXY_VERIFY_FAILED 'The relay does not answer through the proxy'
step_done route 'The proxy routes the domain to the relay'

step_running agent 'Starting the push agent'
# Its own session and no descriptor of this SSH session: it outlives the connection.
setsid sh "$here/push-agent.sh" --prefix "$prefix" </dev/null >>"$relay_dir/agent.log" 2>&1 &
agent=$!
# It has taken over once its pid file names it.
tries=0
until [ "$(cat "$relay_dir/agent.pid" 2>/dev/null || true)" = "$agent" ]; do
  tries=$((tries + 1))
  if ! kill -0 "$agent" 2>/dev/null || [ "$tries" -gt 100 ]; then
    fail AGENT_FAILED 'The push agent did not start' "See $relay_dir/agent.log."
  fi
  sleep 0.1
done
fact agent "$agent"
boot=none
if command -v crontab >/dev/null 2>&1; then
  marker="# helvetia-push-agent $prefix"
  line="@reboot sh \"$here/push-agent.sh\" --prefix $prefix >>\"$relay_dir/agent.log\" 2>&1 $marker"
  if { crontab -l 2>/dev/null | grep -vF "$marker" || true; printf '%s\n' "$line"; } | crontab -; then boot='crontab'; fi
fi
fact boot "$boot"
if [ "$boot" = crontab ]; then
  step_done agent 'The push agent runs, and starts at boot (crontab @reboot)'
else
  step_done agent 'The push agent runs; no crontab here, so after a reboot install the relay again to start it'
fi
