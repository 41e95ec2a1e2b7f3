# What an app's containers mount: the request's `volumes` file (deploy-request.ts), one `SOURCE PATH`
# line each. SOURCE is a volume name (the Docker volume PREFIX-APP-NAME, Helvetia's: labelled
# dev.helvetia.managed=true and dev.helvetia.app=APP, kept until the app is removed with its volumes)
# or an absolute host folder (a bind mount). Every container of a deployment, the release command's
# too, mounts the same. Sourced after lib/progress.sh, lib/rules.sh and lib/validate.sh.
# shellcheck disable=SC2154 # prefix, app and dir are set by the script that sources this file

# check_volumes FILE: every line of FILE (none when it is absent) follows the rules the core applies
# (core/deploy/app-spec.ts, with the patterns of lib/rules.sh); else the first that does not fails.
check_volumes() {
  [ -f "$1" ] || return 0
  while IFS=' ' read -r volume_source volume_path volume_rest || [ -n "$volume_source" ]; do
    [ -z "$volume_rest" ] || fail INVALID_OPTION "Invalid volume: \"$volume_source $volume_path $volume_rest\""
    case $volume_source in
      /*)
        check_mount_path 'host folder' "$volume_source"
        ! matches "$volume_source" "$SYSTEM_PATH_PATTERN" ||
          fail INVALID_OPTION "Refused host folder: $volume_source is or holds a system folder (or Docker's own data or socket)" \
            'Bind a folder of your own, such as /srv/NAME, or use a named volume.'
        ;;
      *) require 'volume name' "$volume_source" "$VOLUME_NAME_PATTERN" 'lowercase letters, digits, _ . and -' ;;
    esac
    check_mount_path 'mount path' "$volume_path"
  done <"$1"
}

# check_mount_path NAME PATH: PATH is absolute and written plainly (no `.` or `..` part).
check_mount_path() {
  require "$1" "$2" "$MOUNT_PATH_PATTERN" 'an absolute path written plainly, such as /data'
  ! matches "$2" "$DOT_PATH_PART_PATTERN" || fail INVALID_OPTION "Invalid $1: \"$2\"" 'Expected a path without . or .. parts.'
}

# prepare_volumes: creates the app's named volumes that do not exist yet and sets mount_args, the
# `--mount` options for `docker run` (words without spaces: the patterns allow none). A volume of that
# name that is not this app's (another app's, whose name and volume join to the same, or anything not
# Helvetia's) is refused, never shared.
prepare_volumes() {
  mount_args=''
  [ -s "$dir/request/volumes" ] || return 0
  step_running volumes 'Preparing the volumes'
  created=''
  while IFS=' ' read -r volume_source volume_path || [ -n "$volume_source" ]; do
    case $volume_source in
      /*)
        [ -d "$volume_source" ] || deploy_fail VOLUME_FOLDER_MISSING "The host folder $volume_source does not exist on the server" \
          "Create it on the server (mkdir -p $volume_source), or change the app's volumes."
        mount_args="$mount_args --mount type=bind,source=$volume_source,target=$volume_path"
        ;;
      *)
        volume=$prefix-$app-$volume_source
        owner=$(dk volume inspect -f '{{index .Labels "dev.helvetia.managed"}}/{{index .Labels "dev.helvetia.app"}}' "$volume" 2>/dev/null) ||
          owner=''
        if [ -z "$owner" ]; then
          dk volume create --label dev.helvetia.managed=true --label "dev.helvetia.app=$app" \
            --label "dev.helvetia.prefix=$prefix" "$volume" >/dev/null ||
            deploy_fail VOLUME_FAILED "The volume $volume could not be created"
          created="$created $volume"
        elif [ "$owner" != "true/$app" ]; then
          deploy_fail VOLUME_TAKEN "The Docker volume $volume exists and is not $app's" \
            "Give the volume another name (helvetia app update $app --remove-volume $volume_source --volume OTHER:$volume_path)."
        fi
        mount_args="$mount_args --mount type=volume,source=$volume,target=$volume_path"
        ;;
    esac
  done <"$dir/request/volumes"
  step_done volumes "Mounting $(tr '\n' ' ' <"$dir/request/volumes")${created:+(created:$created)}"
}
