# An app's process types (core/processes/process-types.ts): `web`, the one container the proxy routes
# to, and workers, unrouted, each `sh -c COMMAND` in REPLICAS containers of the same image, with its own
# limits (default: the app's) and log. DIR/processes is what this deployment runs, one
# `NAME REPLICAS MEMORY CPUS COMMAND` line each (`-`: no limit of its own; no command: the image's),
# taken from, in this order: the app's settings (the request's `processes`), the deployment a rollback
# runs the image of, the source's Procfile (`name: command` lines), else one `web`. DIR/workers lists
# the worker containers that go with this deployment, one `NAME CONTAINER` line each.
#
# Workers start once the new web container is healthy (an app of workers only: instead of it; it has no
# route and no HTTP check), before the switch, and must still run, never restarted, WORKER_SETTLE_S
# later: one that does not fails the deploy before the switch, and the old version goes on as it was.
# The old workers stop with the old web container, after the drain: each once its replacement runs.
# Sourced by deploy-run.sh; uses its variables (the options, app, id, dir, image, container, network,
# mount_args) and functions (dk, deploy_fail, mask_filter).
# shellcheck disable=SC2154,SC2034 # uses and sets the variables of the script that sources this file

WORKER_SETTLE_S=2
has_web=1 web_command=''

# procfile: the source's Procfile (the folder's snapshot, or the commit's tree), if it has one.
procfile() {
  if [ -f "$dir/context/Procfile" ]; then
    cat "$dir/context/Procfile"
  elif [ "$opt_source_kind" = git ]; then
    git --git-dir="$git_dir" show "$opt_source_id:Procfile" 2>/dev/null || true
  fi
}

# procfile_processes: the Procfile as DIR/processes lines; PROCFILE_INVALID for a line it cannot run.
procfile_processes() {
  # The name's own pattern is checked with the others' (resolve_processes): mawk has no {m,n}.
  procfile | LC_ALL=C awk '
    /^[ \t]*(#.*)?\r?$/ { next }
    {
      sub(/\r$/, "")
      colon = index($0, ":")
      name = substr($0, 1, colon - 1)
      command = substr($0, colon + 1)
      gsub(/^[ \t]+|[ \t]+$/, "", command)
      if (colon < 2 || name !~ /^[a-z0-9-]+$/ || command == "" || command ~ /\t/) { print "!" NR; exit }
      print name " 1 - - " command
    }'
}

# resolve_processes: writes DIR/processes and reads it: has_web, web_command, and the web container's
# own limits over the app's (app_memory and app_cpus keep the app's, for workers without their own).
resolve_processes() {
  app_memory=$opt_memory app_cpus=$opt_cpus
  if [ -s "$dir/request/processes" ]; then
    cp "$dir/request/processes" "$dir/processes"
  elif [ "$opt_source_kind" = image ] && [ -f "$deployments_dir/$opt_rollback_of/processes" ]; then
    cp "$deployments_dir/$opt_rollback_of/processes" "$dir/processes"
  else
    procfile_processes >"$dir/processes"
    bad=$(sed -n 's/^!//p' "$dir/processes")
    [ -z "$bad" ] || deploy_fail PROCFILE_INVALID "Line $bad of the Procfile is not \`name: command\`" \
      'Write each process as name: command (a name of lowercase letters, digits and dashes), or set the processes with helvetia app update --process.'
    [ -s "$dir/processes" ] || echo 'web 1 - -' >"$dir/processes"
  fi
  has_web=0 seen=' '
  while read -r p_name p_replicas p_memory p_cpus p_command; do
    case $seen in *" $p_name "*) deploy_fail PROCESSES_INVALID "The process $p_name is named twice" ;; esac
    seen="$seen$p_name "
    if ! matches "$p_name" "$PROCESS_NAME_PATTERN" || ! matches "$p_replicas" '[1-9][0-9]?' ||
      ! { [ "$p_memory" = - ] || matches "$p_memory" "$MEMORY_PATTERN"; } ||
      ! { [ "$p_cpus" = - ] || matches "$p_cpus" "$CPUS_PATTERN"; }; then
      deploy_fail PROCESSES_INVALID "Invalid process type: $p_name $p_replicas $p_memory $p_cpus" 'Set the processes again (helvetia app update --process).'
    fi
    if [ "$p_name" = web ]; then
      has_web=1 web_command=$p_command
      [ "$p_memory" = - ] || opt_memory=$p_memory
      [ "$p_cpus" = - ] || opt_cpus=$p_cpus
    elif [ -z "$p_command" ]; then
      deploy_fail PROCESSES_INVALID "The worker $p_name has no command" 'Give it one: helvetia app update APP --process NAME="COMMAND".'
    fi
  done <"$dir/processes"
  [ "$(wc -l <"$dir/processes")" = 1 ] && [ "$has_web" = 1 ] ||
    echo "Processes: $(awk '{ print $1 "×" $2 }' "$dir/processes" | tr '\n' ' ')"
}

