/** The schedule editor's fields as typed, their checks and the input they make. */
import type { BackupSchedule, ScheduleInput } from '../../../src-main/api/contract'
import type { Failure } from '../ui/task'

export interface ScheduleForm {
  every: string
  at: string
  target: string
  keepDaily: string
  keepWeekly: string
  keepMonthly: string
  drillEvery: string
  webhook: string
}

export type ScheduleField = keyof ScheduleForm

/** The form from the saved schedule, or the defaults: daily at 03:00, 7/4/6 kept, a weekly drill. */
export const scheduleForm = (schedule: BackupSchedule | null, target: string): ScheduleForm => ({
  every: schedule?.every ?? '1d',
  at: schedule ? (schedule.at ?? '') : '03:00',
  target: schedule?.target ?? target,
  keepDaily: String(schedule?.keep.daily ?? 7),
  keepWeekly: String(schedule?.keep.weekly ?? 4),
  keepMonthly: String(schedule?.keep.monthly ?? 6),
  drillEvery: schedule ? (schedule.drillEvery ?? '') : '7d',
  webhook: schedule?.webhook ?? '',
})

const INTERVAL = /^\d+[mhd]$/
const count = (value: string): string | undefined =>
  /^\d+$/.test(value.trim()) && Number(value) <= 1000 ? undefined : 'Enter a number from 0 to 1000.'

/** What the form can tell before asking the core; the core checks everything again. */
export function scheduleErrors(form: ScheduleForm): Partial<Record<ScheduleField, string>> {
  const errors: Partial<Record<ScheduleField, string>> = {
    every: INTERVAL.test(form.every.trim()) ? undefined : 'Enter an interval such as 1d, 6h or 30m.',
    at: form.at.trim() === '' || /^\d\d:\d\d$/.test(form.at.trim()) ? undefined : 'Enter a time as HH:MM.',
    target: form.target ? undefined : 'Choose where the backups go.',
    keepDaily: count(form.keepDaily),
    keepWeekly: count(form.keepWeekly),
    keepMonthly: count(form.keepMonthly),
    drillEvery:
      form.drillEvery.trim() === '' || INTERVAL.test(form.drillEvery.trim())
        ? undefined
        : 'Enter an interval such as 7d, or leave it empty for no drills.',
    webhook:
      form.webhook.trim() === '' || /^https?:\/\/\S+$/.test(form.webhook.trim())
        ? undefined
        : 'Enter an http:// or https:// URL, or leave it empty.',
  }
  return Object.fromEntries(Object.entries(errors).filter(([, error]) => error)) as Partial<
    Record<ScheduleField, string>
  >
}

export const scheduleInput = (name: string, form: ScheduleForm): ScheduleInput => ({
  name,
  every: form.every.trim(),
  ...(form.at.trim() ? { at: form.at.trim() } : {}),
  to: form.target,
  keepDaily: Number(form.keepDaily),
  keepWeekly: Number(form.keepWeekly),
  keepMonthly: Number(form.keepMonthly),
  drillEvery: form.drillEvery.trim() || null,
  webhook: form.webhook.trim() || null,
})

const FIELDS: Record<string, ScheduleField> = {
  every: 'every',
  at: 'at',
  to: 'target',
  keepDaily: 'keepDaily',
  keepWeekly: 'keepWeekly',
  keepMonthly: 'keepMonthly',
  drillEvery: 'drillEvery',
  webhook: 'webhook',
}

/** The field a failure from the core belongs beside, or null for the form as a whole. */
export const scheduleFieldOf = (failure: Failure): ScheduleField | null =>
  (failure.field !== undefined && FIELDS[failure.field]) || null
