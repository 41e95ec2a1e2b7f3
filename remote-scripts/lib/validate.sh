# Input validation: every argument is checked against one of these patterns before it is used.
# The patterns are extended regular expressions that src-main/core/proxy/validation.ts shares
# (a unit test keeps both copies equal); IPv6 is checked strictly there and loosely here.
# shellcheck disable=SC2034 # the patterns are used by the scripts that source this file

IMAGE_PATTERN='([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]+)?/)?[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?'
PORT_PATTERN='[1-9][0-9]{0,4}'
IPV4_PATTERN='((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])'
IPV6_PATTERN='[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*'
PREFIX_PATTERN='[a-z][a-z0-9-]{0,30}'

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
