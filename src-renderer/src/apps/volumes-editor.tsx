import { Button } from '../ui/button'
import { TextField } from '../ui/field'
import { PlusIcon, TrashIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import type { SettingsEditorState } from './use-settings-editor'

/**
 * The Settings form's volumes: one row each, a volume of the app (by name) or a host folder (an
 * absolute path), and where the app's containers mount it; added and removed. A volume taken out keeps
 * its data on the server until the app is removed with its volumes.
 */
export function VolumesEditor({ editor }: { editor: SettingsEditorState }) {
  const { form, edit, errorOf, formRef } = editor
  const setRow = (index: number, half: 'source' | 'path', value: string) => {
    const row = form.volumes[index] ?? { source: '', path: '' }
    edit({ volumes: form.volumes.with(index, { ...row, [half]: value }) }, `volume-${index}-${half}`)
  }
  return (
    <Panel title="Volumes">
      {form.volumes.length === 0 ? (
        <p className="muted">No volumes: what the app writes in its container goes with the next deploy.</p>
      ) : (
        <ul className="domain-edit-list" aria-label="Volumes">
          {form.volumes.map((volume, index) => (
            <li key={index} className="domain-edit-row">
              <TextField
                label={`Volume ${index + 1}`}
                value={volume.source}
                onChange={(value) => setRow(index, 'source', value)}
                error={errorOf(`volume-${index}-source`)}
                placeholder="data, or /srv/host/folder"
                autoComplete="off"
                spellCheck={false}
              />
              <TextField
                label={`Mounted at ${index + 1}`}
                value={volume.path}
                onChange={(value) => setRow(index, 'path', value)}
                error={errorOf(`volume-${index}-path`)}
                placeholder="/app/data"
                autoComplete="off"
                spellCheck={false}
              />
              <Button
                variant="ghost"
                icon={<TrashIcon />}
                aria-label={`Remove volume ${volume.source.trim() || index + 1}`}
                onClick={() =>
                  edit({ volumes: form.volumes.filter((_, i) => i !== index) }, `volume-${index}-source`)
                }
              />
            </li>
          ))}
        </ul>
      )}
      <p className="field-hint domain-edit-hint">
        A name is a volume of this app on its server, kept across deploys and rollbacks; taken out here, its
        data stays until the app is removed with its volumes. An absolute path binds that folder of the server
        (never a system folder). During a deploy’s switch the old and the new container both mount them.
      </p>
      <div className="form-actions">
        <Button
          icon={<PlusIcon />}
          onClick={() => {
            edit({ volumes: [...form.volumes, { source: '', path: '' }] })
            requestAnimationFrame(() =>
              formRef.current
                ?.querySelector<HTMLInputElement>('[aria-label="Volumes"] .domain-edit-row:last-child input')
                ?.focus(),
            )
          }}
        >
          Add volume
        </Button>
      </div>
    </Panel>
  )
}
