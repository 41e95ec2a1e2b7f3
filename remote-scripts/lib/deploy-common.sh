# What the deploy scripts share: their options, the app's folder on the server, the deployment record
# (a key=value state file rendered to meta.json) and the lock that serializes an app's deploys.
# The app's paths come from app_paths (lib/rules.sh). Sourced after lib/progress.sh, lib/rules.sh and
# lib/validate.sh; defines functions only.
# shellcheck disable=SC2034 # the variables are used by the scripts that source this file

# Reads `--name value` pairs into the variables of those names (dashes become underscores; the
# caller sets their defaults first); any other argument is refused. The names come from the calling
# script only, and values are assigned, never evaluated: parse_options 'prefix app id' "$@"
parse_options() {
  allowed=" $1 "
  shift
  while [ "$#" -gt 0 ]; do
    [ "$#" -ge 2 ] || fail INVALID_ARGUMENT "$1 needs a value"
    name=${1#--}
    # Only `--name` with a name of lowercase words: anything else (a space, a quote, `=`) would reach eval.
    case $1 in --[a-z]*) ;; *) fail INVALID_ARGUMENT "Unknown argument: $1" ;; esac
    case $name in *[!a-z-]*) fail INVALID_ARGUMENT "Unknown argument: $1" ;; esac
    case $allowed in
      *" $name "*) ;;
      *) fail INVALID_ARGUMENT "Unknown argument: $1" ;;
    esac
    # Dashes become underscores without a process: the names are the caller's, so few and short.
    variable=''
    while :; do
      case $name in
        *-*) variable=$variable${name%%-*}_ name=${name#*-} ;;
        *) break ;;
      esac
    done
    eval "$variable$name=\$2"
    shift 2
  done
}

# lock_source: holds the app's source lock (source.lock) until the calling script ends: uploads change
# ~/.P/apps/A/source under it, and deploy-start.sh snapshots it under it. flock, so a lock whose holder
# died is free again.
# shellcheck disable=SC2154 # app_paths (lib/rules.sh) sets the paths
lock_source() {
  exec 9>"$source_lock"
  flock -w 600 9 || fail DEPLOY_BUSY "Another upload of ${app_dir##*/} still holds its source after 600s" 'Deploy again.'
}

now_utc() {
  date -u +%Y-%m-%dT%H:%M:%SZ
}

# --- the deployment record ----------------------------------------------------------------------
# state_set DIR KEY VALUE [KEY VALUE]...: sets each KEY in DIR/state (one key=value a line; line breaks
# flattened) and renders DIR/meta.json from it (every value a JSON string, plus DIR/last-lines). Both
# are written beside the old ones and renamed over them only when written whole, so a failed write (a
# full disk) leaves the old record as it was and returns non-zero. One awk does it all: on a busy
# server a deploy mostly waits for processes to start, so the record costs three.
state_set() {
  LC_ALL=C awk -v tmp="$$" '
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
    BEGIN {
      dir = ARGV[1]
      for (i = 2; i + 1 < ARGC; i += 2) {
        v = ARGV[i + 1]
        gsub(/[\r\n]/, " ", v)
        if (!(ARGV[i] in update)) changed[++c] = ARGV[i]
        update[ARGV[i]] = v
      }
      while ((getline line < (dir "/state")) > 0) {
        eq = index(line, "=")
        if (eq > 1 && (substr(line, 1, eq - 1) in update)) continue
        lines[++n] = line
      }
      close(dir "/state")
      for (i = 1; i <= c; i++) lines[++n] = changed[i] "=" update[changed[i]]
      meta = "{"
      for (i = 1; i <= n; i++) {
        print lines[i] > (dir "/state." tmp)
        eq = index(lines[i], "=")
        if (eq < 2) continue
        meta = meta (meta == "{" ? "" : ",") esc(substr(lines[i], 1, eq - 1)) ":" esc(substr(lines[i], eq + 1))
      }
      close(dir "/state." tmp)
      text = ""
      while ((getline line < (dir "/last-lines")) > 0) text = text (text == "" ? "" : "\n") line
      if (text != "") meta = meta ",\"lastLines\":" esc(text)
      print meta "}" > (dir "/meta.json." tmp)
      # mawk and gawk exit non-zero when a file cannot be written whole; busybox awk does not, hence -s.
      if (close(dir "/meta.json." tmp) != 0) exit 1
    }' "$@" && [ -s "$1/state.$$" ] && [ -s "$1/meta.json.$$" ] &&
    mv -f "$1/state.$$" "$1/state" && mv -f "$1/meta.json.$$" "$1/meta.json" && return
  rm -f "$1/state.$$" "$1/meta.json.$$"
  return 1
}

state_get() {
  sed -n "s/^$2=//p" "$1/state" 2>/dev/null | tail -n 1
}

# --- liveness -----------------------------------------------------------------------------------
# A deployment not finished (queued, running, or no status at all: a record a full disk broke before
# writes became atomic) whose supervisor is gone, or whose heartbeat stopped
# (HEARTBEAT_STALE_SECONDS), will never finish: deployment_stale DIR tells.
HEARTBEAT_STALE_SECONDS=30

deployment_stale() {
  case $(state_get "$1" status) in running | queued | '') ;; *) return 1 ;; esac
  stale_pid=$(cat "$1/pid" 2>/dev/null || true)
  if [ -z "$stale_pid" ] || ! kill -0 "$stale_pid" 2>/dev/null; then return 0; fi
  [ -f "$1/heartbeat" ] || return 1
  [ $(($(date +%s) - $(stat -c %Y "$1/heartbeat"))) -gt "$HEARTBEAT_STALE_SECONDS" ]
}

# mark_abandoned DIR: records a stale deployment as finished: succeeded when it is its app's current one
# (it went live, and only the record of that could not be written: a full disk), else failed.
mark_abandoned() {
  if [ "$(cat "${1%/deployments/*}/current" 2>/dev/null || true)" = "${1##*/}" ]; then
    state_set "$1" finished_at "$(now_utc)" status succeeded
  else
    state_set "$1" error_code DEPLOY_ABANDONED \
      error_message 'The deploy stopped without finishing (its process ended or hung); nothing was switched by it' \
      finished_at "$(now_utc)" status failed
  fi
}

# RECORD_HINT: what to do when a record cannot be written.
RECORD_HINT="Free space on the server's disk (df -h ~), then try again."
