# Input validation: every argument is checked against one of the patterns of lib/rules.sh (generated
# from src-main/core/rules/patterns.ts) before it is used. Sourced after lib/progress.sh and
# lib/rules.sh; defines functions only.

# matches VALUE PATTERN: VALUE is one line and matches PATTERN as a whole.
matches() {
  case $1 in
    *'
'*) return 1 ;;
  esac
  # A here-document, not a pipe: one process fewer, and there are many checks.
  grep -Eqx -e "$2" <<EOF
$1
EOF
}

# require NAME VALUE PATTERN [EXPECTED]: fails with INVALID_OPTION unless VALUE matches.
require() {
  matches "$2" "$3" || fail INVALID_OPTION "Invalid $1: \"$2\"" "Expected ${4:-a value matching $3}."
}

require_port() {
  require "$1" "$2" "$PORT_PATTERN" 'a port number from 1 to 65535'
  [ "$2" -le 65535 ] || fail INVALID_OPTION "Invalid $1: \"$2\"" 'Expected a port number from 1 to 65535.'
}
