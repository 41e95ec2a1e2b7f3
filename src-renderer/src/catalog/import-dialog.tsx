import { useState, type FormEvent } from 'react'
import type { Template } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { navigate } from '../shell/router'
import { Button } from '../ui/button'
import { Dialog } from '../ui/dialog'
import { ErrorNote } from '../ui/error-note'
import { SelectField, TextField } from '../ui/field'
import { ImportIcon } from '../ui/icons'
import { toFailure, type Failure } from '../ui/task'
import { useCatalog } from './catalog-store'
import { TemplateDetails } from './template-details'

type Format = 'auto' | 'dokploy' | 'coolify' | 'helvetia'

const FORMATS: { value: Format; label: string }[] = [
  { value: 'auto', label: 'Find out from the file' },
  { value: 'dokploy', label: 'Dokploy blueprint' },
  { value: 'coolify', label: 'Coolify compose template' },
  { value: 'helvetia', label: 'Helvetia template' },
]

/**
 * Imports a template from a file or URL: read first (nothing saved), its result shown in Helvetia's
 * model, then saved to this computer's catalogue on request.
 */
export function ImportDialog({ onClose }: { onClose(): void }) {
  const [source, setSource] = useState('')
  const [format, setFormat] = useState<Format>('auto')
  const [read, setRead] = useState<Template | null>(null)
  const [busy, setBusy] = useState<'read' | 'save' | null>(null)
  const [failure, setFailure] = useState<Failure | null>(null)

  const run = async (save: boolean): Promise<Template | null> => {
    setBusy(save ? 'save' : 'read')
    setFailure(null)
    try {
      return await api().call('catalog:import', { source: source.trim(), format, save })
    } catch (error) {
      setFailure(toFailure(error))
      return null
    } finally {
      setBusy(null)
    }
  }
  const readIt = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (source.trim()) setRead(await run(false))
  }
  const save = async (): Promise<void> => {
    const saved = await run(true)
    if (!saved) return
    await useCatalog.getState().refresh()
    onClose()
    navigate({ page: 'template', id: saved.id })
  }
  const edit = (change: () => void): void => {
    change()
    setRead(null)
  }

  return (
    <Dialog
      title="Import a template"
      className="dialog-wide"
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            icon={<ImportIcon />}
            disabled={read === null}
            busy={busy === 'save'}
            onClick={() => void save()}
          >
            Save to catalogue
          </Button>
        </>
      }
    >
      <form className="stack" noValidate onSubmit={(event) => void readIt(event)}>
        <p className="muted">
          A Dokploy blueprint or a Coolify compose template, from a file on this computer or an http(s) URL.
          Their variables are converted to Helvetia’s; nothing runs until you install it.
        </p>
        <TextField
          label="File or URL"
          value={source}
          onChange={(value) => edit(() => setSource(value))}
          placeholder="/home/you/template.yml or https://…"
          spellCheck={false}
          autoComplete="off"
        />
        <SelectField
          label="Format"
          value={format}
          options={FORMATS}
          onChange={(value) => edit(() => setFormat(value))}
        />
        <div>
          <Button type="submit" busy={busy === 'read'} disabled={!source.trim()}>
            Read template
          </Button>
        </div>
      </form>
      {failure && <ErrorNote failure={failure} />}
      {read && (
        <section className="stack import-result" aria-label="Imported template">
          <h3 className="import-result-title">
            {read.name} <span className="muted">({read.id})</span>
          </h3>
          <TemplateDetails template={read} level={3} />
        </section>
      )}
    </Dialog>
  )
}
