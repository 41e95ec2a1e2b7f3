# Moving an app's traffic in the reverse proxy (see src-main/core/proxy/): the per-app file Helvetia
# wrote for this deployment replaces the app's current one, then the proxy picks it up: Caddy by a
# graceful `caddy reload` (in-flight requests finish on the old configuration), Traefik by watching its
# dynamic/ folder. Sourced after lib/deploy-common.sh; uses $prefix, $app and $proxy.
# shellcheck disable=SC2154 # set by the scripts that source this file

# proxy_kind: caddy or traefik, from the command the proxy container runs.
proxy_kind() {
  timeout 30 docker inspect -f '{{index .Config.Cmd 0}}' "$proxy" 2>/dev/null || true
}

# proxy_site_file KIND: where the app's file lives on the server.
proxy_site_file() {
  case $1 in
    caddy) printf '%s\n' "$proxy_root/caddy/etc/sites/$app.caddy" ;;
    traefik) printf '%s\n' "$proxy_root/traefik/etc/dynamic/$app.yml" ;;
  esac
}

# proxy_place KIND SOURCE: makes SOURCE the app's file (atomically), or fails and leaves the old one.
# A hard link where it can (SOURCE is never changed in place): it needs no free space, so the old
# route is put back even on a full disk.
proxy_place() {
  install_target=$(proxy_site_file "$1")
  mkdir -p "$(dirname "$install_target")"
  if { ln -f "$2" "$install_target.$$" 2>/dev/null || cp "$2" "$install_target.$$"; } &&
    mv -f "$install_target.$$" "$install_target"; then
    return 0
  fi
  rm -f "$install_target.$$"
  return 1
}

# proxy_install KIND SOURCE: makes SOURCE the app's file and has the proxy load it.
proxy_install() {
  proxy_place "$1" "$2" && proxy_reload "$1"
}

# proxy_switch KIND SOURCE HOST PATH UPSTREAM: proxy_install, then the proof that the proxy took it: a
# request for http://HOST/PATH through the proxy succeeds or, with no HOST (only HTTPS hosts, which
# need a certificate first), its loaded configuration routes to UPSTREAM (see proxy_answers and
# proxy_routes). Returns 1 when the proxy refused the file, 2 when the proof failed. For Caddy, the
# reload and the proof are one `docker exec`: each costs a process start in the proxy's container.
proxy_switch() {
  proxy_place "$1" "$2" || return 1
  case $1 in
    caddy)
      switch_code=0
      # shellcheck disable=SC2016 # expanded by the shell in the proxy's container
      timeout 80 docker exec "$proxy" sh -c '
        caddy reload --config /etc/caddy/Caddyfile --adapter caddyfile || exit 1
        if [ -n "$1" ]; then
          wget -q -O /dev/null --header "Host: $1" "http://127.0.0.1:$2$3" 2>/dev/null || exit 2
        else
          wget -q -O - http://127.0.0.1:2019/config/ 2>/dev/null | grep -qF "\"$4\"" || exit 2
        fi' sh "$3" "$(proxy_http_port caddy)" "$4" "$5" || switch_code=$?
      [ "$switch_code" -le 1 ] || switch_code=2
      return "$switch_code"
      ;;
    traefik)
      if [ -n "$3" ]; then proxy_answers traefik "$3" "$4" || return 2; else proxy_routes traefik "$5" || return 2; fi
      ;;
  esac
}

# proxy_remove KIND: removes the app's file and has the proxy forget it.
proxy_remove() {
  rm -f "$(proxy_site_file "$1")"
  proxy_reload "$1"
}

proxy_reload() {
  case $1 in
    caddy) timeout 60 docker exec "$proxy" caddy reload --config /etc/caddy/Caddyfile --adapter caddyfile ;;
    # Traefik's file provider notices the change by itself.
    traefik) : ;;
  esac
}

# proxy_http_port KIND: the proxy's HTTP port inside its container (as provisioned).
proxy_http_port() {
  case $1 in
    caddy) awk '$1 == "http_port" { print $2; exit }' "$proxy_root/caddy/etc/Caddyfile" ;;
    traefik) sed -n 's/^ *address: ":\([0-9]*\)"$/\1/p' "$proxy_root/traefik/etc/traefik.yml" | head -n 1 ;;
  esac
}

# proxy_routes KIND UPSTREAM: the proxy now sends the app's traffic to UPSTREAM (host:port). Caddy
# shows its loaded configuration on its admin API; Traefik's API is off, so for Traefik this waits for
# its file watcher, and the request through the proxy (proxy_answers) is the proof.
proxy_routes() {
  case $1 in
    caddy)
      timeout 20 docker exec "$proxy" wget -q -O - http://127.0.0.1:2019/config/ 2>/dev/null | grep -qF "\"$2\""
      ;;
    traefik) sleep 2 ;;
  esac
}

# proxy_answers KIND HOST PATH: a request for http://HOST/PATH through the proxy succeeds.
proxy_answers() {
  answers_port=$(proxy_http_port "$1")
  [ -n "$answers_port" ] || return 1
  timeout 20 docker exec "$proxy" wget -q -O /dev/null --header "Host: $2" "http://127.0.0.1:$answers_port$3" 2>/dev/null
}