# start_workers: the `workers` step: starts every worker container of this deployment, then checks that
# each still runs WORKER_SETTLE_S later (WORKER_FAILED with its last lines when not).
start_workers() {
  : >"$dir/workers"
  grep -qv '^web ' "$dir/processes" || return 0
  step_running workers 'Starting the workers'
  while read -r p_name p_replicas p_memory p_cpus p_command; do
    [ "$p_name" != web ] || continue
    [ "$p_memory" != - ] || p_memory=$app_memory
    [ "$p_cpus" != - ] || p_cpus=$app_cpus
    replica=1
    while [ "$replica" -le "$p_replicas" ]; do
      worker=$container-$p_name-$replica
      set -- run --detach --name "$worker" --network "$network" --env-file "$dir/request/env" \
        --restart "$opt_restart" --log-driver json-file --log-opt max-size=10m --log-opt max-file=3 \
        --label "dev.helvetia.app=$app" --label "dev.helvetia.prefix=$prefix" \
        --label "dev.helvetia.deployment=$id" --label "dev.helvetia.process=$p_name" --entrypoint sh
      [ -z "$p_memory" ] || set -- "$@" --memory "$p_memory" --memory-swap "$p_memory"
      [ -z "$p_cpus" ] || set -- "$@" --cpus "$p_cpus"
      [ -z "$opt_pids" ] || set -- "$@" --pids-limit "$opt_pids"
      # shellcheck disable=SC2086 # --mount options, one a word
      set -- "$@" $mount_args "$image" -c "$p_command"
      echo "$p_name $worker" >>"$dir/workers"
      start_error=$(dk "$@" 2>&1 >/dev/null </dev/null) ||
        deploy_fail WORKER_START_FAILED "The worker $worker did not start: $start_error"
      replica=$((replica + 1))
    done
  done <"$dir/processes"
  sleep "$WORKER_SETTLE_S"
  while read -r p_name worker; do
    worker_state=$(dk inspect -f '{{.State.Running}} {{.RestartCount}} {{.State.ExitCode}}' "$worker" 2>/dev/null || echo 'false 0 ?')
    case $worker_state in
      'true 0 '*) ;;
      *)
        dk logs --tail 30 "$worker" 2>&1 | mask_filter "$dir/request/env" "$dir/request/secrets" >"$dir/last-lines"
        deploy_fail WORKER_FAILED "The worker $worker stopped within ${WORKER_SETTLE_S}s of its start (exit code ${worker_state##* })" \
          "Its last lines are below; fix its command ($p_name) and deploy again. $app's previous version still runs."
        ;;
    esac
  done <"$dir/workers"
  state_set "$dir" workers "$(awk '{ print $2 }' "$dir/workers" | tr '\n' ' ')"
  step_done workers "Started $(awk '{ print $1 }' "$dir/workers" | sort | uniq -c | awk '{ print $2 "×" $1 }' | tr '\n' ' ')"
}

# remove_new_workers: a failed deploy's own workers go (the old ones, and those an unchanged deploy
# kept, run on).
remove_new_workers() {
  new_workers=$(awk -v own="$prefix-$app-$id-" 'index($2, own) == 1 { print $2 }' "$dir/workers" 2>/dev/null || true)
  # shellcheck disable=SC2086 # container names, one a word
  [ -z "$new_workers" ] || dk rm -f -v $new_workers >/dev/null 2>&1
}

# replaced_containers: the app's containers this deployment replaces (DIR/old-containers, listed when
# it took the lock), but its own.
replaced_containers() {
  { echo "$container"; awk '{ print $2 }' "$dir/workers" 2>/dev/null; } >"$dir/own-containers"
  grep -vxF -f "$dir/own-containers" "$dir/old-containers" || true
  rm -f "$dir/own-containers"
}

# live_workers_running ID: deployment ID's workers all run (an unchanged deploy keeps them); copies its
# process files to this deployment.
live_workers_running() {
  cp "$deployments_dir/$1/processes" "$dir/processes" 2>/dev/null || echo 'web 1 - -' >"$dir/processes"
  cp "$deployments_dir/$1/workers" "$dir/workers" 2>/dev/null || : >"$dir/workers"
  while read -r p_name worker; do
    [ "$(dk inspect -f '{{.State.Running}}' "$worker" 2>/dev/null)" = true ] || return 1
  done <"$dir/workers"
}

# deploy_workers_only: an app with no web process: its workers instead of the web container, no route
# (one from an earlier version with a web process goes), then live.
deploy_workers_only() {
  step_skipped start 'No web process: nothing to route to'
  step_skipped health 'No web process: no HTTP health check'
  start_workers
  step_running switch 'Removing the route: the app has no web process'
  if [ -n "$previous_site" ]; then
    switched=1
    proxy_remove "$proxy_type" >/dev/null || deploy_fail PROXY_RELOAD_FAILED 'The proxy refused to drop the route'
    step_done switch 'No route: the app has no web process'
  else
    step_skipped switch 'No route: the app has no web process'
  fi
  step_skipped verify 'No web process to check through the proxy'
  state_set "$dir" image "$image" container ''
  go_live
  after_live
  exit 0
}
