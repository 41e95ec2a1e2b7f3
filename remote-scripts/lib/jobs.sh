# Scheduled jobs of apps (core/processes/jobs.ts), on the server: each job of app A is the folder
# jobs_dir/NAME (`state`: name, cron, command, created_at; rendered to meta.json and copied to
# jobs_dir/NAME.json) with its runs, runs/ID (state, meta.json and the masked log), the newest
# JOB_KEEP_RUNS kept. The job agent (job-agent.sh) runs them on time, one agent per prefix.
# Sourced after lib/progress.sh, lib/rules.sh, lib/validate.sh, lib/deploy-common.sh and lib/agent.sh.
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

# ensure_job_agent PREFIX: the job agent of this prefix runs and has read the jobs (lib/agent.sh's
# ensure_agent). Sets agent_pid and agent_boot (crontab|none).
ensure_job_agent() {
  server_paths "$1"
  ensure_agent job-agent.sh "$1" "$jobs_agent_dir"
}

# now_ms: milliseconds since the epoch (whole seconds where date has no %N).
now_ms() {
  now_ms_value=$(date +%s%N)
  case $now_ms_value in
    *N) echo $((${now_ms_value%N} * 1000)) ;;
    *) echo $((now_ms_value / 1000000)) ;;
  esac
}
