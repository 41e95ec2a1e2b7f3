#!/bin/sh
# Creates a database on this server: its credentials file (0600, from standard input), its data
# volume and its container `PREFIX-db-NAME` on the network PREFIX, with no port published on the host,
# then waits until the engine answers with those credentials and writes the record. Safe to run
# again with the same credentials: what exists is kept.
#
# Usage: db-create.sh --prefix P --database N --engine E --version V --image I [--memory M] [--cpus C]
#        < credentials: DB_USER=…, DB_PASSWORD=…, DB_NAME=… [DB_ROOT_PASSWORD=…] lines
# shellcheck source-path=SCRIPTDIR
set -eu
here=$(dirname "$0")
# shellcheck source=lib/progress.sh
. "$here/lib/progress.sh"
# shellcheck source=lib/rules.sh
. "$here/lib/rules.sh"
# shellcheck source=lib/validate.sh
. "$here/lib/validate.sh"
# shellcheck source=lib/deploy-common.sh
. "$here/lib/deploy-common.sh"
# shellcheck source=lib/db-engines.sh
. "$here/lib/db-engines.sh"
# shellcheck source=lib/db-common.sh
. "$here/lib/db-common.sh"

prefix='' database='' engine='' version='' image='' memory='' cpus=''
parse_options 'prefix database engine version image memory cpus' "$@"
open_database
db_engine "$engine" || fail INVALID_OPTION "Invalid engine: \"$engine\"" "Expected one of: $DB_ENGINES."
require version "$version" "$DB_VERSION_PATTERN" 'an image tag such as 16 or 8.4'
require image "$image" "$IMAGE_PATTERN" 'an image reference such as postgres:16'
[ -z "$memory" ] || require memory "$memory" "$MEMORY_PATTERN" 'a size such as 512m or 1g'
[ -z "$cpus" ] || require cpus "$cpus" "$CPUS_PATTERN" 'a number of CPUs such as 0.5 or 2'

# The credentials: known lines only, each value checked, so the file written below is safe to source.
DB_USER='' DB_PASSWORD='' DB_NAME='' DB_ROOT_PASSWORD=''
while IFS= read -r line || [ -n "$line" ]; do
  value=${line#*=}
  require 'credential' "$value" "$DB_CREDENTIAL_PATTERN" 'letters, digits, _ and -'
  case ${line%%=*} in
    DB_USER) DB_USER=$value ;;
    DB_PASSWORD) DB_PASSWORD=$value ;;
    DB_NAME) DB_NAME=$value ;;
    DB_ROOT_PASSWORD) DB_ROOT_PASSWORD=$value ;;
    *) fail INVALID_ARGUMENT "Unknown credential: ${line%%=*}" ;;
  esac
done
if [ -z "$DB_USER" ] || [ -z "$DB_PASSWORD" ] || [ -z "$DB_NAME" ]; then
  fail INVALID_ARGUMENT 'DB_USER, DB_PASSWORD and DB_NAME are needed on standard input'
fi
[ "$engine_root" = 0 ] || [ -n "$DB_ROOT_PASSWORD" ] || fail INVALID_ARGUMENT "DB_ROOT_PASSWORD is needed for $engine"
export DB_USER DB_PASSWORD DB_NAME

# --- what exists already ------------------------------------------------------------------------
step_running check "Checking that $database is free on this server"
if [ -d "$apps_dir/$database" ]; then
  fail NAME_IN_USE "An app named $database runs on this server" 'Databases and apps on one server need different names: pick another.'
fi
umask 077
mkdir -p "$db_dir"
credentials=$db_dir/credentials.$$
{
  printf "DB_USER='%s'\nDB_PASSWORD='%s'\nDB_NAME='%s'\n" "$DB_USER" "$DB_PASSWORD" "$DB_NAME"
  [ -z "$DB_ROOT_PASSWORD" ] || printf "DB_ROOT_PASSWORD='%s'\n" "$DB_ROOT_PASSWORD"
} >"$credentials"
same_credentials=0
if [ -f "$db_credentials" ] && cmp -s "$credentials" "$db_credentials"; then same_credentials=1; fi
if [ -f "$db_record" ] && [ "$same_credentials" = 0 ]; then
  rm -f "$credentials"
  fail DATABASE_EXISTS "A database named $database exists on this server" 'Pick another name, or remove it first.'
fi
if [ -f "$db_credentials" ] && [ "$same_credentials" = 0 ] && docker volume inspect "$volume" >/dev/null 2>&1; then
  rm -f "$credentials"
  fail DATABASE_VOLUME_KEPT "The data volume of $database was kept with other credentials than this computer holds" "Remove it for good (docker volume rm $volume), or create it from the computer that kept it."
fi
step_done check "$database is free"

step_running credentials "Writing the credentials of $database"
mv -f "$credentials" "$db_credentials"
step_done credentials "Written (0600)"

