# What scripts need to know about the machine they run on, and how they act on it.
# gather_facts sets the variables below; emit_facts reports them as progress lines.

privilege=none
docker_via_sudo=0

# as_root COMMAND...: runs COMMAND as root (only when privilege is root or sudo).
as_root() {
  if [ "$privilege" = root ]; then "$@"; else sudo -n "$@"; fi
}

# run_docker ARGS...: the docker CLI, through sudo right after Helvetia installed Docker (the user's
# new docker group membership only applies from their next login).
run_docker() {
  if [ "$docker_via_sudo" = 1 ]; then sudo -n docker "$@"; else docker "$@"; fi
}

os_release_value() {
  for file in /etc/os-release /usr/lib/os-release; do
    if [ -r "$file" ]; then
      awk -F= -v key="$1" '$1 == key { v = substr($0, length(key) + 2); gsub(/^["\047]|["\047]$/, "", v); print v; exit }' "$file"
      return 0
    fi
  done
}

gather_facts() {
  os_id=$(os_release_value ID)
  os_id=${os_id:-unknown}
  os_version=$(os_release_value VERSION_ID)
  arch=$(uname -m)
  user=$(id -un 2>/dev/null || id -u)
  if [ "$(id -u)" -eq 0 ]; then
    privilege=root
  elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    privilege=sudo
  else
    privilege=none
  fi
  cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo)
  memory_bytes=$(awk '$1 == "MemTotal:" { printf "%.0f", $2 * 1024 }' /proc/meminfo)
  gather_docker_facts
}

# docker_status: ok, missing, no-access (the socket refuses this user) or not-running.
gather_docker_facts() {
  docker_version=''
  disk_dir=/
  if ! command -v docker >/dev/null 2>&1; then
    docker_status=missing
  elif docker_version=$(run_docker version --format '{{.Server.Version}}' 2>/dev/null); then
    docker_status=ok
    disk_dir=$(run_docker info --format '{{.DockerRootDir}}' 2>/dev/null) || disk_dir=/
  elif run_docker version 2>&1 | grep -qi 'permission denied'; then
    docker_status=no-access
  else
    docker_status=not-running
  fi
  disk_free_bytes=$(df -Pk "$disk_dir" 2>/dev/null | awk 'NR == 2 { printf "%.0f", $4 * 1024 }')
  if [ -z "$disk_free_bytes" ]; then
    disk_free_bytes=$(df -Pk / | awk 'NR == 2 { printf "%.0f", $4 * 1024 }')
  fi
}

emit_facts() {
  fact os "$os_id"
  fact os-version "$os_version"
  fact arch "$arch"
  fact user "$user"
  fact privilege "$privilege"
  fact docker-status "$docker_status"
  fact docker-version "$docker_version"
  fact cpus "$cpus"
  fact memory-bytes "$memory_bytes"
  fact disk-free-bytes "$disk_free_bytes"
}
