# Cleaning up after deploys: each app keeps the images of its last N successful deployments, and when
# the disk Docker keeps its data on runs low, Helvetia frees what it can of its own: the images of
# every app under its prefix down to a lower floor, and the layers its failed builds left behind.
# Never a foreign image: only tags of Helvetia's repository for an app (PREFIX/APP) that carry its
# label, and layers this prefix's own builds recorded. The live deployment's image and those of
# deploys still running always stay.
#
# The disk-low settings live on the server, in ~/.PREFIX/disk-cleanup.conf (key=value lines):
#   min_free=15%          the disk is low below this much free space: a percentage of the disk, or
#                         a size such as 5g (default 15%, where the kubelet starts collecting images)
#   keep_when_low=2       successful deployments per app whose images stay when the disk is low
# Sourced after lib/deploy-common.sh; uses $prefix and dk (deploy-run.sh).
# shellcheck disable=SC2154 # set by the scripts that source this file

DISK_MIN_FREE_DEFAULT=15%
DISK_KEEP_WHEN_LOW_DEFAULT=2

# deployment_ids DIR STATUS...: the ids of the deployments in DIR (an app's deployments folder) whose
# status is one of STATUS, newest first.
deployment_ids() {
  ids_dir=$1
  shift
  for ids_status in "$@"; do
    grep -lx "status=$ids_status" "$ids_dir"/*/state 2>/dev/null || true
  done | sed 's|/state$||; s|.*/||' | sort -r
}

# prune_app_images APP KEEP: removes APP's image tags but those of its last KEEP successful
# deployments, its live one and deploys still running; prints how many it removed. The env file of
# every other recorded deployment goes too: secret values stay only where a deployment may still run from.
prune_app_images() {
  server_paths "$prefix"
  prune_app_dir=$apps_dir/$1
  prune_keep=$(
    deployment_ids "$prune_app_dir/deployments" succeeded | head -n "$2"
    deployment_ids "$prune_app_dir/deployments" queued running
    cat "$prune_app_dir/current" 2>/dev/null || true
  )
  for prune_env in "$prune_app_dir"/deployments/*/request/env; do
    [ -f "$prune_env" ] || continue
    prune_id=${prune_env%/request/env}
    # No record yet: deploy-start.sh is still storing this request, and copies its env next.
    [ -f "$prune_id/state" ] || continue
    printf '%s\n' "$prune_keep" | grep -qxF "${prune_id##*/}" || rm -f "$prune_env"
  done
  prune_removed=0
  for prune_tag in $(dk images --filter "label=dev.helvetia.app=$1" --format '{{.Tag}}' "$prefix/$1"); do
    if ! printf '%s\n' "$prune_keep" | grep -qxF "$prune_tag"; then
      # A tag whose image a container uses is refused (docker rmi without -f): it stays.
      dk rmi "$prefix/$1:$prune_tag" >/dev/null 2>&1 && prune_removed=$((prune_removed + 1))
    fi
  done
  echo "$prune_removed"
}

# record_build_layers DIR: the classic builder keeps the layers a failed build committed, as unnamed
# images; records those this build made (not the ones it took from the cache, nor its base) in
# DIR/build-layers, from the build's output in DIR/log.
record_build_layers() {
  LC_ALL=C awk '
    /^Step [0-9]+\/[0-9]+ : / { made = 0 }
    /^ ---> Running in / { made = 1 }
    made && /^ ---> [0-9a-f]+$/ && length($2) >= 12 { print $2; made = 0 }
  ' "$1/log" >"$1/build-layers" 2>/dev/null || true
  [ -s "$1/build-layers" ] || rm -f "$1/build-layers"
}

# disk_free: "<free KiB> <size KiB> <folder>" of the file system holding Docker's data.
disk_free() {
  free_root=$(dk info --format '{{.DockerRootDir}}' 2>/dev/null) || free_root=/
  df -Pk "$free_root" 2>/dev/null | awk -v root="$free_root" 'NR == 2 { print $4, $2, root }'
}

