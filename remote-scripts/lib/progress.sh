# Progress lines beside the human output, parsed by src-main/core/remote/progress.ts:
#   ::helvetia:: step=<id> status=<running|done|skipped|failed>[ code=<CODE>] <message>
#   ::helvetia:: fact <key>=<value>
#   ::helvetia:: changed=<0|1>
#   ::helvetia:: hint <what to do about the failure>
# Sourced by the scripts; defines functions only, plus the EXIT trap that reports unexpected failures.

helvetia_current_step=''

helvetia_cr=$(printf '\r')

# One progress line; line breaks in values are flattened so they cannot forge another line (only then
# at the cost of a process: deploys print many lines, and processes are slow to start on a busy server).
progress_line() {
  case $* in
    *"$helvetia_cr"* | *'
'*) printf '::helvetia:: %s\n' "$(printf '%s' "$*" | tr '\r\n' '  ')" ;;
    *) printf '::helvetia:: %s\n' "$*" ;;
  esac
}

# step_running ID MESSAGE...; step_done, step_skipped: the same for a finished or unneeded step.
step_running() {
  helvetia_current_step=$1
  shift
  progress_line "step=$helvetia_current_step status=running $*"
}

step_done() {
  step_finished 'done' "$@"
}

step_skipped() {
  step_finished skipped "$@"
}

step_finished() {
  helvetia_current_step=''
  helvetia_step_status=$1
  helvetia_step_id=$2
  shift 2
  progress_line "step=$helvetia_step_id status=$helvetia_step_status $*"
}

fact() {
  progress_line "fact $1=$2"
}

changed() {
  progress_line "changed=$1"
}

# fail CODE MESSAGE [HINT]: the running step (or `arguments`, before any step) failed; exits 1.
fail() {
  progress_line "step=${helvetia_current_step:-arguments} status=failed code=$1 $2"
  if [ -n "${3-}" ]; then
    progress_line "hint $3"
  fi
  helvetia_current_step=''
  exit 1
}

# A command that fails under `set -e` still names the step it broke.
helvetia_on_exit() {
  helvetia_exit_code=$?
  if [ "$helvetia_exit_code" -ne 0 ] && [ -n "$helvetia_current_step" ]; then
    progress_line "step=$helvetia_current_step status=failed code=SCRIPT_FAILED Unexpected failure (exit code $helvetia_exit_code); see the log above"
  fi
}
trap helvetia_on_exit EXIT
