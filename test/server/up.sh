#!/usr/bin/env bash
# Brings up the disposable, real test server on this machine (Debian 12, as root):
#   - the Debian packages the tests need (apt-get only when something is missing),
#   - dockerd (started here only when `docker info` fails; then down.sh stops it again),
#   - a throwaway user `helvetia-test` in group docker, with a generated client key,
#   - two sshds on 127.0.0.1: "main" and one with `MaxSessions 2`, same host key and user,
#   - offline base images helvetia-test/{busybox,caddy,node}:latest (built only when missing),
#   - the image of a fresh Debian server, helvetia-test/fresh-host:latest (fresh-host-image.sh),
#   - $STATE/env with the connection facts as `export KEY=VALUE` lines.
# Safe to run again: a second run reuses what is up and changes nothing.
# Run by hand, the server is yours: `npm test` uses it and leaves it up; stop it with down.sh.
# State dir: ${HELVETIA_TEST_STATE:-/tmp/helvetia-test-server}. Everything binds to 127.0.0.1.
# On failure it exits non-zero with a one-line reason on stderr: `<script>.sh: error: <reason>`.
set -Eeuo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/server/lib.sh
. "$SCRIPT_DIR/lib.sh"

# Bump when the image recipes below change, so existing images get rebuilt.
IMAGE_RECIPE_VERSION=1

trap 'die "unexpected failure at line $LINENO: $BASH_COMMAND"' ERR

started_at=$SECONDS

[[ $(id -u) -eq 0 ]] || die "not root"
[[ -r /etc/debian_version ]] || die "not Debian: this script sets up Debian 12 only"

install -d -m 700 "$STATE"

# One up.sh at a time per state dir; temp files of an interrupted run are removed.
exec 9>"$LOCK_FILE"
if ! flock -n 9; then
  log "waiting for another up.sh, down.sh or restart-sshd.sh to finish ($LOCK_FILE)"
  flock -w 600 9 || die "another up.sh holds $LOCK_FILE"
fi
cleanup_temps() {
  rm -rf "$STATE"/sshd_config.?????? "$STATE"/env.?????? "$STATE"/rootfs-*.??????
}
cleanup_temps
trap cleanup_temps EXIT

# Who owns the server decides whether test/run.sh may stop it when its tests are done:
# brought up by a test run (HELVETIA_TEST_UP_BY_RUN=1) -> the marker, and the last run stops it;
# brought up, or run again, by hand -> no marker, and it stays up until down.sh.
if [[ ${HELVETIA_TEST_UP_BY_RUN:-} == 1 ]]; then
  if ! sshd_running_pid main >/dev/null; then
    : >"$OWNED_BY_RUNS"
  fi
else
  rm -f "$OWNED_BY_RUNS"
fi

# --- packages ---------------------------------------------------------------------------------

# install-packages.sh prints its own one-line reason when it fails.
bash "$SCRIPT_DIR/install-packages.sh" 9>&- || exit 1

