# The release a deployment makes live: whether it is the one running already (and then keeps its
# container), going live, and what follows: draining the old container and the clean-up.
# Sourced by deploy-run.sh; uses its variables (the options, app, id, dir, image, container, proxy)
# and functions (dk, deploy_fail).
# shellcheck disable=SC2154,SC2034 # uses and sets the variables of the script that sources this file

# same_release ID: deployment ID runs what this one would: the same options (but who started it and
# how long it would wait), env, build arguments, volumes, release command, processes and routes (but
# for the deployment's id). One process.
same_release() {
  LC_ALL=C awk -v this="$dir" -v this_id="$id" -v that="$deployments_dir/$1" -v that_id="$1" '
    function release(dir, id,   files, n, i, file, line, out) {
      n = split("options env build-args volumes release-command processes site.caddy site.traefik.yml", files, " ")
      for (i = 1; i <= n; i++) {
        file = dir "/request/" files[i]
        while ((getline line < file) > 0) {
          if (i == 1 && line ~ /^(trigger|lock_timeout)=/) continue
          if (i > 6) gsub(id, "-", line)
          out = out line "\n"
        }
        close(file)
        out = out "\036"
      }
      return out
    }
    BEGIN { exit release(this, this_id) != release(that, that_id) }'
}

# reuse_unchanged: deploying exactly what runs (the live deployment's source, settings, env and
# route) would replace a healthy container by an identical one: a restart of the app, and the time of
# a whole deploy, for nothing. So when the live container is running, still routed to, and passes its
# health check now, it stays live: this deployment is recorded, its image tag is the same image (a
# rollback to it works as to any other), and it points at that container; the script ends there.
# Anything else returns, and the deploy goes the whole way.
reuse_unchanged() {
  wait "$live_pid" || true
  tagged=0
  if wait "$tag_pid"; then tagged=1; fi
  # shellcheck disable=SC2046 # three words: status, health, address
  set -- $(cat "$dir/live-state" 2>/dev/null) '' '' ''
  reuse=''
  if [ "$1" != running ]; then
    echo "Nothing changed since deployment $live_id, but its container is not running: replacing it."
  elif ! cmp -s "$previous_site" "$deployments_dir/$live_id/${site#"$dir"/}"; then
    echo "Nothing changed since deployment $live_id, but the proxy no longer routes to it: replacing it."
  elif ! live_healthy "$2" "$3"; then
    echo "Nothing changed since deployment $live_id, but its container fails its health check: replacing it."
  elif ! live_workers_running "$live_id"; then
    echo "Nothing changed since deployment $live_id, but one of its workers is not running: replacing them."
  elif [ "$tagged" = 0 ]; then
    echo "Nothing changed since deployment $live_id, but its image is gone: starting over."
  else
    reuse=1
  fi
  [ -n "$reuse" ] || look_for_built
  if [ -n "$reuse" ]; then
    container=$live_container
    step_running source 'Preparing the source'
    step_done source "Nothing changed since deployment $live_id (source, settings, env and route)"
    step_skipped build 'Nothing to build'
    step_skipped start "$container runs this release already: it stays, with no restart"
    step_done health "$container is healthy"
    step_skipped switch "The proxy sends $app's traffic to $container already"
    if [ "$opt_health_kind" = http ] && [ -n "$opt_verify_host" ]; then
      step_done verify "http://$opt_verify_host$opt_health_path answers through the proxy"
    else
      step_skipped verify "The proxy's route to $container is unchanged"
    fi
    state_set "$dir" image "$image" container "$container" reused_from "$live_id"
    go_live
    after_live
    exit 0
  fi
}

# go_live: this deployment is the app's live one. The next deploy may start then: it takes over from
# there (it stops whatever is not its container), and the clean-up spares images of running deploys.
go_live() {
  wait "$old_pid" || dk ps -a --filter "label=dev.helvetia.app=$app" --filter "label=dev.helvetia.prefix=$prefix" \
    --format '{{.Names}}' >"$dir/old-containers" || true
  old=$(replaced_containers)
  echo "$id" >"$current_file.$$"
  mv -f "$current_file.$$" "$current_file"
  live=1
  state_set "$dir" finished_at "$(now_utc)" status succeeded
  progress_line "step=deploy status=done $app is live: deployment $id ($container)"
  release_lock
  locked=0
}

# after_live: drains and stops the containers it replaced, prunes old images.
after_live() {
  rm -rf "$dir/context"
  step_running drain "Draining the previous container for ${opt_drain}s"
  if [ -n "$old" ]; then
    sleep "$opt_drain"
    # shellcheck disable=SC2086 # container names, one a word
    dk stop -t 10 $old >/dev/null 2>&1 || true
    # shellcheck disable=SC2086
    dk rm -f -v $old >/dev/null 2>&1 || true
    step_done drain "Stopped $(printf '%s' "$old" | tr '\n' ' ')"
  else
    step_skipped drain 'No previous container'
  fi

  step_running cleanup "Keeping the images of the last $opt_keep successful deployments"
  step_done cleanup "Removed $(prune_app_images "$app" "$opt_keep") old image tags"
  clean_when_disk_low
}
