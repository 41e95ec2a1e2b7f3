# Reading a backup back from its target: which backup `latest` is, its manifest, and its object
# fetched and checked against the manifest's sha256 before anything restores it. The layout in the
# bucket: `[<target prefix>/]helvetia/<database>/<ID>.gz` and `<ID>.manifest.json` beside it.
# Sourced after lib/progress.sh, lib/rules.sh, lib/validate.sh and database_paths; defines functions only.
# shellcheck disable=SC2154 # database_paths (lib/rules.sh) and the caller set the paths

# json_get FILE KEY: the value of KEY at the top level of the JSON object in FILE (a string unescaped,
# or a number or literal as written); nothing when absent. json_counts FILE: the `counts` object's
# entries, one `NAME<TAB>N` a line. One small tokenizer for both: manifests and records are written by
# Helvetia's own scripts, but read here without trusting their layout (spaces, line breaks, order).
json_read() {
  LC_ALL=C awk -v want="$2" -v mode="$3" '
    { text = text $0 "\n" }
    END {
      n = length(text); i = 1; depth = 0; key = ""; expect_key = 0; parent = ""
      while (i <= n) {
        c = substr(text, i, 1)
        if (c == "{" || c == "[") {
          depth++
          if (depth == 2) parent = key
          expect_key = (c == "{"); i++; continue
        }
        if (c == "}" || c == "]") { depth--; i++; continue }
        if (c == ",") { expect_key = 1; i++; continue }
        if (c == ":") { expect_key = 0; i++; continue }
        if (c ~ /[ \t\r\n]/) { i++; continue }
        if (c == "\"") {
          s = ""; i++
          while (i <= n) {
            c = substr(text, i, 1)
            if (c == "\\") {
              e = substr(text, i + 1, 1); i += 2
              if (e == "n") s = s "\n"; else if (e == "t") s = s "\t"; else if (e == "r") s = s "\r"
              else if (e == "u") { s = s "\\u" substr(text, i, 4); i += 4 } else s = s e
              continue
            }
            if (c == "\"") { i++; break }
            s = s c; i++
          }
          value = s
        } else {
          value = ""
          while (i <= n && substr(text, i, 1) !~ /[,}\] \t\r\n]/) { value = value substr(text, i, 1); i++ }
        }
        if (expect_key) { key = value; continue }
        if (mode == "get" && depth == 1 && key == want) { print value; exit }
        if (mode == "object" && depth == 2 && parent == want) printf "%s\t%s\n", key, value
      }
    }' "$1"
}

json_get() {
  json_read "$1" "$2" get
}

json_counts() {
  json_read "$1" counts object
}

# json_string VALUE: VALUE as a JSON string (quotes and backslashes escaped; line breaks flattened).
json_string() {
  printf '"%s"' "$(printf '%s' "$1" | tr '\r\n\t' '   ' | sed 's/[\\"]/\\&/g')"
}

# bucket_rclone TARGET ARGS...: rclone (in its own image, on the host's network so an endpoint on the
# server's loopback works) with the target's settings as RCLONE_CONFIG_* variables from its 0600 file,
# never on a command line. The remote is `target:`, the bucket TARGET_BUCKET.
bucket_rclone() {
  bucket_file=$backup_targets_dir/$1
  shift
  (
    set -a
    # shellcheck source=/dev/null # written by the backup target's operation
    . "$bucket_file"
    set +a
    # shellcheck disable=SC2046 # variable names only, one a word
    exec docker run --rm -i --network host $(env | sed -n 's/^\(RCLONE_CONFIG_[A-Z0-9_]*\)=.*/-e \1/p') \
      "${BACKUP_UPLOADER_IMAGE:-rclone/rclone:1.68}" "$@"
  )
}

# bucket_path TARGET DATABASE FILE: the object's path for rclone, `target:BUCKET/[PREFIX/]helvetia/DATABASE/FILE`.
bucket_path() {
  # shellcheck source=/dev/null # written by the backup target's operation
  bucket_settings=$(. "$backup_targets_dir/$1" && printf '%s/%s' "$TARGET_BUCKET" "${TARGET_PREFIX:+$TARGET_PREFIX/}")
  printf 'target:%shelvetia/%s/%s\n' "$bucket_settings" "$2" "$3"
}

# backup_resolve DATABASE BACKUP: sets backup_id and backup_target from the server's record of each
# backup run (db_backups_dir/ID.json); `latest` is the newest verified one. A backup this server has no
# verified record of is refused: the record names its target.
backup_resolve() {
  if [ "$2" = latest ]; then
    backup_id=''
    for record in "$db_backups_dir"/*.json; do
      [ -f "$record" ] || continue
      [ "$(json_get "$record" state)" = verified ] && backup_id=$(basename "$record" .json)
    done
    [ -n "$backup_id" ] || fail BACKUP_NOT_FOUND "$1 has no verified backup" "Back it up first: helvetia db backup $1"
  else
    require backup "$2" "$BACKUP_ID_PATTERN"
    backup_id=$2
    [ -f "$db_backups_dir/$backup_id.json" ] || fail BACKUP_NOT_FOUND "$1 has no backup $backup_id" "See its backups: helvetia db backups $1"
    state=$(json_get "$db_backups_dir/$backup_id.json" state)
    [ "$state" = verified ] || fail BACKUP_NOT_VERIFIED "Backup $backup_id of $1 is $state, not verified" 'Pick a verified backup (helvetia db backups).'
  fi
  backup_target=$(json_get "$db_backups_dir/$backup_id.json" target)
  require target "$backup_target" "$APP_PATTERN"
  [ -f "$backup_targets_dir/$backup_target" ] || fail TARGET_NOT_FOUND "The backup target $backup_target is not on this server" 'Add it again: helvetia backup target add.'
}

# backup_fetch DATABASE DIR: fetches backup_id's manifest and object from backup_target into
# DIR/manifest.json and DIR/backup.gz, and checks the object's size and sha256 against the manifest.
# A mismatch fails with BACKUP_CORRUPT before anything reads the object.
backup_fetch() {
  bucket_rclone "$backup_target" cat "$(bucket_path "$backup_target" "$1" "$backup_id.manifest.json")" >"$2/manifest.json" ||
    fail BACKUP_UNREADABLE "Could not read the manifest of $backup_id from $backup_target" 'Check the target (helvetia backup target list) and that the backup is still in the bucket.'
  expected=$(json_get "$2/manifest.json" sha256)
  matches "$expected" "$SHA256_PATTERN" || fail BACKUP_UNREADABLE "The manifest of $backup_id has no sha256"
  bucket_rclone "$backup_target" cat "$(bucket_path "$backup_target" "$1" "$backup_id.gz")" >"$2/backup.gz" ||
    fail BACKUP_UNREADABLE "Could not read $backup_id from $backup_target" 'Check the target and that the backup is still in the bucket.'
  actual=$(sha256sum "$2/backup.gz" | cut -d ' ' -f 1)
  [ "$actual" = "$expected" ] ||
    fail BACKUP_CORRUPT "Backup $backup_id is corrupt: its sha256 is $actual, the manifest says $expected" 'Restore another backup; take a new one now (helvetia db backup).'
}
