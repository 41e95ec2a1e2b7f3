# Backups in a target's bucket, as the pipeline (db-backup.sh), the list (db-backups.sh), verification
# (db-verify.sh) and retention (db-retention.sh) reach them. A target is a 0600 file in
# backup_targets_dir: `RCLONE_CONFIG_T_*=value` lines (remote `T:`, the uploader's settings, so no secret
# is ever on a command line) and HELVETIA_TARGET_BUCKET, HELVETIA_TARGET_PREFIX and
# HELVETIA_UPLOADER_IMAGE lines. The uploader is rclone in its own image, on the host's network (an S3
# endpoint on the server's loopback works).
# Objects: [PREFIX/]helvetia/DATABASE/ID.gz with ID.manifest.json beside it.
# Sourced after lib/progress.sh, lib/rules.sh, lib/validate.sh and lib/deploy-common.sh; defines
# functions only. Uses $work (a private temporary folder the calling script made).
# shellcheck disable=SC2154,SC2034 # lib/rules.sh sets the paths; the scripts that source this file use its values

DEFAULT_UPLOADER_IMAGE='rclone/rclone:1.68'

# target_setting KEY: the value of KEY in $target_file (empty when absent).
target_setting() {
  sed -n "s/^$1=//p" "$target_file" | tail -n 1
}

# open_target NAME DATABASE: sets target_file, uploader_image, target_bucket and backups_key ([PREFIX/]helvetia/DATABASE),
# each read from the target's file and checked; fails with BACKUP_TARGET_MISSING when there is none.
open_target() {
  target_file=$backup_targets_dir/$1
  [ -f "$target_file" ] || fail BACKUP_TARGET_MISSING "This server holds no settings for the backup target \"$1\"" \
    'Back up from Helvetia on your computer once (helvetia db backup NAME --to TARGET): it installs them.'
  target_bucket=$(target_setting HELVETIA_TARGET_BUCKET)
  require 'target bucket' "$target_bucket" "$BUCKET_PATTERN"
  target_prefix=$(target_setting HELVETIA_TARGET_PREFIX)
  [ -z "$target_prefix" ] || require 'target prefix' "$target_prefix" "$OBJECT_PREFIX_PATTERN"
  uploader_image=$(target_setting HELVETIA_UPLOADER_IMAGE)
  uploader_image=${uploader_image:-$DEFAULT_UPLOADER_IMAGE}
  require 'uploader image' "$uploader_image" "$IMAGE_PATTERN"
  backups_key=${target_prefix:+$target_prefix/}helvetia/$2
}

# uploader ARGS...: runs rclone with the target's settings (from its file, as the environment).
# Retries are few: a stream cannot be sent again, and a refused key will not be accepted later.
uploader() {
  docker run --rm -i --network host --env-file "$target_file" "$uploader_image" \
    --low-level-retries 2 --retries 1 "$@"
}

# uploader_version: rclone's version line (`rclone v1.68.0`).
uploader_version() {
  docker run --rm "$uploader_image" version 2>/dev/null | head -n 1
}

# digest: reads standard input, prints `SHA256 BYTES`.
digest() {
  rm -f "$work/digest.count"
  mkfifo "$work/digest.count"
  wc -c <"$work/digest.count" >"$work/digest.size" &
  digest_pid=$!
  digest_sha=$(tee "$work/digest.count" | sha256sum | cut -d ' ' -f 1)
  wait "$digest_pid"
  printf '%s %s\n' "$digest_sha" "$(tr -d ' ' <"$work/digest.size")"
}

# read_back KEY: prints `SHA256 BYTES` of the stored object (its bytes as read from the bucket), or
# fails (non-zero) when it cannot be read whole.
read_back() {
  rm -f "$work/readback.failed"
  read_back_digest=$({ uploader cat "T:$target_bucket/$1" 2>"$work/readback.err" || echo >"$work/readback.failed"; } | digest)
  [ ! -e "$work/readback.failed" ] && printf '%s\n' "$read_back_digest"
}

# remove_object KEY: deletes the object, and unfinished multipart uploads of it (best effort: a bucket
# that is down cannot be cleaned, and holds nothing of it then).
remove_object() {
  uploader deletefile "T:$target_bucket/$1" >/dev/null 2>&1 || true
}

# json_string VALUE: VALUE as a JSON string (control characters become spaces).
json_string() {
  printf '"%s"' "$(printf '%s' "$1" | tr '\001-\037' ' ' | sed 's/\\/\\\\/g; s/"/\\"/g')"
}

# json_field FILE KEY: the value of a string or number field KEY of the one JSON object in FILE (our
# own records and manifests: flat values, no escaped quotes in those fields).
json_field() {
  tr -d '\n' <"$1" | sed -n "s/.*\"$2\" *: *\"\{0,1\}\([^\",}]*\).*/\1/p"
}

# write_run FILE ID TARGET STATE AT SIZE SHA256 [CODE MESSAGE]: the server's record of a backup run,
# written beside and renamed over the old one.
write_run() {
  if [ -n "${8-}" ]; then
    write_run_error="{\"code\":$(json_string "$8"),\"message\":$(json_string "$9")}"
  else
    write_run_error=null
  fi
  printf '{"id":"%s","target":"%s","state":"%s","at":"%s","size":%s,"sha256":%s,"error":%s}\n' \
    "$2" "$3" "$4" "$5" "${6:-null}" "$([ -n "$7" ] && json_string "$7" || echo null)" "$write_run_error" >"$1.tmp"
  mv -f "$1.tmp" "$1"
}

# list_manifests: prints the database's manifests in the bucket, one a line (none: nothing).
list_manifests() {
  uploader cat "T:$target_bucket/$backups_key" --max-depth 1 --include '*.manifest.json'
}
