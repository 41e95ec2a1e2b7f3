#!/bin/sh
# Appends the public key on standard input (one authorized_keys line, checked by the caller) to
# ~/.ssh/authorized_keys unless a line there already holds the key BLOB, creating ~/.ssh (700) and the
# file (600) when missing and leaving existing ones as they are. Fact `outcome`: added or present.
#
# Usage: authorize-key.sh --blob BASE64  < key line
# shellcheck source-path=SCRIPTDIR
set -eu
here=$(dirname "$0")
# shellcheck source=lib/progress.sh
. "$here/lib/progress.sh"
# shellcheck source=lib/rules.sh
. "$here/lib/rules.sh"
# shellcheck source=lib/validate.sh
. "$here/lib/validate.sh"
# shellcheck source=lib/deploy-common.sh
. "$here/lib/deploy-common.sh"

blob=''
parse_options 'blob' "$@"
require 'key' "$blob" '[A-Za-z0-9+/]{16,}={0,2}'
line=$(cat)
matches "$line" '[a-z0-9@.-]+ [A-Za-z0-9+/]+={0,2}( [ -~]+)?' || fail PUBLIC_KEY_INVALID 'That is not one OpenSSH public key line'
case "$line " in
  *" $blob "*) ;;
  *) fail PUBLIC_KEY_INVALID 'The key line does not hold the key given' ;;
esac

cannot() {
  fail KEY_INSTALL_FAILED 'The key could not be added to ~/.ssh/authorized_keys' \
    "Check that the user's home directory and ~/.ssh on the server belong to that user and are writable."
}
# umask 077 makes what is created private, as sshd's StrictModes wants.
umask 077
d=$HOME/.ssh f=$HOME/.ssh/authorized_keys
[ -d "$d" ] || mkdir "$d" || cannot
[ -f "$f" ] || : >"$f" || cannot
if grep -qF -e "$blob" "$f"; then
  fact outcome present
  exit 0
fi
# A file not ending in a newline gets one first, so the key never joins the last line.
if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then echo >>"$f" || cannot; fi
printf '%s\n' "$line" >>"$f" || cannot
fact outcome added
