#!/bin/sh
# Brings one commit of an app's git repository into the server's copy of it (~/.P/apps/A/git, a bare
# repository) before a deploy of that commit starts. The branch (default: the remote's HEAD) is
# resolved to its tip; without --commit, the tip is what deploys. A --commit is deployed only when it is
# on the branch: the tip, or an ancestor of it once the branch is fetched (a push delivered late, or
# `helvetia deploy --commit` of an earlier commit). Any other commit (another branch's, a dangling
# one, a push replayed after a force-push removed it) is refused: GIT_COMMIT_NOT_ON_BRANCH.
# A deploy key comes on standard input (empty: none). It is written to a 0600 file for this script's
# ssh only, and removed when the script ends.
#
# Usage: git-fetch.sh --prefix P --app A --url URL [--branch B] [--commit SHA] < deploy-key
# Reports: fact branch=<name>, fact commit=<sha>.
# shellcheck source-path=SCRIPTDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/progress.sh
. "$here/lib/progress.sh"
# shellcheck source=lib/rules.sh
. "$here/lib/rules.sh"
# shellcheck source=lib/validate.sh
. "$here/lib/validate.sh"
# shellcheck source=lib/deploy-common.sh
. "$here/lib/deploy-common.sh"
# shellcheck source=lib/git-source.sh
. "$here/lib/git-source.sh"

prefix='' app='' url='' branch='' commit=''
parse_options 'prefix app url branch commit' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require app "$app" "$APP_PATTERN"
require_git_url "$url"
[ -z "$branch" ] || require_branch "$branch"
[ -z "$commit" ] || require commit "$commit" "$COMMIT_PATTERN" 'a full 40-character commit id'
command -v git >/dev/null || fail GIT_MISSING 'git is not installed on the server' 'Install git on the server (apt-get install git), then deploy again.'
app_paths "$prefix" "$app"
repo=$git_dir

umask 077
work=$(mktemp -d)
# The key goes with the folder, whatever happens; the exit status stays the script's.
remove_work() {
  git_exit=$?
  set +e
  rm -rf "$work"
  (exit "$git_exit")
  helvetia_on_exit
}
trap remove_work EXIT
key=''
cat >"$work/key"
if [ -s "$work/key" ]; then key=$work/key; fi
git_environment "$url" "$work" "$key"

step_running resolve "Resolving ${branch:-the default branch} of $url"
if [ -n "$branch" ]; then
  timeout 120 git ls-remote "$url" "refs/heads/$branch" >"$work/refs" 2>"$work/errors" || git_fail "$url" "$work/errors"
else
  timeout 120 git ls-remote --symref "$url" HEAD >"$work/refs" 2>"$work/errors" || git_fail "$url" "$work/errors"
  branch=$(awk -F '\t' '$1 ~ /^ref: refs\/heads\// && $2 == "HEAD" { sub(/^ref: refs\/heads\//, "", $1); print $1; exit }' "$work/refs")
  [ -n "$branch" ] || fail GIT_BRANCH_MISSING "$url has no default branch (its HEAD names none)" 'Give the app a branch, then deploy again.'
fi
tip=$(awk -F '\t' -v ref="refs/heads/$branch" '($2 == ref || $2 == "HEAD") && $1 ~ /^[0-9a-f]+$/ { print $1; exit }' "$work/refs")
[ -n "$tip" ] || fail GIT_BRANCH_MISSING "$url has no branch $branch" 'Push the branch, then deploy again.'
matches "$tip" "$COMMIT_PATTERN" || fail GIT_FETCH_FAILED "$url answered with an unexpected commit id: $tip"
fact branch "$branch"
step_done resolve "$branch is at $tip"
[ -n "$commit" ] || commit=$tip
fact commit "$commit"

step_running fetch "Fetching $commit"
mkdir -p "$app_dir"
[ -d "$repo" ] || git init -q --bare "$repo"
if [ "$commit" = "$tip" ]; then
  if git --git-dir="$repo" cat-file -e "$commit^{commit}" 2>/dev/null; then
    step_skipped fetch "$commit is on the server already"
    exit 0
  fi
  echo "Fetching $commit from $url"
  # The commit alone; a server that does not serve commits by id gets the branch fetched instead.
  if ! timeout 600 git --git-dir="$repo" fetch -q --no-tags --depth 1 "$url" "$commit" 2>"$work/errors"; then
    timeout 600 git --git-dir="$repo" fetch -q --no-tags "$url" "+refs/heads/$branch:refs/heads/$branch" 2>"$work/errors" ||
      git_fail "$url" "$work/errors"
  fi
  git --git-dir="$repo" cat-file -e "$commit^{commit}" 2>/dev/null ||
    fail GIT_COMMIT_MISSING "$url has no commit $commit" 'Push the commit first, or check the commit id (the full 40 characters).'
  step_done fetch "Fetched $commit"
  exit 0
fi

# Not the tip: the branch's history decides. A copy made by earlier single-commit fetches is shallow,
# and a shallow history cannot prove ancestry: it is completed once.
echo "Fetching $branch from $url"
set -- --no-tags
[ ! -f "$repo/shallow" ] || set -- "$@" --unshallow
timeout 600 git --git-dir="$repo" fetch -q "$@" "$url" "+refs/heads/$branch:refs/heads/$branch" 2>"$work/errors" ||
  git_fail "$url" "$work/errors"
if ! git --git-dir="$repo" cat-file -e "$commit^{commit}" 2>/dev/null ||
  ! git --git-dir="$repo" merge-base --is-ancestor "$commit" "refs/heads/$branch" 2>/dev/null; then
  fail GIT_COMMIT_NOT_ON_BRANCH "Commit $commit is not on branch $branch of $url (its tip is $(git --git-dir="$repo" rev-parse "refs/heads/$branch"))" \
    "Helvetia deploys only commits of the app's branch ($branch): push the commit to it, or change the app's branch."
fi
step_done fetch "Fetched $branch: $commit is on it"
