# The lock that makes an app's deploys strictly serial: APP_DIR/lock, a symbolic link to the id of
# the deployment that has it. `ln -s` takes it: it creates the link with its content at once (no moment
# without a holder, no data to write on a full disk), and only one of any number of waiters.
#
# A holder that died leaves it behind, so a waiter breaks a lock whose holder is stale (see
# deployment_stale). Two waiters may judge the same lock stale at once, and the second must not remove
# the lock the first took after breaking it: only the waiter that creates the holder's marker
# APP_DIR/lock.broken/KEY (mkdir: one wins) breaks it, by one rename of the lock into the marker, and
# checks there that what it moved is the lock it judged. Markers stay a day: no judgement is that old.
# Sourced after lib/deploy-common.sh; uses $app_dir, $deployments_dir, $lock_dir and $id.
# shellcheck disable=SC2154 # set by the scripts that source this file

# lock_key [LOCK]: what identifies LOCK (default: the lock): its holder's id. Empty when there is none;
# `legacy-MTIME` for a folder with no valid id in it (the lock of earlier versions).
lock_key() {
  set -- "${1:-$lock_dir}"
  key_holder=$(readlink "$1" 2>/dev/null || cat "$1/id" 2>/dev/null || true)
  if matches "$key_holder" "$DEPLOYMENT_ID_PATTERN"; then
    printf '%s\n' "$key_holder"
  elif [ -d "$1" ]; then
    printf 'legacy-%s\n' "$(stat -c %Y "$1" 2>/dev/null || date +%s)"
  fi
}

# lock_stale KEY: the lock's holder will never release it: its deployment's process is gone or hangs
# (or, for an earlier version's lock with no id, it is older than 10 s).
lock_stale() {
  case $1 in
    '') return 1 ;;
    legacy-*) [ $(($(date +%s) - ${1#legacy-})) -gt 10 ] ;;
    *)
      stale_pid=$(cat "$deployments_dir/$1/pid" 2>/dev/null || true)
      if [ -n "$stale_pid" ] && kill -0 "$stale_pid" 2>/dev/null; then deployment_stale "$deployments_dir/$1"; fi
      ;;
  esac
}

# break_lock KEY: breaks the stale lock KEY, unless another waiter does (or did).
break_lock() {
  mkdir -p "$app_dir/lock.broken"
  find "$app_dir/lock.broken" -mindepth 1 -maxdepth 1 -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
  mkdir "$app_dir/lock.broken/$1" 2>/dev/null || return 0
  mv "$lock_dir" "$app_dir/lock.broken/$1/lock" 2>/dev/null || return 0
  moved=$(lock_key "$app_dir/lock.broken/$1/lock")
  # (An earlier version's lock folder is the same one whatever its time: the move may change it.)
  if [ "$moved" != "$1" ]; then
    case $1$moved in
      legacy-*legacy-*) ;;
      *)
        # Its holder was slow, not gone: it released the lock and another deploy took it meanwhile.
        [ -e "$lock_dir" ] || [ -L "$lock_dir" ] || mv "$app_dir/lock.broken/$1/lock" "$lock_dir"
        return 0
        ;;
    esac
  fi
  case $1 in legacy-*) ;; *) if deployment_stale "$deployments_dir/$1"; then mark_abandoned "$deployments_dir/$1" || true; fi ;; esac
  rm -rf "$app_dir/lock.broken/$1/lock"
}

# take_lock TRIES: takes the lock for deployment $id, polling 4 times a second; fails after TRIES polls.
take_lock() {
  lock_tries=0
  while :; do
    # Ownership is checked after taking: a lock broken meanwhile (this process hung) is not held.
    if ln -s "$id" "$lock_dir" 2>/dev/null && [ "$(lock_key)" = "$id" ]; then return 0; fi
    lock_holder=$(lock_key)
    if lock_stale "$lock_holder"; then
      break_lock "$lock_holder"
      continue
    fi
    lock_tries=$((lock_tries + 1))
    [ "$lock_tries" -le "$1" ] || return 1
    sleep 0.25
  done
}

# release_lock: gives the lock up if deployment $id holds it (one broken as stale is another's now).
release_lock() {
  [ "$(lock_key)" != "$id" ] || rm -f "$lock_dir"
}
