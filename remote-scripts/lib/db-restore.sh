# Restoring a backup (a gzip stream of the engine's own dump) into a database container, and counting
# what it holds the way the manifest counts (rows per table for SQL engines, `schema.table` for
# Postgres; keys per keyspace, `db0`, for Redis). The credentials are the caller's DB_USER, DB_PASSWORD,
# DB_NAME and DB_ROOT_PASSWORD (the database's credentials file); they reach the engine's client as
# its environment (`docker exec -e NAME` copies the value from here), never on a command line.
# Sourced after lib/progress.sh; defines functions only.
# shellcheck disable=SC2034 # PGPASSWORD, MYSQL_PWD and REDISCLI_AUTH are read by docker exec -e

restore_tab=$(printf '\t')

# db_client CONTAINER ARGS...: the engine's client in the container, over TCP with the password (the
# same whether the image trusts local sockets or not), its standard input passed through.
db_client() {
  db_client_container=$1
  shift
  PGPASSWORD=${DB_PASSWORD-} MYSQL_PWD=${DB_ROOT_PASSWORD:-${DB_PASSWORD-}} REDISCLI_AUTH=${DB_PASSWORD-} \
    docker exec -i -e PGPASSWORD -e MYSQL_PWD -e REDISCLI_AUTH "$db_client_container" "$@"
}

# db_sql ENGINE CONTAINER [DATABASE]: runs the SQL on standard input, stopping at the first error;
# result rows tab-separated, no headers.
db_sql() {
  case $1 in
    postgres) db_client "$2" psql -h 127.0.0.1 -U "$DB_USER" -d "${3:-$DB_NAME}" -v ON_ERROR_STOP=1 -qAtX -F "$restore_tab" ;;
    mariadb | mysql)
      db_sql_user=root
      [ -n "${DB_ROOT_PASSWORD-}" ] || db_sql_user=$DB_USER
      db_client "$2" "$(sql_client "$1")" -h 127.0.0.1 -u "$db_sql_user" -N -B ${3:+"$3"}
      ;;
  esac
}

sql_client() {
  if [ "$1" = mysql ]; then echo mysql; else echo mariadb; fi
}

# db_ready ENGINE CONTAINER: whether the engine answers on its TCP port with the credentials (not
# only on the socket of an image's first-start initialisation).
db_ready() {
  case $1 in
    postgres | mariadb | mysql) echo 'SELECT 1' | db_sql "$1" "$2" >/dev/null 2>&1 ;;
    redis) [ "$(db_client "$2" redis-cli -h 127.0.0.1 ping 2>/dev/null | tr -d '\r')" = PONG ] ;;
    *) return 1 ;;
  esac
}

# db_wait_ready ENGINE CONTAINER: waits (up to 180 s) until db_ready; fails DATABASE_NOT_READY when the
# container stops or the time is up.
db_wait_ready() {
  db_wait_tries=0
  until db_ready "$1" "$2"; do
    [ "$(docker inspect -f '{{.State.Running}}' "$2" 2>/dev/null)" = true ] ||
      fail DATABASE_NOT_READY "The container $2 stopped: $(docker logs --tail 3 "$2" 2>&1 | tr '\n' ' ')"
    db_wait_tries=$((db_wait_tries + 1))
    [ "$db_wait_tries" -lt 360 ] || fail DATABASE_NOT_READY "$2 did not accept connections within 180 s"
    sleep 0.5
  done
}

# db_counts ENGINE CONTAINER: `NAME<TAB>N` a line, sorted by name, as the manifest's `counts`.
db_counts() {
  case $1 in
    postgres)
      db_sql postgres "$2" <<'SQL'
SELECT table_schema || '.' || table_name,
  (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text
FROM information_schema.tables
WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
SQL
      ;;
    mariadb | mysql)
      # One COUNT(*) per table (information_schema's TABLE_ROWS is an estimate for InnoDB).
      db_sql "$1" "$2" "$DB_NAME" <<'SQL' | db_sql "$1" "$2" "$DB_NAME"
SELECT CONCAT('SELECT ', QUOTE(table_name), ', COUNT(*) FROM `', REPLACE(table_name, '`', '``'), '`;')
FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'
SQL
      ;;
    redis) db_client "$2" redis-cli -h 127.0.0.1 info keyspace | tr -d '\r' | sed -n "s/^\(db[0-9]*\):keys=\([0-9]*\),.*/\1$restore_tab\2/p" ;;
  esac | LC_ALL=C sort
}