# --- cgroup controllers -------------------------------------------------------------------------
# On a cgroup v1 host where some enabled controllers are mounted nowhere (a container sandbox; systemd
# mounts them all), the first container that mounts one (the fresh test host's dockerd does) makes a
# hierarchy every process then lists in /proc/PID/cgroup, and containerd, finding no mount for it, stops
# reading any container's stats (`docker stats` all zero, "cannot find cgroup mount destination").
# Mounting each such controller here first keeps the host whole: later mounts join these hierarchies.
mount_cgroup_controllers() {
  [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = tmpfs ] || return 0
  local name enabled
  while read -r name _ _ enabled; do
    [[ $name != \#* && $enabled == 1 && ! -e /sys/fs/cgroup/$name ]] || continue
    if mkdir "/sys/fs/cgroup/$name" && mount -t cgroup -o "$name" cgroup "/sys/fs/cgroup/$name"; then
      log "cgroup: mounted the $name controller"
    else
      rmdir "/sys/fs/cgroup/$name" 2>/dev/null || true
      log "cgroup: could not mount the $name controller; docker stats may read nothing"
    fi
  done </proc/cgroups
}
mount_cgroup_controllers

# --- dockerd ----------------------------------------------------------------------------------

start_dockerd() {
  if docker info >/dev/null 2>&1; then
    log "dockerd: already running"
    return 0
  fi
  local pid i
  # A dockerd may be starting right now (ours or someone else's): give it a moment first.
  if [[ -s /var/run/docker.pid ]] && pid=$(</var/run/docker.pid) && alive "$pid"; then
    log "dockerd: pid $pid exists but is not ready yet; waiting"
    for ((i = 0; i < 120; i++)); do
      docker info >/dev/null 2>&1 && return 0
      sleep 0.5
    done
    die "dockerd did not start: pid $pid exists but does not answer"
  fi
  rm -f /var/run/docker.pid
  log "dockerd: starting (log: $STATE/dockerd.log)"
  # --ip 127.0.0.1: ports published without an address bind to loopback only.
  setsid nohup dockerd --ip 127.0.0.1 >"$STATE/dockerd.log" 2>&1 </dev/null 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$STATE/dockerd.pid"
  # down.sh stops dockerd only when this marker says we started it.
  : >"$STATE/dockerd.started-by-up"
  for ((i = 0; i < 120; i++)); do
    if docker info >/dev/null 2>&1; then
      log "dockerd: ready (pid $pid)"
      return 0
    fi
    if [[ ! -e /proc/$pid ]]; then
      rm -f "$STATE/dockerd.started-by-up"
      die "dockerd did not start: $(tail -n 1 "$STATE/dockerd.log" 2>/dev/null)"
    fi
    sleep 0.5
  done
  die "dockerd did not start: not ready after 60s (see $STATE/dockerd.log)"
}
start_dockerd

# --- the test user and keys -------------------------------------------------------------------

setup_user() {
  getent group docker >/dev/null || groupadd --system docker
  if ! id -u "$TEST_USER" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash --groups docker "$TEST_USER"
    log "user: created $TEST_USER"
  elif ! id -nG "$TEST_USER" | tr ' ' '\n' | grep -qx docker; then
    usermod -aG docker "$TEST_USER"
    log "user: added $TEST_USER to group docker"
  fi
  # A locked account ("!" in shadow) is refused by sshd even for key logins.
  if [[ $(getent shadow "$TEST_USER" | cut -d: -f2) != '*' ]]; then
    usermod -p '*' "$TEST_USER"
  fi
  local home group
  home=$(getent passwd "$TEST_USER" | cut -d: -f6)
  group=$(id -gn "$TEST_USER")
  [[ -d $home ]] || install -d -m 750 -o "$TEST_USER" -g "$group" "$home"
  chmod go-w "$home"
  install -d -m 700 -o "$TEST_USER" -g "$group" "$home/.ssh"

  if [[ ! -s $CLIENT_KEY || ! -s $CLIENT_KEY.pub ]]; then
    rm -f "$CLIENT_KEY" "$CLIENT_KEY.pub"
    ssh-keygen -q -t ed25519 -N '' -C "helvetia-test-client" -f "$CLIENT_KEY"
    log "keys: generated client key $CLIENT_KEY"
  fi
  chmod 600 "$CLIENT_KEY"
  local ak=$home/.ssh/authorized_keys
  if ! cmp -s "$CLIENT_KEY.pub" "$ak"; then
    install -m 600 -o "$TEST_USER" -g "$group" "$CLIENT_KEY.pub" "$ak"
    log "keys: installed client key in $ak"
  fi
  chown "$TEST_USER:$group" "$ak"
  chmod 600 "$ak"

  if [[ ! -s $HOST_KEY || ! -s $HOST_KEY.pub ]]; then
    rm -f "$HOST_KEY" "$HOST_KEY.pub"
    ssh-keygen -q -t ed25519 -N '' -C "helvetia-test-host" -f "$HOST_KEY"
    log "keys: generated host key $HOST_KEY"
  fi
  chmod 600 "$HOST_KEY"
}
setup_user

# --- the sshds --------------------------------------------------------------------------------

ensure_sshd() {
  local name=$1 portfile config port pid tmp
  portfile=$(sshd_port_path "$name")
  config=$(sshd_config_path "$name")
  pid=$(sshd_running_pid "$name" || true)
  port=$(cat "$portfile" 2>/dev/null || true)
  if [[ ! $port =~ ^[0-9]+$ ]] || { [[ -z $pid ]] && port_in_use "$port"; }; then
    port=$(pick_free_port) || die "no free TCP port found for sshd ($name)"
    printf '%s\n' "$port" >"$portfile"
  fi
  tmp=$(mktemp "$STATE/sshd_config.XXXXXX")
  render_sshd_config "$name" "$port" >"$tmp"
  if [[ -n $pid ]] && cmp -s "$tmp" "$config"; then
    rm -f "$tmp"
    log "sshd ($name): already running on 127.0.0.1:$port, pid $pid"
    return 0
  fi
  install -d -m 755 /run/sshd
  if ! "$SSHD_BIN" -t -f "$tmp" 2>"$STATE/sshd_$name.check"; then
    die "sshd ($name) config invalid: $(head -n 1 "$STATE/sshd_$name.check")"
  fi
  rm -f "$STATE/sshd_$name.check"
  mv -f "$tmp" "$config"
  chmod 644 "$config"
  if [[ -n $pid ]]; then
    log "sshd ($name): config changed, restarting"
    stop_sshd "$name"
  fi
  start_sshd "$name"
}
for name in "${SSHD_NAMES[@]}"; do
  ensure_sshd "$name"
done

# --- offline base images ----------------------------------------------------------------------

image_label() {
  docker image inspect -f '{{ index .Config.Labels "helvetia.test.recipe" }}' "$1" 2>/dev/null || true
}

# Which file a command runs, with symlinks resolved.
resolve_bin() {
  local path
  path=$(command -v "$1") || die "$1 not found"
  readlink -f "$path"
}

# Copies the shared libraries binary $1 needs (per ldd) into root $2 at the same paths.
copy_libs() {
  local bin=$1 root=$2 lib
  while read -r lib; do
    [[ -n $lib ]] || continue
    install -d "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done < <(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
}

# Makes a busybox root filesystem in $1.
make_busybox_root() {
  local root=$1 busybox applet
  busybox=$(resolve_bin busybox)
  if ldd "$busybox" >/dev/null 2>&1; then
    die "$busybox is not static (install busybox-static)"
  fi
  install -d "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,root,home,proc,sys,dev,srv,var/www,var/run}
  install -d -m 1777 "$root/tmp"
  cp "$busybox" "$root/bin/busybox"
  while read -r applet; do
    [[ -n $applet && $applet != busybox && ! -e $root/bin/$applet ]] || continue
    ln -s busybox "$root/bin/$applet"
  done < <("$busybox" --list)
  ln -s /bin/env "$root/usr/bin/env"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
}

import_root() {
  local root=$1 image=$2
  shift 2
  local changes=() change
  for change in "$@"; do
    changes+=(--change "$change")
  done
  tar --numeric-owner --owner=0 --group=0 -C "$root" -c . | docker import "${changes[@]}" - "$image" >/dev/null
}

build_busybox_image() {
  local root=$1
  make_busybox_root "$root"
}

build_caddy_image() {
  local root=$1 caddy
  caddy=$(resolve_bin caddy)
  make_busybox_root "$root"
  cp "$caddy" "$root/usr/bin/caddy"
  copy_libs "$caddy" "$root"
  install -d "$root"/{etc/caddy,usr/share/caddy,config,data}
  printf ':80 {\n\troot * /usr/share/caddy\n\tfile_server\n}\n' >"$root/etc/caddy/Caddyfile"
  printf '<!doctype html><title>helvetia-test caddy</title><p>helvetia-test caddy</p>\n' >"$root/usr/share/caddy/index.html"
}

build_node_image() {
  local root=$1 node
  node=$(resolve_bin node)
  make_busybox_root "$root"
  cp "$node" "$root/usr/local/bin/node"
  copy_libs "$node" "$root"
}

# ensure_image IMAGE KIND VERIFY-COMMAND... — builds IMAGE when missing or from an older recipe,
# then checks that a container from it runs VERIFY-COMMAND.
ensure_image() {
  local image=$1 kind=$2 recipe root id verified_file
  shift 2
  local bin=busybox
  [[ $kind == busybox ]] || bin=$kind
  recipe="v$IMAGE_RECIPE_VERSION $kind $(stat -L -c '%s-%Y' "$(resolve_bin "$bin")")"
  verified_file=$STATE/image-verified-$kind
  if [[ $(image_label "$image") != "$recipe" ]]; then
    log "image $image: building"
    root=$(mktemp -d "$STATE/rootfs-$kind.XXXXXX")
    "build_${kind}_image" "$root"
    local changes=("LABEL helvetia.test.recipe=\"$recipe\"" "LABEL helvetia.test.image=1")
    case $kind in
      busybox)
        changes+=('ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' 'CMD ["sh"]')
        ;;
      caddy)
        changes+=(
          'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin'
          'ENV XDG_CONFIG_HOME=/config'
          'ENV XDG_DATA_HOME=/data'
          'WORKDIR /srv'
          'EXPOSE 80 443 2019'
          'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]'
        )
        ;;
      node)
        changes+=('ENV PATH=/usr/local/bin:/usr/bin:/bin' 'CMD ["node"]')
        ;;
    esac
    import_root "$root" "$image" "${changes[@]}"
    rm -rf "$root"
    rm -f "$verified_file"
  fi
  id=$(docker image inspect -f '{{ .Id }}' "$image")
  if [[ $(cat "$verified_file" 2>/dev/null || true) == "$id" ]]; then
    log "image $image: present"
    return 0
  fi
  local out
  if ! out=$(docker run --rm --network none "$image" "$@" 2>&1); then
    die "image $image does not run '$*': $out"
  fi
  printf '%s\n' "$id" >"$verified_file"
  log "image $image: ok${out:+ ($(printf '%s' "$out" | head -n 1))}"
}
ensure_image "$IMAGE_BUSYBOX" busybox sh -c 'true'
ensure_image "$IMAGE_CADDY" caddy caddy version
ensure_image "$IMAGE_NODE" node node -e 'console.log("node " + process.version)'
# fresh-host-image.sh prints its own one-line reason when it fails.
bash "$SCRIPT_DIR/fresh-host-image.sh" || exit 1
bash "$SCRIPT_DIR/db-images.sh" || exit 1
bash "$SCRIPT_DIR/builder-image.sh" || exit 1

# --- env file ---------------------------------------------------------------------------------

write_env
log "env written to $STATE/env"
log "test server up in $((SECONDS - started_at))s: ssh -i $CLIENT_KEY -p $(<"$(sshd_port_path main)") $TEST_USER@127.0.0.1"
