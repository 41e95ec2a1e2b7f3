#!/bin/sh
# The push agent: deploys the pushes the relay left in its spool (relay/spool.js) while no desktop
# needs to be connected. It runs detached on the server (relay-install.sh starts it with setsid, and
# the user's crontab starts it at boot where crontab exists), takes the jobs one at a time, in order,
# starts each deploy with deploy-push.sh, waits for its end, and writes what happened to the spool's
# outcomes/ folder, from where the relay moves it into the app's delivery log.
#
# A job whose deploy started is remembered (jobs/N.started holds the deployment id), so an agent that
# restarts waits for that deployment instead of starting another. One agent runs per prefix: a new
# one (a newer Helvetia installed the relay again) takes over once the old one finished its job, and
# an agent stops by itself when the relay's folder is removed.
#
# Between jobs it waits on the FIFO spool/wake, where the relay writes a byte after each job it
# spools: the job starts at once, with no polling. It looks at the spool every WAKE_FALLBACK_S
# seconds too, so a wake that never came (a job written by something else) costs at most that.
#
# Usage: push-agent.sh --prefix P
# shellcheck source-path=SCRIPTDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/progress.sh
. "$here/lib/progress.sh"
# shellcheck source=lib/rules.sh
. "$here/lib/rules.sh"
# shellcheck source=lib/validate.sh
. "$here/lib/validate.sh"
# shellcheck source=lib/deploy-common.sh
. "$here/lib/deploy-common.sh"

prefix=''
parse_options 'prefix' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
server_paths "$prefix"
spool=$spool_dir
pid_file=$relay_dir/agent.pid
wake=$spool/wake
WAKE_FALLBACK_S=10
[ -d "$spool/jobs" ] || fail NOT_FOUND "No relay spool at $spool" 'Install the relay: helvetia relay install SERVER.'
umask 077
mkdir -p "$spool/done" "$spool/outcomes"

# Held open for reading and writing: opening never blocks, and a byte the relay writes while this
# agent is busy waits in the pipe for the next wait_for_wake.
if [ ! -p "$wake" ]; then
  rm -f "$wake"
  mkfifo "$wake" 2>/dev/null || [ -p "$wake" ]
fi
exec 3<>"$wake"

# wait_for_wake: returns once the relay wrote to the FIFO (reading all it wrote so far), or after
# WAKE_FALLBACK_S seconds.
wait_for_wake() {
  timeout "$WAKE_FALLBACK_S" dd bs=4096 count=1 of=/dev/null <&3 2>/dev/null || true
}

# is_agent PID: PID is a push agent (and not a process that reused an old agent's number).
is_agent() {
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null && grep -q push-agent "/proc/$1/cmdline" 2>/dev/null
}

# The agent's own log is a convenience: a line a full disk refuses is dropped.
log() {
  printf '%s %s\n' "$(now_utc)" "$*" 2>/dev/null || true
}

# keep_writing FILE TEXT: writes TEXT and a line break to FILE whole (beside it, then renamed), retrying
# every second while the disk refuses it: what the agent records must not be lost.
keep_writing() {
  until { printf '%s\n' "$2" >"$1.tmp"; } 2>/dev/null && mv -f "$1.tmp" "$1"; do
    rm -f "$1.tmp"
    [ -d "$spool/jobs" ] || exit 0
    sleep 1
  done
}

# outcome NAME STATUS DETAIL: a report for the relay's delivery log.
outcome() {
  keep_writing "$spool/outcomes/$1-$2.out" \
    "$(printf 'delivery=%s\nstatus=%s\ndetail=%s' "$delivery" "$2" "$(printf '%s' "$3" | tr '\r\n' '  ')")"
  log "$app $delivery: $2 $3"
}

