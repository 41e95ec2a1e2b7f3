import { useState, type FormEvent } from 'react'
import type { DatabaseInfo } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { SelectField, TextField } from '../ui/field'
import { Panel } from '../ui/panel'
import { useDatabases } from './databases-store'
import {
  scheduleErrors,
  scheduleFieldOf,
  scheduleForm,
  scheduleInput,
  type ScheduleField,
  type ScheduleForm,
} from './schedule-form'
import { useAction } from './use-action'

/** Backups the server runs by itself, with the laptop closed: how often, where, what is kept, how often drilled. */
export function SchedulePanel({ info }: { info: DatabaseInfo }) {
  const targets = useDatabases((state) => state.targets)
  const names = targets?.status === 'done' ? targets.value.map((t) => t.name) : []
  // A saved schedule (here or from the CLI) starts the form again from it.
  return (
    <Panel title="Schedule">
      {info.schedule === null && names.length === 0 ? (
        <p className="muted">Add a backup target first: scheduled backups go there.</p>
      ) : (
        <ScheduleEditor key={JSON.stringify(info.schedule)} info={info} targets={names} />
      )}
    </Panel>
  )
}

function ScheduleEditor({ info, targets }: { info: DatabaseInfo; targets: string[] }) {
  const [form, setForm] = useState<ScheduleForm>(() => scheduleForm(info.schedule, targets[0] ?? ''))
  const [submitted, setSubmitted] = useState(false)
  const [saved, setSaved] = useState(false)
  const action = useAction()
  const errors = scheduleErrors(form)
  const coreField = action.failure && scheduleFieldOf(action.failure)
  const bind = (field: Exclude<ScheduleField, 'target'>) => ({
    value: form[field],
    onChange: (value: string) => {
      setForm((current) => ({ ...current, [field]: value }))
      setSaved(false)
    },
    error:
      (submitted || form[field] !== scheduleForm(info.schedule, '')[field] ? errors[field] : undefined) ??
      (coreField === field ? action.failure?.message : undefined),
  })
  const reload = (): Promise<void> => useDatabases.getState().refreshInfo(info.name)
  const save = (event: FormEvent): void => {
    event.preventDefault()
    setSubmitted(true)
    if (Object.keys(errors).length > 0) return
    void action
      .run('save', () => api().call('databases:schedule', scheduleInput(info.name, form)))
      .then((ok) => ok && (setSaved(true), void reload()))
  }
  const options = [...new Set([...targets, form.target].filter(Boolean))]
  return (
    <form className="schedule-form" noValidate onSubmit={save}>
      <div className="field-row">
        <TextField label="Every" {...bind('every')} spellCheck={false} hint="1d, 6h, 30m…" />
        <TextField
          label="At"
          {...bind('at')}
          optional
          placeholder="03:00"
          hint="Server time, for daily or longer."
        />
        <SelectField
          label="Target"
          value={form.target}
          options={options.map((name) => ({ value: name, label: name }))}
          onChange={(target) => setForm((current) => ({ ...current, target }))}
          error={
            (submitted ? errors.target : undefined) ??
            (coreField === 'target' ? action.failure?.message : undefined)
          }
        />
      </div>
      <fieldset className="plain-fieldset">
        <legend className="field-label">Keep</legend>
        <div className="field-row">
          <TextField label="Daily" {...bind('keepDaily')} inputMode="numeric" />
          <TextField label="Weekly" {...bind('keepWeekly')} inputMode="numeric" />
          <TextField label="Monthly" {...bind('keepMonthly')} inputMode="numeric" />
        </div>
      </fieldset>
      <div className="field-row">
        <TextField
          label="Drill every"
          {...bind('drillEvery')}
          optional
          placeholder="7d"
          hint="Empty: never."
        />
        <TextField
          label="Webhook"
          {...bind('webhook')}
          optional
          spellCheck={false}
          placeholder="https://hooks.example.com/…"
          hint="Called when a backup fails or goes stale."
        />
      </div>
      {action.failure && !coreField && <ErrorNote failure={action.failure} />}
      {saved && (
        <p className="note note-success" role="status">
          <span className="note-body">Schedule saved: the server runs it by itself.</span>
        </p>
      )}
      <div className="panel-buttons">
        <Button type="submit" variant="primary" busy={action.running === 'save'}>
          Save schedule
        </Button>
        {info.schedule && (
          <Button
            variant="danger"
            busy={action.running === 'remove'}
            onClick={() =>
              void action
                .run('remove', () => api().call('databases:unschedule', { name: info.name }))
                .then((ok) => ok && void reload())
            }
          >
            Remove schedule
          </Button>
        )}
      </div>
    </form>
  )
}
