# Git sources: the URL forms accepted (the same rules as src-main/core/source/git-source.ts), the
# host keys shipped for GitHub, and the ssh that git runs for a fetch: host keys checked strictly
# (never accepted on first sight), the app's deploy key only when it has one.
# Sourced after lib/progress.sh, lib/rules.sh, lib/validate.sh and lib/deploy-common.sh; defines
# functions only.

# require_git_url URL: https://, ssh://, scp-like user@host:path, file:/// or an absolute path on
# this server. Anything else (git's other transports, remote helpers such as ext::) is refused.
require_git_url() {
  require 'git URL' "$1" "$GIT_URL_PATTERN" 'an https://, ssh:// or user@host:path URL'
  case $1 in
    https://?*/?* | ssh://?*/?* | file:///?* | /?*) ;;
    *://* | *::*) fail INVALID_OPTION "Invalid git URL: \"$1\"" 'Use an https://, ssh:// or user@host:path URL.' ;;
    ?*:[!:]*) ;;
    *) fail INVALID_OPTION "Invalid git URL: \"$1\"" 'Use an https://, ssh:// or user@host:path URL.' ;;
  esac
}

require_branch() {
  require branch "$1" "$BRANCH_PATTERN" 'a branch name'
  git check-ref-format "refs/heads/$1" || fail INVALID_OPTION "Invalid branch: \"$1\"" 'Expected a branch name.'
}

# git_ssh_host URL: sets git_host and git_port for an SSH URL; returns 1 for any other kind.
git_ssh_host() {
  case $1 in
    https://* | file://* | /*) return 1 ;;
    ssh://*)
      git_host=${1#ssh://}
      git_host=${git_host%%/*}
      git_host=${git_host#*@}
      git_port=22
      case $git_host in *:*)
        git_port=${git_host#*:}
        git_host=${git_host%%:*}
        ;;
      esac
      ;;
    *)
      git_host=${1%%:*}
      git_host=${git_host#*@}
      git_port=22
      ;;
  esac
}

# GitHub's published SSH host keys ("GitHub's SSH key fingerprints" in GitHub's docs, and the
# ssh_keys of api.github.com/meta); test/unit/git-source.test.ts checks them against the published
# fingerprints.
github_known_hosts() {
  cat <<'EOF'
github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
github.com ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=
github.com ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCj7ndNxQowgcQnjshcLrqPEiiphnt+VTTvDP6mHBL9j1aNUkY4Ue1gvwnGLVlOhGeYrnZaMgRK6+PKCUXaDbC7qtbW8gIkhL7aGCsOr/C56SJMy/BCZfxd1nWzAOxSDPgVsmerOBYfNqltV9/hWCqBywINIR+5dIg6JTJ72pcEpEjcYgXkE2YEFXV1JHnsKgbLWNlhScqb2UmyRkQyytRLtL+38TGxkxCflmO+5Z8CSSNY7GidjMIZ7Q4zMjA2n1nGrlTDkzwDCsw+wqFPGQA179cnfGWOWRVruj16z6XyvxvjJwbz0wQZ75XK5tKSb7FNyeIEs4TT4jk+S4dhPeAUC5y+bDYirYgM4GC7uEnztnZyaVWQ7B381AK4Qdrwt51ZqExKbQpTUNn+EjqoTwvqNj4kqx5QUCI0ThS/YkOxJCXmPUWZbhjpCg56i+2aB6CmK2JGhn57K5mj0MNdBXA4/WnwH6XoPWJzK5Nyu2zB3nAZp+S5hpQs+p1vN1/wsjk=
EOF
}

# git_environment URL WORKDIR [KEYFILE]: exports what every git command of a fetch needs. Only these
# transports; no prompt ever waits for a password; ssh with strict host keys: GitHub's shipped keys
# for github.com, the user's ~/.ssh/known_hosts (and the system's) for any other host. WORKDIR is a
# private folder of the caller (it holds the shipped known_hosts); KEYFILE the deploy key.
git_environment() {
  GIT_ALLOW_PROTOCOL=file:https:ssh
  GIT_TERMINAL_PROMPT=0
  export GIT_ALLOW_PROTOCOL GIT_TERMINAL_PROMPT
  git_ssh='ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=20'
  if git_ssh_host "$1" && [ "$git_host" = github.com ]; then
    github_known_hosts >"$2/github_known_hosts"
    git_ssh="$git_ssh -o UserKnownHostsFile=$2/github_known_hosts -o GlobalKnownHostsFile=/dev/null"
  fi
  [ -z "${3-}" ] || git_ssh="$git_ssh -o IdentitiesOnly=yes -i $3"
  GIT_SSH_COMMAND=$git_ssh
  export GIT_SSH_COMMAND
}

# git_fail URL ERRORS-FILE: fails with what git's error output says went wrong.
git_fail() {
  errors=$(tr '\r' '\n' <"$2" | grep -v '^[[:space:]]*$' || true)
  last=$(printf '%s\n' "$errors" | tail -n 1)
  if printf '%s' "$errors" | grep -q 'REMOTE HOST IDENTIFICATION HAS CHANGED'; then
    git_ssh_host "$1" || true
    fail GIT_HOST_KEY_CHANGED "The SSH host key of $git_host is not the one this server knows" \
      "Ask the owner of $git_host whether its key changed. Only then replace it in ~/.ssh/known_hosts of $(id -un) on the server (ssh-keygen -R, then add the new one)."
  elif printf '%s' "$errors" | grep -q 'Host key verification failed'; then
    git_ssh_host "$1" || true
    fail GIT_HOST_KEY_UNKNOWN "The SSH host key of $git_host (port $git_port) is not known on this server" \
      "On the server, as $(id -un): run \`ssh-keyscan -p $git_port $git_host > /tmp/k; ssh-keygen -lf /tmp/k\`, check the fingerprint with the owner of $git_host, then \`cat /tmp/k >> ~/.ssh/known_hosts\` and deploy again."
  elif printf '%s' "$errors" | grep -Eq 'Permission denied|Authentication failed|could not read Username|terminal prompts disabled'; then
    fail GIT_AUTH_FAILED "$1 refused access: $last" \
      "For a private repository, give the app a deploy key (helvetia app create … --generate-deploy-key) and add its public key to the repository's deploy keys."
  fi
  fail GIT_FETCH_FAILED "git could not read $1: $last" 'Check the URL, and that the server can reach the repository.'
}
