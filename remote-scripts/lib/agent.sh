# The agents that run on a server by themselves, with no desktop connected: the backup agent
# (backup-agent.sh) and the job agent (job-agent.sh), one of each per prefix. Each keeps agent.pid,
# agent.log and the FIFO agent.wake in a folder of its own. Sourced after lib/progress.sh; defines
# functions only.
# shellcheck disable=SC2034,SC2154 # sets agent_pid and agent_boot; here: the calling script's folder

# ensure_agent SCRIPT PREFIX DIR: the agent SCRIPT of PREFIX runs from these scripts ($here) and is woken
# to read its work again; started detached (its own session, no descriptor of this SSH session) when
# none runs or an older one does (the new one takes over). The user's crontab starts it at boot where
# crontab exists. Sets agent_pid and agent_boot (crontab|none).
ensure_agent() {
  agent_pid_file=$3/agent.pid agent_log=$3/agent.log
  mkdir -p "$3"
  agent_pid=$(cat "$agent_pid_file" 2>/dev/null || true)
  if [ -n "$agent_pid" ] && grep -qF "$here/$1" "/proc/$agent_pid/cmdline" 2>/dev/null; then
    wake_agent "$3"
  else
    setsid sh "$here/$1" --prefix "$2" </dev/null >>"$agent_log" 2>&1 &
    agent_pid=$!
    agent_tries=0
    # It has taken over once its pid file names it.
    until [ "$(cat "$agent_pid_file" 2>/dev/null || true)" = "$agent_pid" ]; do
      agent_tries=$((agent_tries + 1))
      if ! kill -0 "$agent_pid" 2>/dev/null || [ "$agent_tries" -gt 100 ]; then
        fail AGENT_FAILED "The agent $1 did not start" "See $agent_log on the server."
      fi
      sleep 0.1
    done
  fi
  agent_boot='none'
  if command -v crontab >/dev/null 2>&1; then
    agent_marker="# helvetia-${1%.sh} $2"
    agent_line="@reboot sh \"$here/$1\" --prefix $2 >>\"$agent_log\" 2>&1 $agent_marker"
    if { crontab -l 2>/dev/null | grep -vF "$agent_marker" || true; printf '%s\n' "$agent_line"; } | crontab -; then
      agent_boot='crontab'
    fi
  fi
}

# wake_agent DIR: a byte on the agent's FIFO ends its wait. Never blocks: the FIFO is opened
# read-write, and one not there (no agent ever ran) is left alone.
wake_agent() {
  if [ -p "$1/agent.wake" ]; then printf x 2>/dev/null 1<>"$1/agent.wake" || true; fi
}
