import type { Template } from '../../../src-main/api/contract'
import { Panel } from '../ui/panel'
import { Properties, type PropertyRow } from '../ui/properties'
import { describeGenerator } from './catalog-format'

/** What a template is and what it runs: the catalogue's details view and the import's preview. */
export function TemplateDetails({ template, level = 2 }: { template: Template; level?: 2 | 3 }) {
  return (
    <div className="stack">
      <Panel title="About" level={level}>
        <p className="template-about">{template.description}</p>
        <Properties
          rows={[
            ['Category', template.category],
            ['App version', template.appVersion],
            ['Template version', template.version],
            ['Origin', template.origin === 'builtin' ? 'Ships with Helvetia' : 'Imported on this computer'],
            ...(template.website
              ? [
                  [
                    'Website',
                    <a href={template.website} target="_blank" rel="noreferrer noopener">
                      {template.website}
                    </a>,
                  ] as PropertyRow,
                ]
              : []),
          ]}
        />
      </Panel>
      <Panel title="Services" level={level}>
        <div className="table-frame">
          <table className="table" aria-label="Services of the template">
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Image</th>
                <th scope="col">Routed</th>
              </tr>
            </thead>
            <tbody>
              {template.services.map((service) => (
                <tr key={service.name}>
                  <td>{service.name}</td>
                  <td className="mono">{service.image}</td>
                  <td>{service.routed ? `Yes, port ${service.port ?? '?'}` : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
      <div className="detail-grid">
        <Panel title="Volumes" level={level}>
          {template.volumes.length === 0 ? (
            <p className="muted">None: the app keeps no data of its own.</p>
          ) : (
            <ul className="value-list" aria-label="Volumes">
              {template.volumes.map((volume) => (
                <li key={`${volume.service}/${volume.name}`}>
                  <span className="mono">{volume.name}</span>{' '}
                  <span className="muted">
                    at {volume.path} in {volume.service}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel title="Databases it needs" level={level}>
          {template.databases.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul className="value-list" aria-label="Databases it needs">
              {template.databases.map((database) => (
                <li key={database.name}>
                  {database.name} <span className="muted">({database.engine})</span>{' '}
                  <span className="muted">
                    {database.service
                      ? `runs as its own service ${database.service}`
                      : 'one of your Helvetia databases'}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>
      <Panel title="Variables" level={level}>
        {template.variables.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <Properties
            rows={template.variables.map((variable) => [
              variable.name,
              <span>
                {variable.description}{' '}
                <span className="muted">
                  {describeGenerator(variable.generator)}
                  {variable.secret ? ' · secret' : ''}
                </span>
              </span>,
            ])}
          />
        )}
        <details className="code-details">
          <summary>Compose file</summary>
          <pre className="code-block" tabIndex={0} aria-label="Compose file">
            {template.compose}
          </pre>
        </details>
      </Panel>
    </div>
  )
}
