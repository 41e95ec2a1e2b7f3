# Retention of backups, grandfather-father-son, computed from their ids alone (the manifests in the
# bucket: no local state). Sourced; defines functions only.

# retention_keep DAILY WEEKLY MONTHLY: reads backup ids (`YYYYMMDDTHHMMSSZ-xxxx`, one a line, any
# order) and prints those to keep, newest first: the newest backup of each of the last DAILY days,
# WEEKLY ISO weeks (Monday to Sunday, UTC) and MONTHLY months that have backups. Other lines are ignored.
retention_keep() {
  grep -E -x "$BACKUP_ID_PATTERN" | sort -r | awk -v daily="$1" -v weekly="$2" -v monthly="$3" '
    # Days since 1970-01-01 of a date of the Gregorian calendar (years from 1970 on).
    function day_number(y, m, d,   era, yoe, doy) {
      y -= (m <= 2)
      era = int(y / 400)
      yoe = y - era * 400
      doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
      return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468
    }
    {
      n = day_number(substr($0, 1, 4) + 0, substr($0, 5, 2) + 0, substr($0, 7, 2) + 0)
      day = substr($0, 1, 8)
      month = substr($0, 1, 6)
      # Its week by the day number of its Monday (1970-01-01 was a Thursday).
      week = n - (n + 3) % 7
      keep = 0
      if (!(day in days) && kept_days < daily) { days[day] = 1; kept_days++; keep = 1 }
      if (!(week in weeks) && kept_weeks < weekly) { weeks[week] = 1; kept_weeks++; keep = 1 }
      if (!(month in months) && kept_months < monthly) { months[month] = 1; kept_months++; keep = 1 }
      if (keep) print
    }'
}
