# Running compose for a compose app: which compose the server has, the app's project, and the env its
# file is interpolated with. Sourced after lib/deploy-common.sh; uses $prefix and $app.
# shellcheck disable=SC2154,SC2034 # set and used by the scripts that source this file

# compose_cli: sets compose_label (what ran, for the log and the record): `docker compose` (v2) when
# the server has it, else `docker-compose` (v1). Fails when it has neither.
compose_cli() {
  if compose_version=$(timeout 30 docker compose version --short 2>/dev/null) && [ -n "$compose_version" ]; then
    compose_v2=1
    compose_label="docker compose v${compose_version#v}"
  elif compose_version=$(timeout 30 docker-compose version --short 2>/dev/null) && [ -n "$compose_version" ]; then
    compose_v2=0
    compose_label="docker-compose $compose_version"
  else
    fail COMPOSE_MISSING 'Neither docker compose (v2) nor docker-compose (v1) is installed on the server' \
      'Install the Compose plugin (apt-get install docker-compose-plugin) or docker-compose, then deploy again.'
  fi
}

# compose_in DIR ENV_FILE FILE ARGS...: compose for the app's project (PREFIX-APP) with FILE (its folder
# DIR), in a subshell that has ENV_FILE's variables (KEY=value lines, checked by deploy-start.sh) in its
# environment: compose interpolates ${KEY} from there. Each value is assigned as it is, never read by a
# shell; names that would change what compose or docker do are left out. Nothing of it is on a command line.
# Bounded by $compose_timeout seconds (default 300).
compose_in() {
  (
    compose_dir=$1 compose_env=$2 compose_file=$3
    shift 3
    if [ -f "$compose_env" ]; then
      while IFS= read -r compose_line || [ -n "$compose_line" ]; do
        case ${compose_line%%=*} in PATH | HOME | DOCKER_* | COMPOSE_* | BUILDKIT_*) continue ;; esac
        # shellcheck disable=SC2163 # NAME=value as it is: exported, not evaluated
        export "$compose_line"
      done <"$compose_env"
    fi
    if [ "$compose_v2" = 1 ]; then
      exec timeout "${compose_timeout:-300}" docker compose -p "$prefix-$app" --project-directory "$compose_dir" -f "$compose_file" "$@"
    fi
    exec timeout "${compose_timeout:-300}" docker-compose -p "$prefix-$app" --project-directory "$compose_dir" -f "$compose_file" "$@"
  )
}

# stack_containers SERVICE [FILTER...]: the ids of the containers of the app's SERVICE (all of them; more
# `--filter` arguments narrow it), oldest first.
stack_containers() {
  stack_service=$1
  shift
  timeout 60 docker ps -a --filter "label=com.docker.compose.project=$prefix-$app" \
    --filter "label=com.docker.compose.service=$stack_service" "$@" --format '{{.CreatedAt}} {{.ID}}' |
    sort | awk '{ print $NF }'
}

# stack_container SERVICE: the newest running container of the app's SERVICE (empty when none).
stack_container() {
  stack_containers "$1" --filter status=running | tail -n 1
}

# without_builds FILE: FILE (as `compose config` writes it) without its services' `build:` sections:
# once built, a deployment runs its images, and its kept file runs them again for a rollback.
without_builds() {
  awk '
    /^    build:/ { skipping = 1; next }
    skipping && /^(    [^ ]|  [^ ]|[^ ])/ { skipping = 0 }
    !skipping { print }' "$1"
}