# --- Docker ---------------------------------------------------------------------------------------
step_running network "Checking the Docker network $network"
# Docker makes two networks of one name when two creations race: creations take turns here.
exec 8>"$databases_dir/network.lock"
flock -w 120 8 || fail DATABASE_BUSY 'Another database creation holds the network lock after 120s' 'Try again.'
if docker network inspect "$network" >/dev/null 2>&1; then
  step_skipped network "Docker network $network exists"
else
  docker network create --label dev.helvetia.managed=true "$network" >/dev/null
  step_done network "Created Docker network $network"
fi
flock -u 8

step_running image "Looking for the image $image"
if docker image inspect "$image" >/dev/null 2>&1; then
  step_skipped image "$image is on this server"
else
  docker pull "$image" || fail IMAGE_PULL_FAILED "Could not pull $image" 'Check the image name and that this server can reach its registry (docker login for a private one).'
  step_done image "Pulled $image"
fi

labels="--label dev.helvetia.managed=true --label dev.helvetia.prefix=$prefix --label dev.helvetia.database=$database"
step_running volume "Creating the data volume $volume"
if docker volume inspect "$volume" >/dev/null 2>&1; then
  step_skipped volume "Volume $volume exists: its data is kept"
else
  # shellcheck disable=SC2086 # the labels, one a word
  docker volume create $labels "$volume" >/dev/null
  step_done volume "Created $volume"
fi

if [ -n "$engine_password_file" ]; then
  # The engine reads its password from a file in its own volume: neither `docker inspect` nor `ps` shows it.
  step_running password "Writing the password file of $database into its volume"
  printf '%s %s\n' "$engine_password_directive" "$DB_PASSWORD" |
    docker run --rm -i --network none -v "$volume:$engine_data_dir" --entrypoint sh "$image" \
      -c 'umask 077; cat >"$1"' sh "$engine_password_file" ||
    fail DATABASE_START_FAILED "Could not write the password file of $database with the image $image" 'Check that the image exists on the server (or can be pulled) and has sh.'
  step_done password 'Written'
fi

step_running container "Starting $container ($image)"
if docker container inspect "$container" >/dev/null 2>&1; then
  docker start "$container" >/dev/null
  step_skipped container "$container exists"
else
  env_file=$db_dir/env.$$
  db_engine_env "$engine" >"$env_file"
  limits=''
  [ -z "$memory" ] || limits="--memory $memory"
  [ -z "$cpus" ] || limits="$limits --cpus $cpus"
  # No -p: a database lives on Helvetia's network only, never on a port of the host.
  # shellcheck disable=SC2086 # labels, limits and the engine's arguments, one a word
  if ! error=$(docker run --detach --name "$container" --hostname "$container" --network "$network" \
    --restart unless-stopped $limits $labels --label "dev.helvetia.engine=$engine" \
    -v "$volume:$engine_data_dir" --env-file "$env_file" "$image" $engine_args 2>&1 >/dev/null); then
    rm -f "$env_file"
    fail DATABASE_START_FAILED "Could not start $container: $(printf '%s' "$error" | tr '\n' ' ')" 'Check that the image exists on the server (or can be pulled) and the limits are possible there.'
  fi
  rm -f "$env_file"
  step_done container "Started $container"
fi

# --- readiness ------------------------------------------------------------------------------------
# The engine's own client inside the container, with the generated credentials (in the environment
# of docker exec, never its arguments): the database is ready when it answers them.
step_running ready "Waiting for $engine to accept connections"
waited=0
until answer=$(docker exec -e DB_USER -e DB_PASSWORD -e DB_NAME "$container" sh -c "$engine_client $engine_ready" 2>/dev/null) &&
  [ "$(printf '%s' "$answer" | tr -d '\r' | tail -n 1)" = "$engine_ready_answer" ]; do
  state=$(docker inspect -f '{{.State.Status}}' "$container" 2>/dev/null || echo missing)
  if [ "$state" = exited ] || [ "$state" = dead ] || [ "$state" = missing ] || [ "$waited" -ge 300 ]; then
    fail DATABASE_START_FAILED "$container did not accept connections (container $state after ${waited}s)" "See its log on the server: docker logs $container"
  fi
  [ $((waited % 15)) -ne 0 ] || [ "$waited" -eq 0 ] || progress_line "step=ready status=running Still waiting for $engine (${waited}s)"
  sleep 1
  waited=$((waited + 1))
done
step_done ready "$engine accepts connections"

step_running record "Recording $database"
if [ -f "$db_record" ]; then
  step_skipped record 'Recorded already'
else
  json_or_null() { if [ -n "$1" ]; then printf '%s' "$2"; else printf null; fi; }
  printf '{"name":"%s","engine":"%s","version":"%s","image":"%s","memory":%s,"cpus":%s,"port":%s,"createdAt":"%s"}\n' \
    "$database" "$engine" "$version" "$image" "$(json_or_null "$memory" "\"$memory\"")" "$(json_or_null "$cpus" "$cpus")" \
    "$engine_port" "$(now_utc)" >"$db_record.$$"
  mv -f "$db_record.$$" "$db_record"
  step_done record 'Recorded'
fi
fact container "$container"
changed 1
