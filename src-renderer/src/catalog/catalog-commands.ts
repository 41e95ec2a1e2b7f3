/** The palette's commands for the catalogue: open it, a template's page to install it, import one. */
import type { TemplateSummary } from '../../../src-main/api/contract'
import type { Command } from '../palette/commands'
import { navigate, type Route } from '../shell/router'
import { CatalogIcon, ImportIcon } from '../ui/icons'

const go = (route: Route) => () => navigate(route)

/** Each template's "Install", and the section's own. */
export function catalogCommands(templates: readonly TemplateSummary[]): Command[] {
  return [
    ...templates.map((template): Command => ({
      id: `template:${template.id}`,
      group: 'Actions',
      label: `Install ${template.name}`,
      keywords: `catalogue catalog template one-click ${template.category} ${template.id}`,
      detail: `${template.category} · from the catalogue`,
      Icon: CatalogIcon,
      run: go({ page: 'template', id: template.id }),
    })),
    {
      id: 'go:catalog',
      group: 'Go to',
      label: 'Catalogue',
      keywords: 'catalog templates one-click apps install',
      Icon: CatalogIcon,
      run: go({ page: 'catalog' }),
    },
    {
      id: 'import-template',
      group: 'Actions',
      label: 'Import a template',
      keywords: 'catalogue catalog dokploy coolify blueprint compose',
      detail: 'From a file or URL, on the Catalogue page',
      Icon: ImportIcon,
      run: go({ page: 'catalog' }),
    },
  ]
}
