# Restoring a backup (a gzip stream of the engine's own dump, lib/db-dump.sh's formats) into a
# database, and comparing what it then holds with the manifest's counts. The engine's clients run as
# lib/db-dump.sh runs them: in a throwaway container of the database's image on Helvetia's network,
# the credentials in the 0600 $work/engine.env (engine_env), never on a command line.
# Sourced after lib/db-dump.sh; defines functions only. Uses $work and db_engine, db_image, db_host.
# shellcheck disable=SC2154 # lib/db-dump.sh's open_database and engine_env set them

# db_query JOB SQL [DATABASE]: runs SQL with the engine's client, stopping at the first error.
db_query() {
  case $db_engine in
    postgres) engine_run "$1" psql -X -q -A -t -v ON_ERROR_STOP=1 ${3:+-d "$3"} -c "$2" ;;
    mariadb | mysql) engine_run "$1" "$(sql_client)" -N -B -h "$db_host" -u "$db_client_user" -e "$2" ${3:+"$3"} ;;
  esac </dev/null
}

sql_client() {
  if [ "$db_engine" = mysql ]; then echo mysql; else echo mariadb; fi
}

# db_wait_ready JOB: waits (up to 300 tries) until the engine answers its client over the network, not
# only the socket of an image's first-start initialisation; fails DATABASE_NOT_READY when the container
# stops or the tries run out.
db_wait_ready() {
  db_wait_tries=0
  until case $db_engine in
    redis) [ "$(engine_run "$1" redis-cli -h "$db_host" ping </dev/null 2>/dev/null | tr -d '\r')" = PONG ] ;;
    *) db_query "$1" 'SELECT 1' >/dev/null 2>&1 ;;
  esac; do
    [ "$(docker inspect -f '{{.State.Running}}' "$db_host" 2>/dev/null)" = true ] ||
      fail DATABASE_NOT_READY "The container $db_host stopped: $(docker logs --tail 3 "$db_host" 2>&1 | tr '\n' ' ')"
    db_wait_tries=$((db_wait_tries + 1))
    [ "$db_wait_tries" -lt 300 ] || fail DATABASE_NOT_READY "$db_host did not accept connections"
    sleep 0.5
  done
}

# db_reset JOB: drops the database and creates it again, empty (SQL engines). Postgres ends every
# connection to it first (DROP … WITH (FORCE)); MariaDB's and MySQL's stay open and see no tables
# until the restore has run.
db_reset() {
  db_reset_name=$db_name
  [ "$db_engine" != postgres ] || db_reset_name=$(sed -n 's/^PGDATABASE=//p' "$work/engine.env")
  case $db_reset_name in *[!A-Za-z0-9_-]* | '') fail RESTORE_FAILED "Unexpected database name in the credentials: $db_reset_name" ;; esac
  case $db_engine in
    postgres)
      db_query "$1" "DROP DATABASE IF EXISTS \"$db_reset_name\" WITH (FORCE)" postgres &&
        db_query "$1" "CREATE DATABASE \"$db_reset_name\"" postgres
      ;;
    mariadb | mysql) db_query "$1" "DROP DATABASE IF EXISTS \`$db_reset_name\`; CREATE DATABASE \`$db_reset_name\`" ;;
  esac
}

# restore_sql JOB: restores $work/backup.gz into the (empty) database; the first error stops it.
restore_sql() {
  case $db_engine in
    postgres) gzip -dc "$work/backup.gz" | engine_run "$1" psql -X -q -v ON_ERROR_STOP=1 >/dev/null ;;
    mariadb | mysql) gzip -dc "$work/backup.gz" | engine_run "$1" "$(sql_client)" -h "$db_host" -u "$db_client_user" "$db_name" ;;
  esac
}

# redis_place VOLUME AOF: writes $work/backup.gz's RDB as VOLUME's dump.rdb, for a server that starts on
# it next (its container stopped, or not made yet). AOF=1: the server loads an append-only file instead
# of the RDB, so a throwaway server on the volume loads the RDB and writes that file from it.
redis_place() {
  gzip -dc "$work/backup.gz" | docker run --rm -i -v "$1:/data" --entrypoint sh "$db_image" -c \
    'cat >/data/dump.rdb.restoring && rm -rf /data/appendonlydir /data/appendonly.aof && mv /data/dump.rdb.restoring /data/dump.rdb'
  [ "$2" = 1 ] || return 0
  # shellcheck disable=SC2016 # expanded by the throwaway container's shell
  docker run --rm -v "$1:/data" --network none --entrypoint sh "$db_image" -c '
    redis-server --appendonly no --dir /data --bind 127.0.0.1 --port 6379 &
    i=0
    until [ "$(redis-cli ping 2>/dev/null)" = PONG ]; do i=$((i + 1)); [ "$i" -lt 600 ] || exit 1; sleep 0.2; done
    redis-cli config set appendonly yes >/dev/null
    while redis-cli info persistence | grep -Eq "^aof_rewrite_(in_progress|scheduled):1"; do sleep 0.2; done
    redis-cli shutdown >/dev/null 2>&1
    wait' || fail RESTORE_FAILED 'Could not write the append-only file from the backup'
}

# counts_compare: joins the manifest's counts ($work/expected) and the restored ones ($work/counts),
# `NAME<TAB>N` lines, into the JSON array [{table, expected, actual}] (a name missing on one side
# counts 0 there) on its first line, and `ok` or `mismatch` on its second.
counts_compare() {
  LC_ALL=C sort -o "$work/expected" "$work/expected"
  LC_ALL=C sort "$work/counts" | LC_ALL=C join -t "$db_tab" -a 1 -a 2 -e 0 -o 0,1.2,2.2 "$work/expected" - | awk -F '\t' '
    { if ($2 + 0 != $3 + 0) ok = "mismatch"; name = $1; gsub(/[\\"]/, "\\\\&", name)
      out = out (NR > 1 ? "," : "") sprintf("{\"table\":\"%s\",\"expected\":%d,\"actual\":%d}", name, $2, $3) }
    END { print "[" out "]"; print (ok == "" ? "ok" : ok) }'
}
