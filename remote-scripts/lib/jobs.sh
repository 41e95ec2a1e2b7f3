# Scheduled jobs of apps (core/processes/jobs.ts), on the server: each job of app A is the folder
# jobs_dir/NAME (`state`: name, cron, command, created_at; rendered to meta.json and copied to
# jobs_dir/NAME.json) with its runs, runs/ID (state, meta.json and the masked log), the newest
# JOB_KEEP_RUNS kept. The job agent (job-agent.sh) runs them on time, one agent per prefix.
# Sourced after lib/progress.sh, lib/rules.sh, lib/validate.sh and lib/deploy-common.sh.
# shellcheck disable=SC2034,SC2154 # sets and uses the variables of the scripts that source this file

JOB_KEEP_RUNS=20

# job_paths PREFIX APP JOB: checks the three, then sets app_paths' variables, job_dir and runs_dir.
job_paths() {
  require prefix "$1" "$PREFIX_PATTERN"
  require app "$2" "$APP_PATTERN"
  require job "$3" "$JOB_NAME_PATTERN" 'lowercase letters, digits and dashes (at most 40)'
  app_paths "$1" "$2"
  job_dir=$jobs_dir/$3
  runs_dir=$job_dir/runs
}

# job_agent_paths PREFIX: the agent's pid file, log and wake FIFO.
job_agent_paths() {
  server_paths "$1"
  agent_pid_file=$jobs_agent_dir/agent.pid agent_log=$jobs_agent_dir/agent.log agent_wake=$jobs_agent_dir/agent.wake
}

# ensure_job_agent PREFIX: the job agent of this prefix runs from these scripts ($here) and is woken to
# read the jobs again; started detached (its own session, no descriptor of this SSH session) when none
# runs or an older one does (the new one takes over). The user's crontab starts it at boot where
# crontab exists. Sets agent_pid and agent_boot (crontab|none).
ensure_job_agent() {
  job_agent_paths "$1"
  mkdir -p "$jobs_agent_dir"
  agent_pid=$(cat "$agent_pid_file" 2>/dev/null || true)
  if [ -n "$agent_pid" ] && grep -qF "$here/job-agent.sh" "/proc/$agent_pid/cmdline" 2>/dev/null; then
    [ ! -p "$agent_wake" ] || printf x 2>/dev/null 1<>"$agent_wake" || true
  else
    setsid sh "$here/job-agent.sh" --prefix "$1" </dev/null >>"$agent_log" 2>&1 &
    agent_pid=$!
    agent_tries=0
    # It has taken over once its pid file names it.
    until [ "$(cat "$agent_pid_file" 2>/dev/null || true)" = "$agent_pid" ]; do
      agent_tries=$((agent_tries + 1))
      if ! kill -0 "$agent_pid" 2>/dev/null || [ "$agent_tries" -gt 100 ]; then
        fail AGENT_FAILED 'The job agent did not start' "See $agent_log on the server."
      fi
      sleep 0.1
    done
  fi
  agent_boot='none'
  if command -v crontab >/dev/null 2>&1; then
    agent_marker="# helvetia-job-agent $1"
    agent_line="@reboot sh \"$here/job-agent.sh\" --prefix $1 >>\"$agent_log\" 2>&1 $agent_marker"
    if { crontab -l 2>/dev/null | grep -vF "$agent_marker" || true; printf '%s\n' "$agent_line"; } | crontab -; then
      agent_boot='crontab'
    fi
  fi
}

# now_ms: milliseconds since the epoch (whole seconds where date has no %N).
now_ms() {
  now_ms_value=$(date +%s%N)
  case $now_ms_value in
    *N) echo $((${now_ms_value%N} * 1000)) ;;
    *) echo $((now_ms_value / 1000000)) ;;
  esac
}
