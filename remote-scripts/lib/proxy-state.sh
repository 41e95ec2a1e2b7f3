# What runs as the reverse proxy under a prefix, read from its container and configuration file (as
# remote-scripts/provision.sh writes them). Needs lib/progress.sh.

# read_proxy PREFIX: sets proxy_kind (caddy or traefik; empty when no such proxy container runs),
# proxy_http_port and proxy_https_port (empty when unreadable) and proxy_acme_email (1 when the
# Let's Encrypt account has an email, else 0). Changes nothing.
read_proxy() {
  proxy_prefix=$1 proxy_http_port='' proxy_https_port='' proxy_acme_email=0
  # Through sudo right after provision.sh installed Docker (see run_docker in lib/system.sh).
  if [ "${docker_via_sudo:-0}" = 1 ]; then set -- sudo -n docker; else set -- docker; fi
  # The kind, from the command the proxy container runs (as lib/deploy-proxy.sh reads it).
  proxy_kind=$(timeout 20 "$@" inspect -f '{{if .State.Running}}{{index .Config.Cmd 0}}{{end}}' "$proxy_prefix-proxy" 2>/dev/null || true)
  server_paths "$proxy_prefix"
  # shellcheck disable=SC2154 # server_paths (lib/rules.sh) sets it
  proxy_config=$proxy_root/$proxy_kind/etc
  case $proxy_kind in
    caddy)
      proxy_config=$proxy_config/Caddyfile
      proxy_http_port=$(awk '$1 == "http_port" { print $2; exit }' "$proxy_config" 2>/dev/null || true)
      proxy_https_port=$(awk '$1 == "https_port" { print $2; exit }' "$proxy_config" 2>/dev/null || true)
      if awk '$1 == "email" { found = 1 } END { exit !found }' "$proxy_config" 2>/dev/null; then proxy_acme_email=1; fi
      ;;
    traefik)
      proxy_config=$proxy_config/traefik.yml
      proxy_http_port=$(traefik_entry_port web "$proxy_config")
      proxy_https_port=$(traefik_entry_port websecure "$proxy_config")
      if awk '$1 == "email:" { found = 1 } END { exit !found }' "$proxy_config" 2>/dev/null; then proxy_acme_email=1; fi
      ;;
    *) proxy_kind='' ;;
  esac
}

# traefik_entry_port NAME FILE: the port of entry point NAME: the first address after its name.
traefik_entry_port() {
  awk -v name="  $1:" '$0 == name { found = 1 } found && $1 == "address:" { gsub(/[":]/, "", $2); print $2; exit }' "$2" 2>/dev/null || true
}

# emit_proxy_facts: reports what read_proxy found (`proxy` empty: no proxy runs).
emit_proxy_facts() {
  fact proxy "$proxy_kind"
  fact http-port "$proxy_http_port"
  fact https-port "$proxy_https_port"
  fact acme-email "$proxy_acme_email"
}
