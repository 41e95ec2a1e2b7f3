#!/usr/bin/env bash
# shellcheck disable=SC2317 # shellcheck 0.9 takes functions run from the EXIT trap for unreachable
# What `npm test` runs: all tests (test/unit, test/integration, test/ui) in ONE node test runner
# invocation, with the disposable test server (test/server/up.sh) up for the integration and UI
# tests, inside a D-Bus session with an unlocked gnome-keyring (for keytar).
#
#   npm test                                   everything
#   npm test -- test/unit/foo.test.ts          only that file (also: a folder, several paths)
#   npm test -- --test-name-pattern=deploy     node test runner flags (use the --flag=value form)
#
# The server is started only when root (it needs apt, a user, sshd and dockerd) and only when an
# integration or UI test is selected. When it cannot start, those tests skip with the reason in
# HELVETIA_TEST_SERVER_UNAVAILABLE; under CI=true that is a failure (exit 1).
# If this run brought the server up, the last run still using it tears it down at exit with
# test/server/down.sh (images, user and keys are kept for speed); HELVETIA_TEST_KEEP_SERVER=1
# leaves it running. A server brought up by hand (bash test/server/up.sh) is used and left up.
# Logs: $HELVETIA_TEST_STATE/{up,down}.log.
# Test files run side by side, HELVETIA_TEST_CONCURRENCY at a time (default 3: most of a test's time
# is waiting on sshd and Docker, not the CPU). Each file names what it creates on the server with a
# prefix of its own (random ones; CLI_PREFIX, UI_PREFIX), so files share no server state; the files
# that restart the server's sshd run after the others, alone.
# HELVETIA_TEST_TIMEOUT_MS sets the per-test timeout (default 900000: a UI test file that deploys
# several times on a busy 2-core machine takes minutes; the timeout only stops a hung run).
# Exits with the node test runner's exit code.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
export HELVETIA_TEST_STATE=${HELVETIA_TEST_STATE:-/tmp/helvetia-test-server}
STATE=$HELVETIA_TEST_STATE
# The UI tests first, then the integration tests, then the unit tests: the longest files start first,
# so that the short ones fill the gaps at the end instead of one long file running on alone.
TEST_DIRS=(test/ui test/integration test/unit)

say() { printf 'test/run.sh: %s\n' "$*"; }

find_tests() {
  find "$@" -type f -name '*.test.ts' 2>/dev/null | LC_ALL=C sort
}

# --- arguments: paths select tests, everything else goes to node ------------------------------
node_flags=()
files=()
for arg in "$@"; do
  if [[ $arg != -* && -d $arg ]]; then
    mapfile -t -O "${#files[@]}" files < <(find_tests "$arg")
  elif [[ $arg != -* && -e $arg ]]; then
    files+=("$arg")
  elif [[ $arg == -* ]]; then
    node_flags+=("$arg")
  else
    say "no such test file or folder: $arg"
    exit 2
  fi
