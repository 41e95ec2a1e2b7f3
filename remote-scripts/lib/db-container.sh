# shellcheck disable=SC2034 # db_container and db_address are for the scripts that source this file
# The container of a database (`PREFIX-db-NAME` on Helvetia's network `PREFIX`), checked before it is
# reached: it runs and carries that database's label, so a stale name cannot reach another container.
# Sourced after lib/progress.sh; defines functions only.

# database_address PREFIX NAME: sets db_container and db_address (its IP on the network `PREFIX`), or
# fails with DATABASE_NOT_RUNNING.
database_address() {
  db_container=$1-db-$2
  db_format="{{.State.Running}} {{index .Config.Labels \"dev.helvetia.database\"}} {{with index .NetworkSettings.Networks \"$1\"}}{{.IPAddress}}{{end}}"
  db_inspected=$(docker inspect --type container --format "$db_format" "$db_container" 2>/dev/null) || db_inspected=''
  case $db_inspected in
    "true $2 "?*) db_address=${db_inspected#"true $2 "} ;;
    "false $2"*)
      fail DATABASE_NOT_RUNNING "The container of database $2 ($db_container) is not running" \
        "See why with \`docker logs $db_container\` on the server, then start it again."
      ;;
    *)
      fail DATABASE_NOT_RUNNING "Database $2 has no container on Helvetia's network on this server ($db_container)" \
        'See its state in helvetia db info; create it again if it was removed.'
      ;;
  esac
}
