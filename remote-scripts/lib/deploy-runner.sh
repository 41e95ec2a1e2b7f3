# What both deploy runners share (deploy-run.sh for a single-container app, stack-run.sh for a compose
# app): failing with a code the deployment's record keeps, docker with a time limit, the heartbeat
# that tells a live deploy from a stale one, and the wait for the app's deploy lock.
# Sourced by a runner; uses its variables (app, dir, opt_lock_timeout, locked) and lib/deploy-lock.sh.
# shellcheck disable=SC2154,SC2034 # set, and read, by the runner that sources this file

error_code='' error_message='' error_hint='' heartbeat_pid=''

# deploy_fail CODE MESSAGE [HINT]: like fail, and remembered for the deployment record.
deploy_fail() {
  error_code=$1
  error_message=$2
  error_hint=${3:-}
  fail "$@"
}

# dk ARGS...: docker with a time limit, for everything but the build (which has its own).
dk() {
  timeout 120 docker "$@"
}

# start_heartbeat: touches DIR/heartbeat while this runner lives, so that a deploy whose processes
# hang is recognised as stale (lib/deploy-common.sh); heartbeat_pid is the toucher to kill at the end.
start_heartbeat() {
  run_pid=$$
  (while kill -0 "$run_pid" 2>/dev/null; do
    touch "$dir/heartbeat"
    sleep 5
  done) </dev/null >/dev/null 2>&1 &
  heartbeat_pid=$!
}

# wait_for_lock: the `lock` step, up to the app's lock timeout; sets locked=1 (the step's end is the runner's).
wait_for_lock() {
  step_running lock 'Waiting for earlier deploys of this app to finish'
  take_lock $((opt_lock_timeout * 4)) || deploy_fail DEPLOY_BUSY "Another deploy of $app is still running after ${opt_lock_timeout}s" \
    'Wait for it to finish (helvetia deployments) and deploy again.'
  locked=1
}
