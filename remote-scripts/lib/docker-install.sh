# Installs Docker on a server that has none (provision.sh), as root or through passwordless sudo.
# Where from: Docker's convenience script (https://get.docker.com: the newest engine with the Compose
# and Buildx plugins) when it can be downloaded; on Debian, Ubuntu and Raspbian, when it cannot (no
# curl or wget, no route to get.docker.com), the distribution's own docker.io package through apt-get.
# The progress lines say which one was used. Needs lib/progress.sh and lib/system.sh (gather_facts).
# shellcheck disable=SC2154,SC2034 # reads gather_facts's variables; sets the caller's (see install_docker)

# Log rotation for every container, in place before the new engine first starts: no restart needed.
# An existing daemon.json is the administrator's and is left alone.
DOCKER_DAEMON_JSON='{ "log-driver": "json-file", "log-opts": { "max-size": "10m", "max-file": "3" } }'
DOCKER_SCRIPT_URL=https://get.docker.com

# download URL FILE: fails (without a progress line) when neither curl nor wget can fetch URL.
download() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --proto '=https' --connect-timeout 20 --retry 3 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q --timeout=20 -O "$2" "$1"
  else
    echo "Neither curl nor wget is installed" >&2
    return 1
  fi
}

# fetch_docker_script: downloads Docker's convenience script into a new file, whose path it sets in
# `installer`; fails and leaves nothing behind when the download fails. Root runs that file, so its
# name is mktemp's (not guessable, unlike a PID: no one can plant or swap it beforehand) and it is
# created and written under umask 077 (no one else can read or change it).
fetch_docker_script() {
  installer=$(umask 077 && mktemp "${TMPDIR:-/tmp}/helvetia-get-docker.XXXXXXXXXX") || return 1
  echo "Downloading $DOCKER_SCRIPT_URL to $installer" >&2
  if (umask 077 && download "$DOCKER_SCRIPT_URL" "$installer") >&2; then
    return 0
  fi
  rm -f "$installer"
  installer=''
  return 1
}

# has_docker_package: this OS's own archive has Docker (docker.io) and apt-get can install it.
has_docker_package() {
  case $os_id in
    debian | ubuntu | raspbian) command -v apt-get >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}

docker_script_supports_os() {
  case $os_id in
    debian | ubuntu | raspbian | fedora | centos | rhel) ;;
    sles) [ "$arch" = s390x ] ;;
    *) return 1 ;;
  esac
}

# The installers run with no standard input: provision.sh's is the proxy configuration.
install_docker_with_script() {
  if ! as_root sh "$installer" >&2 </dev/null; then
    rm -f "$installer"
    fail DOCKER_INSTALL_FAILED "Docker's install script failed" \
      'Its output is above; fix the cause or install Docker yourself, then provision again.'
  fi
  rm -f "$installer"
}

# The engine alone, without the package's recommendations (git, criu, python: Helvetia needs none of
# them); configuration files already on the server are the administrator's and stay (--force-confold).
install_docker_package() {
  set -- env DEBIAN_FRONTEND=noninteractive apt-get -q -y \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold
  if ! as_root "$@" update >&2 </dev/null ||
    ! as_root "$@" install --no-install-recommends docker.io >&2 </dev/null; then
    fail DOCKER_INSTALL_FAILED "apt-get could not install docker.io from $os_id's package archive" \
      'Its output is above; fix the cause or install Docker yourself, then provision again.'
  fi
}

# start_docker: starts the freshly installed engine when its package did not, and waits until it
# answers (a service manager returns before the daemon listens).
start_docker() {
  gather_docker_facts
  if [ "$docker_status" = not-running ]; then
    # systemctl only where systemd runs (/run/systemd/system): containers and other inits use `service`.
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
      as_root systemctl enable --now docker >&2 </dev/null
    else
      as_root service docker start >&2 </dev/null
    fi
  fi
  tries=0
  while [ "$docker_status" != ok ] && [ "$tries" -lt 60 ]; do
    sleep 1
    tries=$((tries + 1))
    gather_docker_facts
  done
}

# install_docker: sets log_rotation_configured=1 when it wrote daemon.json, and changed_any=1.
install_docker() {
  if [ "$privilege" = none ]; then
    fail NO_PRIVILEGE "Docker is not installed, and $user can neither act as root nor use sudo without a password" \
      "Log in as root, or give $user passwordless sudo, or install Docker yourself and add $user to the docker group."
  fi
  if ! docker_script_supports_os && ! has_docker_package; then
    fail DOCKER_UNSUPPORTED_OS "Docker is not installed, and Docker's install script does not support $os_id $os_version ($arch)" \
      "Install Docker yourself (https://docs.docker.com/engine/install/), add $user to the docker group, then provision again."
  fi
  if ! as_root test -e /etc/docker/daemon.json; then
    as_root mkdir -p /etc/docker
    printf '%s\n' "$DOCKER_DAEMON_JSON" | as_root tee /etc/docker/daemon.json >/dev/null
    log_rotation_configured=1
  fi
  source="Docker's convenience script ($DOCKER_SCRIPT_URL)"
  if docker_script_supports_os && fetch_docker_script; then
    step_running docker "Installing Docker with $source"
    install_docker_with_script
  elif has_docker_package; then
    source="docker.io from $os_id's package archive (apt-get)"
    step_running docker "Could not download $DOCKER_SCRIPT_URL; installing Docker from $source instead"
    install_docker_package
  else
    fail DOCKER_DOWNLOAD_FAILED "Could not download $DOCKER_SCRIPT_URL" \
      "Check that the server can reach get.docker.com over HTTPS (with curl or wget installed), or install Docker yourself."
  fi
  if [ "$privilege" = sudo ]; then
    as_root usermod -aG docker "$user"
    docker_via_sudo=1
  fi
  start_docker
  [ "$docker_status" = ok ] || fail DOCKER_INSTALL_FAILED 'Docker was installed but does not answer' \
    'See the log above; once "docker version" works on the server, provision again.'
  changed_any=1
  step_done docker "Installed Docker $docker_version from $source"
}
