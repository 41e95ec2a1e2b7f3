# Cron expressions of scheduled jobs: five fields (minute 0-59, hour 0-23, day of month 1-31, month
# 1-12, day of week 0-7, 0 and 7 Sunday), each `*` or a comma list of N, N-M, */S, N-M/S or N/S (N to
# the field's end), numbers only. As in Vixie cron, when both day fields are restricted (neither starts
# with `*`) a day matches either. The same rules as src-main/core/rules/cron.ts;
# test/unit/cron.test.ts runs both sides on one table of cases. Defines functions only.

# cron_check EXPR [MINUTE HOUR DAY MONTH WEEKDAY]: EXPR is valid (and, given a time, due at it).
cron_check() {
  LC_ALL=C awk -v expr="$1" -v at="${2-} ${3-} ${4-} ${5-} ${6-}" '
    # field(SPEC, LO, HI, VALUE): 1 when VALUE is in SPEC, 0 when not, -1 when SPEC is not valid.
    function field(spec, lo, hi, value,   n, items, i, item, step, slash, dash, a, b, hit) {
      hit = 0
      n = split(spec, items, ",")
      if (n == 0 || spec ~ /,$|^,|,,/) return -1
      for (i = 1; i <= n; i++) {
        item = items[i]
        step = 1
        slash = index(item, "/")
        if (slash > 0) {
          step = substr(item, slash + 1)
          item = substr(item, 1, slash - 1)
          if (step !~ /^[0-9][0-9]?$/ || step + 0 < 1 || step + 0 > hi - lo + 1) return -1
          step += 0
        }
        if (item == "*") { a = lo; b = hi }
        else {
          dash = index(item, "-")
          if (dash > 0) { a = substr(item, 1, dash - 1); b = substr(item, dash + 1) }
          else { a = item; b = slash > 0 ? hi : item }
          if (a !~ /^[0-9][0-9]?$/ || b !~ /^[0-9][0-9]?$/) return -1
          a += 0; b += 0
          if (a < lo || b > hi || a > b) return -1
        }
        if (value >= a && value <= b && (value - a) % step == 0) hit = 1
      }
      return hit
    }
    BEGIN {
      if (split(expr, f, " ") != 5 || expr ~ /[^0-9*,\/ -]/) exit 1
      split(at, t, " ")
      timed = t[1] != ""
      m = field(f[1], 0, 59, t[1] + 0); h = field(f[2], 0, 23, t[2] + 0)
      dom = field(f[3], 1, 31, t[3] + 0); mon = field(f[4], 1, 12, t[4] + 0)
      dow = field(f[5], 0, 7, t[5] + 0)
      if (t[5] + 0 == 0 && dow == 0) dow = field(f[5], 0, 7, 7)
      if (m < 0 || h < 0 || dom < 0 || mon < 0 || dow < 0) exit 1
      if (!timed) exit 0
      day = (f[3] ~ /^\*/ || f[5] ~ /^\*/) ? (dom && dow) : (dom || dow)
      exit !(m && h && mon && day)
    }'
}
