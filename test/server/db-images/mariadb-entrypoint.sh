#!/bin/sh
# Entry point of the test suite's MariaDB image: the official image's environment contract
# (MARIADB_ROOT_PASSWORD, MARIADB_DATABASE, MARIADB_USER, MARIADB_PASSWORD, and their MYSQL_ aliases;
# data in /var/lib/mysql; port 3306). Any other command (mariadb-dump, mariadb) runs as given.
set -eu
case "${1:-mariadbd}" in mariadbd | mysqld) ;; *) exec "$@" ;; esac
root_pw=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}
db=${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}
user=${MARIADB_USER:-${MYSQL_USER:-}}
pw=${MARIADB_PASSWORD:-${MYSQL_PASSWORD:-}}
[ -n "$root_pw" ] || { echo 'MARIADB_ROOT_PASSWORD is required' >&2; exit 1; }
mkdir -p /var/lib/mysql /run/mysqld
chown -R mysql:mysql /var/lib/mysql /run/mysqld
if [ ! -d /var/lib/mysql/mysql ]; then
  mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db >/dev/null
  mariadbd --user=mysql --skip-networking --socket=/run/mysqld/init.sock &
  init=$!
  i=0
  until mariadb --socket=/run/mysqld/init.sock -e 'SELECT 1' >/dev/null 2>&1; do
    i=$((i + 1)); [ "$i" -lt 120 ] || { echo 'mariadbd did not start' >&2; exit 1; }
    sleep 0.5
  done
  sql_quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }
  {
    printf "ALTER USER 'root'@'localhost' IDENTIFIED BY %s;\n" "$(sql_quote "$root_pw")"
    printf "CREATE USER 'root'@'%%' IDENTIFIED BY %s;\n" "$(sql_quote "$root_pw")"
    printf "GRANT ALL ON *.* TO 'root'@'%%' WITH GRANT OPTION;\n"
    # shellcheck disable=SC2016 # backquotes are SQL's here
    [ -z "$db" ] || printf 'CREATE DATABASE IF NOT EXISTS `%s`;\n' "$db"
    if [ -n "$user" ]; then
      printf "CREATE USER '%s'@'%%' IDENTIFIED BY %s;\n" "$user" "$(sql_quote "$pw")"
      [ -z "$db" ] || printf "GRANT ALL ON \`%s\`.* TO '%s'@'%%';\n" "$db" "$user"
    fi
  } | mariadb --socket=/run/mysqld/init.sock
  kill "$init"
  wait "$init" || true
fi
exec mariadbd --user=mysql --bind-address=0.0.0.0 --port=3306