done
if ((${#files[@]} == 0)); then
  if (($# > ${#node_flags[@]})); then
    say "no *.test.ts files in: $*"
    exit 2
  fi
  for dir in "${TEST_DIRS[@]}"; do mapfile -t -O "${#files[@]}" files < <(find_tests "$dir"); done
fi
if ((${#files[@]} == 0)); then
  say "no test files found under ${TEST_DIRS[*]}"
  exit 1
fi

need_server=0
for f in "${files[@]}"; do
  case ${f#./} in
    test/unit/*) ;;
    *) need_server=1 ;;
  esac
done

# --- the test server ---------------------------------------------------------------------------
# Several test runs may share the server (two terminals, two sessions on one machine). Each run
# registers in $STATE/users/ before up.sh, and only the last one to leave runs down.sh. Both steps
# hold $STATE/run.lock, which no child may inherit (8>&-), so they never interleave.
reason=""
server_started=0
USERS_DIR=$STATE/users

run_lock() {
  exec 8>"$STATE/run.lock"
  flock -w 900 8
}
run_unlock() { exec 8>&-; }

# Prints the registered test runs that are still alive.
live_users() {
  local f pid
  for f in "$USERS_DIR"/*; do
    [[ -e $f ]] || continue
    pid=${f##*/}
    if [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'run\.sh'; then
      printf '%s\n' "$pid"
    else
      rm -f "$f"
    fi
  done
}

teardown() {
  if ((server_started)); then
    run_lock || say "waited 900s for $STATE/run.lock; tearing down anyway"
    rm -f "$USERS_DIR/$$"
    if [[ ! -e $STATE/owned-by-test-runs ]]; then
      : # brought up by hand (test/server/up.sh): it stays up until test/server/down.sh
    elif [[ ${HELVETIA_TEST_KEEP_SERVER:-} == 1 ]]; then
      say "test server left running (HELVETIA_TEST_KEEP_SERVER=1); stop it with test/server/down.sh"
    elif [[ -n $(live_users) ]]; then
      say "test server left running: other test runs use it ($(live_users | tr '\n' ' '))"
    elif ! bash test/server/down.sh >"$STATE/down.log" 2>&1 8>&-; then
      say "test server teardown failed (see $STATE/down.log)"
    fi
    run_unlock
  fi
  [[ -z ${keyring_dir:-} ]] || rm -rf "$keyring_dir"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ((need_server)); then
  if [[ $(id -u) -ne 0 ]]; then
    reason="not root: integration and UI tests need root to start the test server"
  elif ! command -v apt-get >/dev/null; then
    reason="apt-get unavailable: the test server needs Debian's packages"
  else
    install -d -m 700 "$STATE" "$USERS_DIR"
    say "starting the test server (log: $STATE/up.log)"
    started_at=$SECONDS
    server_started=1
    if ! run_lock; then
      reason="test server did not start: another test run held $STATE/run.lock for 900s"
    else
      : >"$USERS_DIR/$$"
      uplog=$STATE/up-$$.log
      if HELVETIA_TEST_UP_BY_RUN=1 bash test/server/up.sh >"$uplog" 2>&1 8>&-; then
        say "test server up in $((SECONDS - started_at))s"
      else
        reason=$(sed -n 's/^[a-z-]*\.sh: error: //p' "$uplog" | head -n 1)
        reason="test server did not start: ${reason:-up.sh failed} (see $STATE/up.log)"
      fi
      mv -f "$uplog" "$STATE/up.log"
      run_unlock
    fi
    if [[ -n $reason ]]; then
      say "$reason"
      tail -n 20 "$STATE/up.log" 2>/dev/null | sed 's/^/  | /'
    fi
  fi
fi

if [[ -n $reason ]]; then
  export HELVETIA_TEST_SERVER_UNAVAILABLE=$reason
  # Never let stale facts from an earlier server reach the tests.
  while IFS='=' read -r name _; do
    case $name in HELVETIA_TEST_SSH* | HELVETIA_TEST_IMAGE_*) unset "$name" ;; esac
  done < <(env)
  if [[ ${CI:-} == true ]]; then
    say "CI=true and the test server is unavailable: $reason"
    exit 1
  fi
elif ((server_started)); then
  unset HELVETIA_TEST_SERVER_UNAVAILABLE
  # shellcheck source=/dev/null
  . "$STATE/env"
fi

# --- the node test runner ----------------------------------------------------------------------
# The tests run the `helvetia` command as users do, from its bundle: built when a source changed since.
if ! node src-main/tooling/build-cli.mjs --if-stale; then
  say "building the CLI (src-main/tooling/build-cli.mjs) failed"
  exit 1
fi
# A file that restarts the test server's sshd cuts every other file's connections, and a file that
# says `test-run: alone` times its faults to points of a deploy: such files run after the others,
# one at a time.
together=()
alone=()
for f in "${files[@]}"; do
  if grep -qE 'restartSshd\(|test-run: alone' "$f"; then alone+=("$f"); else together+=("$f"); fi
done
node_cmd=(
  node --import tsx --test
  --test-reporter=spec
  "--test-timeout=${HELVETIA_TEST_TIMEOUT_MS:-900000}"
  "${node_flags[@]}"
)
keyring_dir=""
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  # A fresh, unlocked login keyring per run (password "helvetia"), kept out of $HOME.
  keyring_dir=$(mktemp -d /tmp/helvetia-test-keyring.XXXXXX)
  install -d -m 700 "$keyring_dir/data" "$keyring_dir/run"
  # dbus-daemon warns on every start that it cannot raise its fd limit: keep that out of the output.
  printf '#!/bin/sh\nexec dbus-daemon "$@" 2>/dev/null\n' >"$keyring_dir/dbus-daemon"
  chmod 755 "$keyring_dir/dbus-daemon"
else
  say "dbus-run-session or gnome-keyring-daemon missing: tests that use the OS keychain will fail"
fi

# with_keyring CMD...: runs CMD inside a D-Bus session with the run's keyring unlocked (when there is one).
with_keyring() {
  if [[ -z $keyring_dir ]]; then
    "$@"
    return
  fi
  # shellcheck disable=SC2016 # expanded by the inner sh
  dbus-run-session --dbus-daemon="$keyring_dir/dbus-daemon" -- sh -c '
    printf helvetia | XDG_DATA_HOME="$1/data" XDG_RUNTIME_DIR="$1/run" \
      gnome-keyring-daemon --unlock --components=secrets >/dev/null
    shift
    exec "$@"
  ' sh "$keyring_dir" "$@"
}

rc=0
if ((${#together[@]})); then
  with_keyring "${node_cmd[@]}" "--test-concurrency=${HELVETIA_TEST_CONCURRENCY:-3}" "${together[@]}" || rc=$?
fi
if ((${#alone[@]})); then
  with_keyring "${node_cmd[@]}" --test-concurrency=1 "${alone[@]}" || {
    alone_rc=$?
    ((rc)) || rc=$alone_rc
  }
fi

# --- one summary line --------------------------------------------------------------------------
if [[ -n $reason ]]; then
  say "integration and UI tests skipped: $reason"
elif ((server_started)); then
  say "integration and UI tests ran against the test server (ssh ${HELVETIA_TEST_SSH_USER:-?}@127.0.0.1:${HELVETIA_TEST_SSH_PORT:-?}); node exit code $rc"
else
  say "only unit tests selected: test server not started; node exit code $rc"
fi
exit "$rc"
