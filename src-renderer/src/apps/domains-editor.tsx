import type { AppSummary } from '../../../src-main/api/contract'
import { Button } from '../ui/button'
import { TextField } from '../ui/field'
import { PlusIcon, TrashIcon } from '../ui/icons'
import { Panel } from '../ui/panel'
import { appUrls } from './app-format'
import { useAppUrls } from './use-app-urls'
import type { SettingsEditorState } from './use-settings-editor'

/** The Settings form's domains: one row each, added and removed, each with what it is served over. */
export function DomainsEditor({ app, editor }: { app: AppSummary; editor: SettingsEditorState }) {
  const { form, edit, errorOf, formRef } = editor
  const generated = useAppUrls({ ...app, spec: { ...app.spec, domains: [] } })[0]
  const setDomain = (index: number, value: string) =>
    edit({ domains: form.domains.with(index, value) }, `domain-${index}`)
  return (
    <Panel title="Domains">
      {form.domains.length === 0 ? (
        <p className="muted">
          No domain:{' '}
          {generated ? (
            <>
              the app is served at <span className="mono">{generated.host}</span> over HTTPS.
            </>
          ) : (
            'the server is reached by name, so there is no sslip.io address. Add a domain.'
          )}
        </p>
      ) : (
        <ul className="domain-edit-list" aria-label="Domains">
          {form.domains.map((domain, index) => {
            const url = appUrls(app.name, [domain], undefined)[0]
            return (
              <li key={index} className="domain-edit-row">
                <TextField
                  label={`Domain ${index + 1}`}
                  value={domain}
                  onChange={(value) => setDomain(index, value)}
                  error={errorOf(`domain-${index}`)}
                  placeholder="app.example.com"
                  autoComplete="off"
                  spellCheck={false}
                />
                <span className={`chip ${url?.https ? 'chip-success' : ''}`}>
                  {url?.https ? 'HTTPS' : 'HTTP only'}
                </span>
                <Button
                  variant="ghost"
                  icon={<TrashIcon />}
                  aria-label={`Remove domain ${domain.trim() || index + 1}`}
                  onClick={() =>
                    edit({ domains: form.domains.filter((_, i) => i !== index) }, `domain-${index}`)
                  }
                />
              </li>
            )
          })}
        </ul>
      )}
      <p className="field-hint domain-edit-hint">
        A bare or <code>https://</code> domain is served over HTTPS with a certificate from Let’s Encrypt,
        which the server’s proxy requests on the first HTTPS request (point the domain’s DNS at the server
        first); its HTTP requests are redirected. <code>http://name</code> serves plain HTTP.
      </p>
      <div className="form-actions">
        <Button
          icon={<PlusIcon />}
          onClick={() => {
            edit({ domains: [...form.domains, ''] })
            // The new row gets the focus, ready to type, once React has rendered it.
            requestAnimationFrame(() =>
              formRef.current?.querySelector<HTMLInputElement>('.domain-edit-row:last-child input')?.focus(),
            )
          }}
        >
          Add domain
        </Button>
      </div>
    </Panel>
  )
}