# run_job FILE: one job, from its deploy's start to its end.
run_job() {
  name=${1##*/}
  name=${name%.job}
  delivery='' app='' commit='' ref=''
  while IFS= read -r line || [ -n "$line" ]; do
    value=${line#*=}
    case ${line%%=*} in
      delivery) delivery=$value ;;
      app) app=$value ;;
      commit) commit=$value ;;
      ref) ref=$value ;;
    esac
  done <"$1"
  if ! matches "$delivery" "$DELIVERY_PATTERN" || ! matches "$app" "$APP_PATTERN" || ! matches "$ref" "$REF_PATTERN"; then
    log "Skipping the malformed job $name"
  elif ! matches "$commit" "$COMMIT_PATTERN"; then
    outcome "$name" failed "commit $commit: Helvetia deploys 40-character (SHA-1) commit ids only"
  else
    short=$(printf '%.12s' "$commit")
    started=$spool/jobs/$name.started
    id=$(cat "$started" 2>/dev/null || true)
    if [ -z "$id" ]; then
      code=0
      # Not handed the FIFO: the deploy it starts outlives this agent.
      output=$(sh "$here/deploy-push.sh" --prefix "$prefix" --app "$app" --branch "${ref#refs/heads/}" --commit "$commit" 2>&1 3>&-) || code=$?
      id=$(printf '%s\n' "$output" | sed -n 's/^::helvetia:: fact deployment=//p' | tail -n 1)
      if [ "$code" != 0 ] || ! matches "$id" "$DEPLOYMENT_ID_PATTERN"; then
        reason=$(printf '%s\n' "$output" | sed -n 's/^::helvetia:: step=[^ ]* status=failed code=\([^ ]*\) \(.*\)$/\2 (\1)/p' | tail -n 1)
        # A commit that is not on the branch (replayed, forged by someone who has the webhook's
        # secret, or gone in a force-push) is refused, not a failed deploy: nothing started.
        status=failed
        case $reason in *'(GIT_COMMIT_NOT_ON_BRANCH)') status=refused-commit ;; esac
        outcome "$name" "$status" "commit $short on $ref: ${reason:-the deploy did not start}"
        finish_job "$1"
        return
      fi
      keep_writing "$started" "$id"
      outcome "$name" deploy-started "commit $short on $ref: deployment $id"
    fi
    app_paths "$prefix" "$app"
    dir=$deployments_dir/$id
    while :; do
      status=$(state_get "$dir" status)
      case $status in succeeded | failed) break ;; esac
      if [ ! -d "$dir" ]; then
        status=failed
        break
      fi
      # A record the disk refuses now is written on a later round.
      if deployment_stale "$dir"; then mark_abandoned "$dir" || true; fi
      sleep 1
    done
    if [ "$status" = succeeded ]; then
      outcome "$name" deployed "commit $short on $ref: deployment $id"
    else
      outcome "$name" failed "commit $short on $ref: deployment $id failed: $(state_get "$dir" error_message)"
    fi
  fi
  finish_job "$1"
}

finish_job() {
  mv -f "$1" "$spool/done/"
  rm -f "${1%.job}.started"
  # Done jobs keep a redelivered event from being deployed twice; a month is plenty.
  find "$spool/done" -name '*.job' -mtime +30 -exec rm -f {} + 2>/dev/null || true
}

previous=$(cat "$pid_file" 2>/dev/null || true)
echo "$$" >"$pid_file"
log "Push agent $$ started (scripts in $here)"
# An agent replaced by this one finishes the job it is on first; a byte ends its wait_for_wake.
printf x >&3
while [ "$previous" != "$$" ] && is_agent "$previous"; do sleep 0.5; done

while [ -d "$spool/jobs" ] && [ "$(cat "$pid_file" 2>/dev/null || true)" = "$$" ]; do
  for job in "$spool/jobs"/*.job; do
    [ -f "$job" ] || continue
    run_job "$job"
  done
  # Keep the log small: it only says what the delivery log says too.
  if [ "$(wc -c <"$relay_dir/agent.log" 2>/dev/null || echo 0)" -gt 1048576 ]; then : >"$relay_dir/agent.log"; fi
  wait_for_wake
done
log "Push agent $$ stopped"
