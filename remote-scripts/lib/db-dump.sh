# Dumps and row counts of a database, each run by the engine's own tools in a throwaway container of
# the database's image on Helvetia's network (the database publishes no port). The credentials go to
# that container as an --env-file written from the 0600 credentials file into a 0600 file in $work,
# never on a command line. Dump formats (what lib/db-restore.sh reads back):
#   postgres        plain SQL, `pg_dump --no-owner --no-privileges`; counts rows per `schema.table`
#                   inside the very snapshot the dump reads (an exported snapshot held by a session)
#   mariadb, mysql  `mariadb-dump`/`mysqldump --single-transaction --routines --triggers DB`; counts
#                   rows per table just before the dump (its snapshot cannot be shared)
#   redis           the RDB file (`redis-cli --rdb -`); counts keys per keyspace (`db0`) just before
# Sourced after lib/progress.sh, lib/rules.sh, lib/validate.sh and lib/deploy-common.sh; defines
# functions only. Uses $work, $prefix and the paths of database_paths.
# shellcheck disable=SC2154 # database_paths (lib/rules.sh) sets the paths

db_tab=$(printf '\t')

# Rows of every table of the current database, `schema.table<TAB>count`, in one statement.
PG_COUNTS_SQL="SELECT table_schema || '.' || table_name, (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1;"
# The same for MariaDB and MySQL, built and run in one session.
MYSQL_COUNTS_SQL="SET SESSION group_concat_max_len = 4194304; SELECT GROUP_CONCAT(CONCAT('SELECT ', QUOTE(table_name), ', COUNT(*) FROM \`', REPLACE(table_name, '\`', '\`\`'), '\`') ORDER BY table_name SEPARATOR ' UNION ALL ') INTO @counts FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'; PREPARE counts FROM COALESCE(@counts, 'SELECT 1, 1 FROM DUAL WHERE FALSE'); EXECUTE counts;"

# open_database NAME: sets db_engine, db_image and db_host from the server's record of database NAME.
open_database() {
  [ -f "$db_record" ] || fail DATABASE_NOT_FOUND "No database named \"$1\" on this server" 'Run helvetia db list.'
  db_engine=$(json_field "$db_record" engine)
  db_image=$(json_field "$db_record" image)
  require 'engine in the record' "$db_engine" 'postgres|mysql|mariadb|redis|mongodb'
  require 'image in the record' "$db_image" "$IMAGE_PATTERN"
  db_host=$prefix-db-$1
}

# engine_env: writes $work/engine.env, the environment the engine's client tools read the
# credentials from. The credentials file is sourced in a subshell: its values stay out of this shell.
engine_env() {
  if ! (
    umask 077
    DB_USER='' DB_PASSWORD='' DB_NAME='' DB_ROOT_PASSWORD=''
    # shellcheck disable=SC1090 # the database's own credentials file
    . "$db_credentials"
    case $DB_USER$DB_PASSWORD$DB_NAME$DB_ROOT_PASSWORD in *'
'*) exit 1 ;; esac
    case $db_engine in
      postgres) printf 'PGHOST=%s\nPGUSER=%s\nPGPASSWORD=%s\nPGDATABASE=%s\n' "$db_host" "$DB_USER" "$DB_PASSWORD" "$DB_NAME" ;;
      mariadb | mysql)
        # Root when the engine has one: routines and triggers need more than the app's user may hold.
        if [ -n "$DB_ROOT_PASSWORD" ]; then
          printf 'MYSQL_PWD=%s\nDB_CLIENT_USER=root\n' "$DB_ROOT_PASSWORD"
        else
          printf 'MYSQL_PWD=%s\nDB_CLIENT_USER=%s\n' "$DB_PASSWORD" "$DB_USER"
        fi
        printf 'DB_NAME=%s\n' "$DB_NAME"
        ;;
      redis) [ -z "$DB_PASSWORD" ] || printf 'REDISCLI_AUTH=%s\n' "$DB_PASSWORD" ;;
    esac
  ) >"$work/engine.env"; then
    fail BACKUP_DUMP_FAILED "The credentials file of ${db_dir##*/} cannot be read, or holds a line break in a value"
  fi
  # The user and database names are no secret: read back for the client's options.
  db_client_user=$(sed -n 's/^DB_CLIENT_USER=//p' "$work/engine.env")
  db_name=$(sed -n 's/^DB_NAME=//p' "$work/engine.env")
}

