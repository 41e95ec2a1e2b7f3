import { useEffect, useState } from 'react'
import type { Template } from '../../../src-main/api/contract'
import { href, navigate } from '../shell/router'
import { Button, LinkButton } from '../ui/button'
import { ConfirmRemoveDialog } from '../ui/dialog'
import { ErrorNote } from '../ui/error-note'
import { TrashIcon } from '../ui/icons'
import { PageHeader } from '../ui/page-header'
import { useCatalog } from './catalog-store'
import { InstallPanel } from './install-panel'
import { TemplateDetails } from './template-details'
import './catalog.css'

/** One template: what it is and runs, and the form that installs it. */
export function TemplatePage({ id }: { id: string }) {
  const task = useCatalog((state) => state.templates[id])
  useEffect(() => void useCatalog.getState().show(id), [id])
  if (task === undefined || task.status === 'running')
    return (
      <p className="muted" aria-busy="true">
        Reading the template…
      </p>
    )
  if (task.status === 'failed') {
    return (
      <>
        <PageHeader
          title="No such template"
          actions={<LinkButton href={href({ page: 'catalog' })}>Catalogue</LinkButton>}
        />
        <ErrorNote failure={task.failure} />
      </>
    )
  }
  const template = task.value
  return (
    <>
      <PageHeader
        title={template.name}
        description={`${template.category} · ${template.appVersion} · template ${template.version}`}
        actions={template.origin === 'imported' && <RemoveTemplate template={template} />}
      />
      <div className="template-layout">
        <TemplateDetails template={template} />
        <InstallPanel template={template} />
      </div>
    </>
  )
}

function RemoveTemplate({ template }: { template: Template }) {
  const [confirming, setConfirming] = useState(false)
  return (
    <>
      <Button variant="danger" icon={<TrashIcon />} onClick={() => setConfirming(true)}>
        Remove template
      </Button>
      {confirming && (
        <ConfirmRemoveDialog
          title={`Remove ${template.name}?`}
          action="Remove template"
          onConfirm={async () => {
            await useCatalog.getState().remove(template.id)
            navigate({ page: 'catalog' })
          }}
          onClose={() => setConfirming(false)}
        >
          <p>
            The imported template is forgotten on this computer. Apps installed from it keep running, with the
            values recorded on their server.
          </p>
        </ConfirmRemoveDialog>
      )}
    </>
  )
}
