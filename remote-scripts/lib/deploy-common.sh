# What the deploy scripts share: their options, the app's folder on the server, the deployment record
# (a key=value state file rendered to meta.json), the lock that serializes an app's deploys, and the
# filter that masks secrets in everything written to a log.
# Sourced after lib/progress.sh and lib/validate.sh; defines functions and patterns only.
# shellcheck disable=SC2034 # the patterns and variables are used by the scripts that source this file

APP_PATTERN='[a-z]([a-z0-9-]{0,38}[a-z0-9])?'
DEPLOYMENT_ID_PATTERN='[0-9]{8}-[0-9]{6}-[0-9a-f]{4}'
SHA256_PATTERN='[0-9a-f]{64}'
COMMIT_PATTERN='[0-9a-f]{40}'
SECONDS_PATTERN='[0-9]{1,6}'
MEMORY_PATTERN='[1-9][0-9]{0,9}[kmg]?'
CPUS_PATTERN='[0-9]{1,3}(\.[0-9]{1,2})?'
RESTART_PATTERN='no|always|unless-stopped|on-failure(:[1-9][0-9]{0,2})?'
HEALTH_PATH_PATTERN='/[A-Za-z0-9._~/%?&=+:@!$,;*-]{0,200}'
HOST_PATTERN='[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?'
TRIGGER_PATTERN='[a-z][a-z0-9-]{0,31}'
DOCKERFILE_PATTERN='[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*'
GIT_URL_PATTERN='[A-Za-z0-9@_~:/+][A-Za-z0-9@._~:/+-]{0,500}'

# The mask printed in place of a secret; the same as DEFAULT_MASK in src-main/core/logs/secret-masker.ts.
MASK='••••••'

# app_paths PREFIX APP: sets app_dir and the paths inside it.
# Reads `--name value` pairs into the variables of those names (dashes become underscores; the
# caller sets their defaults first); any other argument is refused. The names come from the calling
# script only, and values are assigned, never evaluated: parse_options 'prefix app id' "$@"
parse_options() {
  allowed=" $1 "
  shift
  while [ "$#" -gt 0 ]; do
    [ "$#" -ge 2 ] || fail INVALID_ARGUMENT "$1 needs a value"
    name=${1#--}
    case $1 in --*) ;; *) name='' ;; esac
    case $allowed in
      *" $name "*) [ -n "$name" ] || fail INVALID_ARGUMENT "Unknown argument: $1" ;;
      *) fail INVALID_ARGUMENT "Unknown argument: $1" ;;
    esac
    eval "$(printf '%s' "$name" | tr - _)=\$2"
    shift 2
  done
}

app_paths() {
  app_dir=$HOME/.$1/apps/$2
  deployments_dir=$app_dir/deployments
  lock_dir=$app_dir/lock
}

now_utc() {
  date -u +%Y-%m-%dT%H:%M:%SZ
}

# mask_filter PATTERNS-FILE: copies standard input to standard output line by line, with every
# occurrence of every line of PATTERNS-FILE (the forms a secret may take, one per line) replaced by
# $MASK; overlapping and touching occurrences become one mask. Each line is flushed at once, so a log
# written through it stays live. Byte-based (LC_ALL=C), like the patterns.
mask_filter() {
  # mawk reads a pipe in blocks unless told to read line by line.
  mask_patterns=$1
  if awk -W version 2>/dev/null | grep -q mawk; then set -- -W interactive; else set --; fi
  LC_ALL=C awk "$@" -v patterns="$mask_patterns" -v mask="$MASK" '
    BEGIN {
      n = 0
      while ((getline p < patterns) > 0) if (length(p) > 0) pattern[++n] = p
      close(patterns)
    }
    {
      line = $0
      len = length(line)
      split("", covered)
      for (i = 1; i <= n; i++) {
        p = pattern[i]
        from = 1
        while (from <= len && (k = index(substr(line, from), p)) > 0) {
          start = from + k - 1
          for (j = start; j < start + length(p); j++) covered[j] = 1
          from = start + 1
        }
      }
      out = ""
      for (j = 1; j <= len; j++) {
        if (j in covered) {
          if (!((j - 1) in covered)) out = out mask
        } else out = out substr(line, j, 1)
      }
      print out
      fflush()
    }'
}

# --- the deployment record ----------------------------------------------------------------------
# state_set DIR KEY VALUE [KEY VALUE]...: sets each KEY in DIR/state (one key=value a line; line breaks
# flattened) and renders DIR/meta.json from it. Both are replaced atomically.
state_set() {
  state_dir=$1
  shift
  touch "$state_dir/state"
  cp "$state_dir/state" "$state_dir/state.$$"
  while [ "$#" -ge 2 ]; do
    state_value=$(printf '%s' "$2" | tr '\r\n' '  ')
    { grep -v "^$1=" "$state_dir/state.$$" || true; printf '%s=%s\n' "$1" "$state_value"; } >"$state_dir/state.$$.next"
    mv -f "$state_dir/state.$$.next" "$state_dir/state.$$"
    shift 2
  done
  mv -f "$state_dir/state.$$" "$state_dir/state"
  render_meta "$state_dir"
}

state_get() {
  sed -n "s/^$2=//p" "$1/state" 2>/dev/null | tail -n 1
}

# render_meta DIR: DIR/meta.json from DIR/state (every value a JSON string) and DIR/last-lines.
render_meta() {
  LC_ALL=C awk -v last_lines="$1/last-lines" '
    function esc(s,   out, i, c) {
      out = ""
      for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "\\" || c == "\"") out = out "\\" c
        else if (c == "\n") out = out "\\n"
        else if (c == "\t") out = out "\\t"
        else if (c < " ") out = out " "
        else out = out c
      }
      return "\"" out "\""
    }
    {
      eq = index($0, "=")
      if (eq < 2) next
      key = substr($0, 1, eq - 1)
      if (!(key in value)) order[++n] = key
      value[key] = substr($0, eq + 1)
    }
    END {
      out = "{"
      for (i = 1; i <= n; i++) out = out (i > 1 ? "," : "") esc(order[i]) ":" esc(value[order[i]])
      text = ""
      while ((getline line < last_lines) > 0) text = text (text == "" ? "" : "\n") line
      if (text != "") out = out ",\"lastLines\":" esc(text)
      print out "}"
    }' "$1/state" >"$1/meta.json.$$"
  mv -f "$1/meta.json.$$" "$1/meta.json"
}

# --- liveness -----------------------------------------------------------------------------------
# A running deployment whose supervisor is gone, or whose heartbeat stopped (HEARTBEAT_STALE_SECONDS),
# will never finish: deployment_stale DIR tells.
HEARTBEAT_STALE_SECONDS=30

deployment_stale() {
  [ "$(state_get "$1" status)" = running ] || [ "$(state_get "$1" status)" = queued ] || return 1
  stale_pid=$(cat "$1/pid" 2>/dev/null || true)
  if [ -z "$stale_pid" ] || ! kill -0 "$stale_pid" 2>/dev/null; then return 0; fi
  [ -f "$1/heartbeat" ] || return 1
  [ $(($(date +%s) - $(stat -c %Y "$1/heartbeat"))) -gt "$HEARTBEAT_STALE_SECONDS" ]
}

# mark_abandoned DIR: records a stale deployment as failed.
mark_abandoned() {
  state_set "$1" error_code DEPLOY_ABANDONED \
    error_message 'The deploy stopped without finishing (its process ended or hung); nothing was switched by it' \
    finished_at "$(now_utc)" status failed
}