# engine_run NAME ARGS...: runs ARGS in a throwaway container NAME of the database's image, on its network.
engine_run() {
  engine_run_name=$1
  shift
  docker run --rm -i --name "$engine_run_name" --network "$prefix" --env-file "$work/engine.env" \
    --label dev.helvetia.managed=true --label dev.helvetia.job=backup "$db_image" "$@"
}

# dump_tool_version: the dump tool's version line.
dump_tool_version() {
  case $db_engine in
    postgres) set -- pg_dump --version ;;
    mariadb) set -- mariadb-dump --version ;;
    mysql) set -- mysqldump --version ;;
    redis) set -- redis-cli --version ;;
  esac
  docker run --rm "$db_image" "$@" 2>/dev/null | head -n 1
}

# counts_start JOB: starts counting; for postgres a session that holds a repeatable-read snapshot,
# exports it (dump_database reads it) and counts in it, open until counts_finish. Writes $work/counts
# (`table<TAB>count` lines).
counts_start() {
  : >"$work/counts"
  case $db_engine in
    postgres)
      mkfifo "$work/session.in"
      engine_run "$1-counts" psql -X -q -A -t -v ON_ERROR_STOP=1 -F "$db_tab" <"$work/session.in" >"$work/session.out" 2>"$work/session.err" &
      session_pid=$!
      exec 7>"$work/session.in"
      printf '%s\n' 'BEGIN ISOLATION LEVEL REPEATABLE READ;' "SELECT 'snapshot', pg_export_snapshot();" \
        "$PG_COUNTS_SQL" "SELECT 'counted', 1;" >&7
      # Until the session answers (or ends: it failed).
      until grep -q "^counted$db_tab" "$work/session.out"; do
        kill -0 "$session_pid" 2>/dev/null || return 1
        sleep 0.1
      done
      pg_snapshot=$(sed -n "s/^snapshot$db_tab//p" "$work/session.out")
      grep -v -e "^snapshot$db_tab" -e "^counted$db_tab" "$work/session.out" >"$work/counts" || true
      ;;
    mariadb | mysql)
      client=mariadb
      [ "$db_engine" = mariadb ] || client=mysql
      engine_run "$1-counts" "$client" -N -B -h "$db_host" -u "$db_client_user" -e "$MYSQL_COUNTS_SQL" "$db_name" \
        </dev/null >"$work/counts" 2>"$work/session.err"
      ;;
    redis)
      engine_run "$1-counts" redis-cli -h "$db_host" INFO keyspace </dev/null 2>"$work/session.err" |
        sed -n 's/^\(db[0-9]*\):keys=\([0-9]*\),.*/\1\t\2/p' >"$work/counts"
      ;;
  esac
}

# counts_finish: ends the counting session (postgres), once the dump has read its snapshot.
counts_finish() {
  [ -n "${session_pid-}" ] || return 0
  printf 'COMMIT;\n' >&7 || true
  exec 7>&-
  wait "$session_pid" || true
  session_pid=''
}

# dump_database JOB: writes the dump to standard output.
dump_database() {
  case $db_engine in
    postgres) engine_run "$1" pg_dump --no-owner --no-privileges --snapshot="$pg_snapshot" ;;
    mariadb) engine_run "$1" mariadb-dump -h "$db_host" -u "$db_client_user" --single-transaction --routines --triggers "$db_name" ;;
    mysql) engine_run "$1" mysqldump -h "$db_host" -u "$db_client_user" --single-transaction --routines --triggers "$db_name" ;;
    redis) engine_run "$1" redis-cli -h "$db_host" --rdb - ;;
    *) return 1 ;;
  esac </dev/null
}

# counts_json: the counts as a JSON object (`null` for an engine Helvetia cannot count).
counts_json() {
  printf '{'
  counts_first=1
  while IFS="$db_tab" read -r counts_table counts_n; do
    matches "$counts_n" '[0-9]+' || continue
    [ "$counts_first" = 1 ] || printf ','
    counts_first=0
    printf '%s:%s' "$(json_string "$counts_table")" "$counts_n"
  done <"$work/counts"
  printf '}'
}
