# Reading a backup back from its target: which backup `latest` is, its manifest, and its object
# fetched and checked against the manifest's sha256 before anything restores it.
# Sourced after lib/backup-store.sh, with database_paths set; defines functions only. Uses $work.
# shellcheck disable=SC2154 # database_paths (lib/rules.sh) and lib/backup-store.sh set them

# backup_resolve DATABASE BACKUP: sets backup_id and backup_target from the server's record of each
# backup run (db_backups_dir/ID.json); `latest` is the newest verified one. A backup without a verified
# record here is refused: the record names its target.
backup_resolve() {
  backup_id=''
  if [ "$2" = latest ]; then
    for backup_record in "$db_backups_dir"/*.json; do
      [ -f "$backup_record" ] || continue
      [ "$(json_field "$backup_record" state)" != verified ] || backup_id=$(basename "$backup_record" .json)
    done
    [ -n "$backup_id" ] || fail BACKUP_NOT_FOUND "$1 has no verified backup" "Back it up first: helvetia db backup $1"
  else
    require backup "$2" "$BACKUP_ID_PATTERN"
    [ -f "$db_backups_dir/$2.json" ] || fail BACKUP_NOT_FOUND "$1 has no backup $2" "See its backups: helvetia db backups $1"
    backup_state=$(json_field "$db_backups_dir/$2.json" state)
    [ "$backup_state" = verified ] || fail BACKUP_NOT_VERIFIED "Backup $2 of $1 is $backup_state, not verified" \
      "Pick a verified one: helvetia db backups $1"
    backup_id=$2
  fi
  backup_target=$(json_field "$db_backups_dir/$backup_id.json" target)
  require target "$backup_target" "$APP_PATTERN"
}

# backup_fetch DATABASE: fetches backup_id's manifest and object from backup_target into
# $work/manifest.json and $work/backup.gz and checks the object's sha256 against the manifest's; a
# mismatch fails with BACKUP_CORRUPT before anything reads the object.
backup_fetch() {
  open_target "$backup_target" "$1"
  uploader cat "T:$target_bucket/$backups_key/$backup_id.manifest.json" >"$work/manifest.json" 2>"$work/fetch.err" || true
  backup_expected=$(json_field "$work/manifest.json" sha256)
  matches "$backup_expected" "$SHA256_PATTERN" || fail BACKUP_UNREADABLE \
    "Could not read the manifest of $backup_id from $backup_target: $(grep -i -m 2 'error\|fail' "$work/fetch.err" | tr '\n' ' ')" \
    'Check the target (helvetia backup target list) and that the backup is still in its bucket.'
  uploader cat "T:$target_bucket/$backups_key/$backup_id.gz" >"$work/backup.gz" 2>"$work/fetch.err" || fail BACKUP_UNREADABLE \
    "Could not read $backup_id from $backup_target: $(grep -i -m 2 'error\|fail' "$work/fetch.err" | tr '\n' ' ')" \
    'Check the target (helvetia backup target list) and that the backup is still in its bucket.'
  backup_actual=$(sha256sum "$work/backup.gz" | cut -d ' ' -f 1)
  [ "$backup_actual" = "$backup_expected" ] || fail BACKUP_CORRUPT \
    "Backup $backup_id is corrupt: its sha256 is $backup_actual, its manifest says $backup_expected" \
    "Restore another backup (helvetia db backups $1), and take a new one."
}

# manifest_counts: the manifest's `counts` entries, `NAME<TAB>N` a line; for an engine the manifest
# has no counts of (`null`), what was restored ($work/counts).
manifest_counts() {
  if [ "$(json_field "$work/manifest.json" counts)" = null ]; then
    cat "$work/counts"
    return
  fi
  # The entries of the `counts` object: a small tokenizer, so names with `,` `:` or escaped quotes hold.
  LC_ALL=C awk '
    { text = text $0 "\n" }
    END {
      n = length(text); i = index(text, "\"counts\""); if (i == 0) exit
      i = i + 8; while (substr(text, i, 1) != "{" && i <= n) i++
      i++; key = ""; expect_key = 1
      while (i <= n) {
        c = substr(text, i, 1)
        if (c == "}") exit
        if (c == ",") { expect_key = 1; i++; continue }
        if (c == ":" || c ~ /[ \t\r\n]/) { i++; continue }
        if (c == "\"") {
          s = ""; i++
          while (i <= n && (c = substr(text, i, 1)) != "\"") {
            if (c == "\\") { i++; c = substr(text, i, 1) }
            s = s c; i++
          }
          i++; key = s; expect_key = 0; continue
        }
        value = ""
        while (i <= n && substr(text, i, 1) ~ /[0-9]/) { value = value substr(text, i, 1); i++ }
        if (value == "") i++; else printf "%s\t%s\n", key, value
      }
    }' "$work/manifest.json"
}