# disk_low FREE_KIB SIZE_KIB MIN_FREE: FREE_KIB is below MIN_FREE (a percentage or a size).
disk_low() {
  case $3 in
    *%) [ $(($1 * 100)) -lt $((${3%\%} * $2)) ] ;;
    *k) [ "$1" -lt "${3%k}" ] ;;
    *m) [ "$1" -lt $((${3%m} * 1024)) ] ;;
    *g) [ "$1" -lt $((${3%g} * 1024 * 1024)) ] ;;
    *) [ "$1" -lt $(($3 / 1024)) ] ;;
  esac
}

# human KIB: a size for people.
human() {
  awk -v k="$1" 'BEGIN { if (k >= 1048576) printf "%.1f GiB", k / 1048576; else printf "%.0f MiB", k / 1024 }'
}

# clean_when_disk_low: the `disk` step. Reads ~/.PREFIX/disk-cleanup.conf (see above); a value that is
# not valid is reported and the default used.
clean_when_disk_low() {
  step_running disk 'Checking the free space on the disk Docker keeps its data on'
  min_free=$DISK_MIN_FREE_DEFAULT keep_when_low=$DISK_KEEP_WHEN_LOW_DEFAULT
  server_paths "$prefix"
  conf=$disk_cleanup_conf
  if [ -f "$conf" ]; then
    while IFS='=' read -r conf_key conf_value || [ -n "$conf_key" ]; do
      case $conf_key in
        min_free)
          if matches "$conf_value" '([1-9]?[0-9]|100)%|[1-9][0-9]{0,15}[kmg]?'; then min_free=$conf_value; else
            echo "Ignoring min_free=$conf_value in $conf (expected a percentage such as 15% or a size such as 5g)"
          fi
          ;;
        keep_when_low)
          if matches "$conf_value" '[1-9][0-9]{0,2}'; then keep_when_low=$conf_value; else
            echo "Ignoring keep_when_low=$conf_value in $conf (expected a number from 1)"
          fi
          ;;
      esac
    done <"$conf"
  fi
  # shellcheck disable=SC2046 # three words
  set -- $(disk_free)
  if [ "$#" -lt 3 ] || ! matches "$1 $2" '[0-9]+ [1-9][0-9]*'; then
    step_skipped disk 'Could not tell the free space on the disk Docker keeps its data on'
    return 0
  fi
  if ! disk_low "$1" "$2" "$min_free"; then
    step_skipped disk "$(human "$1") free on $3 ($(($1 * 100 / $2))%): not below $min_free"
    return 0
  fi
  echo "Only $(human "$1") free on $3 ($(($1 * 100 / $2))%), below $min_free: removing Helvetia's older images (keeping $keep_when_low per app) and the layers of failed builds"
  low_tags=0
  for low_app_dir in "$apps_dir"/*/; do
    low_app=$(basename "$low_app_dir")
    matches "$low_app" "$APP_PATTERN" || continue
    low_removed=$(prune_app_images "$low_app" "$keep_when_low")
    [ "$low_removed" = 0 ] || echo "Removed $low_removed image tags of $low_app"
    low_tags=$((low_tags + low_removed))
  done
  low_layers=0
  for layers in "$apps_dir"/*/deployments/*/build-layers; do
    [ -f "$layers" ] || continue
    # Newest first: a layer goes once the layers made on top of it are gone. Only unnamed ones: a
    # layer someone tagged since is theirs now, and one with children is part of another image.
    while IFS= read -r layer; do
      matches "$layer" '[0-9a-f]{12,64}' || continue
      [ "$(dk image inspect -f '{{len .RepoTags}}' "$layer" 2>/dev/null)" = 0 ] || continue
      dk rmi "$layer" >/dev/null 2>&1 && low_layers=$((low_layers + 1))
    done <<EOF
$(sed -n '1!G;h;$p' "$layers")
EOF
    rm -f "$layers"
  done
  if dk buildx version >/dev/null 2>&1; then
    echo "BuildKit's cache is left alone: it is shared by every build on this server, and tells no owner apart"
  fi
  # shellcheck disable=SC2046
  set -- $(disk_free) "$1"
  low_freed=$(($1 - ${4:-$1}))
  [ "$low_freed" -ge 0 ] || low_freed=0
  step_done disk "Removed $low_tags image tags and $low_layers build layers, freeing $(human "$low_freed"): $(human "$1") free on $3 now"
}
