# The lock of one database (db_lock): held while a backup, a restore or its removal reads or changes
# it, so a restore never replaces data a backup is reading. flock, so a lock whose holder died is free
# again. Sourced after lib/progress.sh; uses $db_lock and $db_dir (database_paths).
# shellcheck disable=SC2154 # database_paths (lib/rules.sh) sets the paths

# lock_database SECONDS: holds the database's lock (on file descriptor 8) until the calling script
# ends, waiting at most SECONDS for another holder.
lock_database() {
  exec 8>>"$db_lock"
  flock -w "$1" 8 || fail DATABASE_BUSY "Another backup or restore of ${db_dir##*/} still runs after ${1}s" \
    'Wait for it to finish (helvetia db backups NAME), then try again.'
}
