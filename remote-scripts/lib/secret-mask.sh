# The filter that masks secrets in everything written to a log. Their forms are derived from a
# deployment's env file (the only place secret values are on the server) whenever a filter starts,
# never stored: the same forms as secretPatterns in src-main/core/logs/secret-masker.ts, less those
# that span lines (an env value has none). The mask, the shortest secret and the characters each URL
# encoding leaves as they are come from lib/rules.sh (src-main/core/rules/secret-forms.ts);
# test/unit/secret-mask-sh.test.ts runs both sides on the same values. Sourced after lib/progress.sh,
# lib/rules.sh and lib/validate.sh; defines functions only.

# secret_forms VALUE: the value, the part of its base64 and base64url encodings that is the same at
# each byte alignment, its encodeURIComponent form (also with + for a space) and its
# form encoding; one a line.
secret_forms() {
  printf '%s\n' "$1"
  forms_bytes=$(printf '%s' "$1" | wc -c)
  # shellcheck disable=SC2086 # a list of numbers
  for forms_offset in $BASE64_ALIGNMENTS; do
    forms_from=$(((8 * forms_offset + 5) / 6))
    forms_to=$((8 * (forms_offset + forms_bytes) / 6))
    [ "$forms_to" -gt "$forms_from" ] || continue
    forms_stable=$({
      head -c "$forms_offset" /dev/zero
      printf '%s' "$1"
    } | base64 -w 0 | cut -c "$((forms_from + 1))-$forms_to")
    printf '%s\n' "$forms_stable"
    printf '%s\n' "$forms_stable" | tr '+/' '-_'
  done
  printf '%s' "$1" | od -An -v -tx1 | LC_ALL=C awk -v component_safe="^[$URL_COMPONENT_SAFE]\$" \
    -v form_safe="^[$FORM_SAFE]\$" '
    BEGIN { for (i = 32; i < 127; i++) char[sprintf("%02x", i)] = sprintf("%c", i) }
    {
      for (i = 1; i <= NF; i++) {
        c = ($i in char) ? char[$i] : ""
        hex = "%" toupper($i)
        component = component (c != "" && c ~ component_safe ? c : hex)
        form = form (c != "" && c ~ form_safe ? c : $i == "20" ? "+" : hex)
      }
    }
    END {
      plus = component
      gsub(/%20/, "+", plus)
      print component; print plus; print form
    }'
}

# secret_patterns ENV-FILE SECRETS-FILE: the forms of the value of every variable SECRETS-FILE names
# (one name a line) in ENV-FILE, as itself and trimmed, one a line; values shorter than
# MIN_SECRET_LENGTH bytes trimmed are left out (the desktop counts characters, so it skips a few more).
secret_patterns() {
  [ -f "$1" ] && [ -f "$2" ] || return 0
  while IFS= read -r patterns_line || [ -n "$patterns_line" ]; do
    grep -qxF -- "${patterns_line%%=*}" "$2" || continue
    patterns_value=${patterns_line#*=}
    patterns_trimmed=$(printf '%s' "$patterns_value" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
    [ "$(printf '%s' "$patterns_trimmed" | wc -c)" -ge "$MIN_SECRET_LENGTH" ] || continue
    secret_forms "$patterns_value"
    [ "$patterns_trimmed" = "$patterns_value" ] || secret_forms "$patterns_trimmed"
  done <"$1" | LC_ALL=C awk 'length($0) > 0 && !seen[$0]++'
}

# login_patterns FILE: the forms of a registry login (a deploy request's registry-auth file, `HOST
# AUTH`: lib/deploy-pull.sh): AUTH itself, and the forms of `user:password` and of the password; none
# when there is no such file.
login_patterns() {
  [ -f "$1" ] || return 0
  read -r _ login_auth <"$1" || true
  [ -n "$login_auth" ] || return 0
  printf '%s\n' "$login_auth"
  login_pair=$(printf '%s' "$login_auth" | base64 -d 2>/dev/null) || return 0
  secret_forms "$login_pair"
  [ "$(printf '%s' "${login_pair#*:}" | wc -c)" -lt "$MIN_SECRET_LENGTH" ] || secret_forms "${login_pair#*:}"
  login_pair='' login_auth=''
}

# mask_filter ENV-FILE SECRETS-FILE: copies standard input to standard output line by line, with every
# occurrence of every form of the secrets (secret_patterns) replaced by $MASK (mask_lines).
mask_filter() {
  mask_lines "$(secret_patterns "$1" "$2")"
}

# mask_lines PATTERNS: copies standard input to standard output line by line, with every occurrence of
# every line of PATTERNS replaced by $MASK; overlapping and touching occurrences become one mask. Each
# line is flushed at once, so a log written through it stays live.
# Byte-based (LC_ALL=C), like the patterns. They reach awk in its environment: no file, no argument
# another user could read.
mask_lines() {
  mask_patterns=$1
  # mawk reads a pipe in blocks unless told to read line by line.
  if awk -W version 2>/dev/null | grep -q mawk; then set -- -W interactive; else set --; fi
  HELVETIA_MASK_PATTERNS=$mask_patterns LC_ALL=C awk "$@" -v mask="$MASK" '
    BEGIN { n = split(ENVIRON["HELVETIA_MASK_PATTERNS"], pattern, "\n") }
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
