import { useEffect, useState } from 'react'
import type { TemplateSummary } from '../../../src-main/api/contract'
import { href } from '../shell/router'
import { Button } from '../ui/button'
import { ErrorNote } from '../ui/error-note'
import { CatalogIcon, ImportIcon, SearchIcon } from '../ui/icons'
import { PageHeader } from '../ui/page-header'
import { EmptyState, Panel } from '../ui/panel'
import { categoriesOf, filterTemplates } from './catalog-format'
import { useCatalog } from './catalog-store'
import { ImportDialog } from './import-dialog'
import './catalog.css'

/** The catalogue: search, categories, a card per template, and the templates this computer imported. */
export function CatalogPage() {
  const list = useCatalog((state) => state.list)
  const [query, setQuery] = useState('')
  const [category, setCategory] = useState<string | null>(null)
  const [importing, setImporting] = useState(false)
  useEffect(() => void useCatalog.getState().refresh(), [])

  const templates = list?.status === 'done' ? list.value : []
  const shown = filterTemplates(templates, query, category)
  const imported = templates.filter((template) => template.origin === 'imported')
  return (
    <>
      <PageHeader
        title="Catalogue"
        description="Self-hosted apps ready to install on your servers. The catalogue ships inside Helvetia: it works with no network, and each template pins its images."
        actions={
          <Button icon={<ImportIcon />} onClick={() => setImporting(true)}>
            Import template
          </Button>
        }
      />
      {list?.status === 'failed' && <ErrorNote failure={list.failure} />}
      {list === undefined || list.status === 'running' ? (
        <p className="muted" aria-busy="true">
          Reading the catalogue…
        </p>
      ) : (
        <div className="stack">
          <div className="catalog-filters" role="search">
            <label className="catalog-search">
              <SearchIcon />
              <span className="visually-hidden">Search the catalogue</span>
              <input
                className="input"
                type="search"
                value={query}
                placeholder="Search apps: blog, analytics, git…"
                onChange={(event) => setQuery(event.target.value)}
              />
            </label>
            <CategoryPicker
              categories={categoriesOf(templates)}
              total={templates.length}
              value={category}
              onChange={setCategory}
            />
          </div>
          <p className="muted" role="status">
            {shown.length === templates.length
              ? `${templates.length} templates`
              : `${shown.length} of ${templates.length} templates`}
          </p>
          {shown.length === 0 ? (
            <EmptyState icon={<CatalogIcon />} title="No template matches" testId="no-templates">
              <p className="muted">Try fewer words or another category, or import a template.</p>
            </EmptyState>
          ) : (
            <ul className="template-grid" aria-label="Templates">
              {shown.map((template) => (
                <TemplateCard key={template.id} template={template} />
              ))}
            </ul>
          )}
          {imported.length > 0 && <ImportedPanel imported={imported} />}
        </div>
      )}
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </>
  )
}

/** Radios drawn as chips: All, then each category with its count. */
function CategoryPicker({
  categories,
  total,
  value,
  onChange,
}: {
  categories: { name: string; count: number }[]
  total: number
  value: string | null
  onChange(category: string | null): void
}) {
  const options = [
    { name: null, label: 'All', count: total },
    ...categories.map((c) => ({ ...c, label: c.name })),
  ]
  return (
    <fieldset className="category-picker">
      <legend className="visually-hidden">Category</legend>
      {options.map((option) => (
        <label key={option.label} className="category-option">
          <input
            className="segmented-input"
            type="radio"
            name="catalog-category"
            checked={option.name === value}
            onChange={() => onChange(option.name)}
          />
          <span>
            {option.label} <span className="category-count">{option.count}</span>
          </span>
        </label>
      ))}
    </fieldset>
  )
}

function TemplateCard({ template }: { template: TemplateSummary }) {
  return (
    <li className="panel link-card template-card">
      <div className="template-card-head">
        <a className="stretched-link template-name" href={href({ page: 'template', id: template.id })}>
          {template.name}
        </a>
        <span className="chip">{template.category}</span>
      </div>
      <p className="template-description">{template.description}</p>
      <p className="template-meta muted">
        {template.appVersion} · template {template.version}
        {template.origin === 'imported' && <span className="chip chip-info">Imported</span>}
      </p>
    </li>
  )
}

/** The templates added on this computer, where they came from, and a way to forget each. */
function ImportedPanel({ imported }: { imported: TemplateSummary[] }) {
  return (
    <Panel title="Imported templates">
      <p className="muted">
        Added on this computer from a file or URL; the catalogue’s own ones ship with Helvetia.
      </p>
      <ul className="imported-list" aria-label="Imported templates">
        {imported.map((template) => (
          <li key={template.id}>
            <a href={href({ page: 'template', id: template.id })}>{template.name}</a>
            <span className="muted">
              {template.id} · template {template.version}
              {template.website ? ` · ${template.website}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </Panel>
  )
}