# db_reset ENGINE CONTAINER: drops and creates the database again, empty (SQL engines). Postgres ends
# every connection to it first (DROP … WITH (FORCE)); MariaDB's connections stay open and see no
# tables until the restore has run.
db_reset() {
  case $DB_NAME in *[!A-Za-z0-9_]* | '') fail INVALID_OPTION "Unexpected database name in the credentials: $DB_NAME" ;; esac
  # shellcheck disable=SC2016 # backquotes are SQL's here
  case $1 in
    postgres) printf 'DROP DATABASE IF EXISTS "%s" WITH (FORCE);\nCREATE DATABASE "%s";\n' "$DB_NAME" "$DB_NAME" | db_sql postgres "$2" postgres >/dev/null ;;
    mariadb | mysql) printf 'DROP DATABASE IF EXISTS `%s`;\nCREATE DATABASE `%s`;\n' "$DB_NAME" "$DB_NAME" | db_sql "$1" "$2" >/dev/null ;;
  esac
}

# restore_sql ENGINE CONTAINER: restores the gzip'd dump on standard input into the (empty) database;
# the client's errors are its standard error, and the first one stops it.
restore_sql() {
  gzip -dc | db_sql "$1" "$2" "$DB_NAME" >/dev/null
}

# redis_place IMAGE VOLUME AOF: writes the gzip'd RDB on standard input as VOLUME's dump.rdb, for a
# server that starts on it next (its container stopped, or not made yet). AOF=1: the server runs with
# an append-only file, which it would load instead of the RDB; a throwaway server on the volume then
# loads the RDB and writes the append-only file from it.
redis_place() {
  gzip -dc | docker run --rm -i -v "$2:/data" --entrypoint sh "$1" -c \
    'cat >/data/dump.rdb.restoring && rm -rf /data/appendonlydir /data/appendonly.aof && mv /data/dump.rdb.restoring /data/dump.rdb'
  [ "$3" = 1 ] || return 0
  redis_converter=$(docker run -d -v "$2:/data" "$1" redis-server --appendonly no --dir /data --bind 127.0.0.1)
  # shellcheck disable=SC2016 # expanded by the converter's shell
  docker exec "$redis_converter" sh -c '
    i=0
    until [ "$(redis-cli ping 2>/dev/null)" = PONG ]; do i=$((i + 1)); [ "$i" -lt 360 ] || exit 1; sleep 0.5; done
    redis-cli config set appendonly yes >/dev/null
    while redis-cli info persistence | grep -Eq "^aof_rewrite_(in_progress|scheduled):1"; do sleep 0.2; done
    redis-cli shutdown >/dev/null 2>&1 || true' || {
    docker rm -f "$redis_converter" >/dev/null
    fail RESTORE_FAILED 'Could not write the append-only file from the backup'
  }
  docker rm -f "$redis_converter" >/dev/null
}

# manifest_counts MANIFEST ACTUAL: the manifest's counts, `NAME<TAB>N` a line; an engine the manifest
# has no counts for (`counts: null`) expects what was restored.
manifest_counts() {
  if [ "$(json_get "$1" counts)" = null ]; then cat "$2"; else json_counts "$1"; fi
}

# counts_compare EXPECTED ACTUAL: joins two `NAME<TAB>N` lists into the drill's JSON `counts` array
# ({table, expected, actual}; a name missing on one side counts 0 there) on its first line, then `ok`
# or `mismatch` on the second.
counts_compare() {
  LC_ALL=C awk -F '\t' '
    FNR == NR { expected[$1] = $2; names[$1] = 1; next }
    { actual[$1] = $2; names[$1] = 1 }
    END {
      ok = 1; out = ""; count = 0
      for (name in names) sorted[++count] = name
      for (i = 2; i <= count; i++) for (j = i; j > 1 && sorted[j - 1] > sorted[j]; j--) {
        t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t
      }
      for (i = 1; i <= count; i++) {
        name = sorted[i]; e = expected[name] + 0; a = actual[name] + 0
        if (e != a) ok = 0
        gsub(/[\\"]/, "\\\\&", name)
        out = out (i > 1 ? "," : "") sprintf("{\"table\":\"%s\",\"expected\":%d,\"actual\":%d}", name, e, a)
      }
      print "[" out "]"
      print (ok ? "ok" : "mismatch")
    }' "$1" "$2"
}
