/**
 * Thirty backup ids over four months (August to December 2026), for retention's tests: weekly on
 * Mondays until November, then daily, twice on 1 December, none on 4 December. With keep-daily 7,
 * keep-weekly 4 and keep-monthly 3, worked out by hand (6 December 2026 is a Sunday):
 * - days: 6, 5, 3, 2, 1 (the 15:00 one) December, 30 and 29 November;
 * - ISO weeks: 30 Nov–6 Dec → 6 Dec; 23–29 Nov → 29 Nov; 16–22 Nov → 16 Nov; 9–15 Nov → 9 Nov;
 * - months: December → 6 Dec; November → 30 Nov; October → 26 Oct.
 */
/** An id of that day and time; its hex part is the tag and the date's last three digits. */
const day = (date: string, time = '030000', tag = 'a') => `${date}T${time}Z-${tag}${date.slice(5)}`

export const THIRTY_BACKUPS = [
  ...['20260803', '20260810', '20260817', '20260824', '20260831'].map((d) => day(d)),
  ...['20260907', '20260914', '20260921', '20260928'].map((d) => day(d)),
  ...['20261005', '20261012', '20261019', '20261026'].map((d) => day(d)),
  ...['20261102', '20261109', '20261116', '20261123', '20261124', '20261125', '20261126'].map((d) => day(d)),
  ...['20261127', '20261128', '20261129', '20261130'].map((d) => day(d)),
  day('20261201'),
  day('20261201', '150000', 'b'),
  ...['20261202', '20261203', '20261205', '20261206'].map((d) => day(d)),
]

export const KEPT_OF_THIRTY = [
  day('20261206'),
  day('20261205'),
  day('20261203'),
  day('20261202'),
  day('20261201', '150000', 'b'),
  day('20261130'),
  day('20261129'),
  day('20261116'),
  day('20261109'),
  day('20261026'),
]

export const KEEP = { daily: 7, weekly: 4, monthly: 3 }
