/** The error catalogue's codes of the catalogue (templates, imports), spread into ./errors.ts. */
import type { RaisedBy } from './error-raisers'

export const CATALOG_ERRORS = {
  TEMPLATE_NOT_FOUND: {
    means:
      'The catalogue has no template by that id, or not that version of it: see `helvetia catalog list` and `catalog show ID`.',
    raisedBy: ['catalog:show', 'catalog:render', 'catalog:remove', 'apps:create'],
  },
  TEMPLATE_INVALID: {
    means:
      'A template does not follow Helvetia’s format (its template.json, or its compose file against it: unpinned images, an undeclared ${VARIABLE}, a route to no service, …); the message names the file and the value at fault.',
    raisedBy: ['catalog:list', 'catalog:show', 'catalog:render', 'catalog:import', 'apps:create'],
  },
  TEMPLATE_UNSUPPORTED: {
    means:
      'An imported template uses what Helvetia’s templates cannot express (configuration files written beside the compose file, bind mounts, an unknown helper): the message says which.',
    raisedBy: ['catalog:import'],
  },
  TEMPLATE_UNREADABLE: {
    means:
      'The file, folder or URL to import could not be read (missing, HTTP error, too large, or not a template layout).',
    raisedBy: ['catalog:import'],
  },
  TEMPLATE_EXISTS: {
    means: 'An imported template would take the id of a built-in one: rename it (its folder or file name).',
    raisedBy: ['catalog:import'],
  },
  TEMPLATE_BUILTIN: {
    means: 'Built-in templates ship with Helvetia and cannot be removed; only imported ones can.',
    raisedBy: ['catalog:remove'],
  },
  VALUE_REQUIRED: {
    means: 'The template has a variable without a generator: give its value (`--set NAME=VALUE`, `values`).',
    raisedBy: ['catalog:render', 'apps:create'],
  },
  NOT_CATALOG_APP: {
    means:
      'Only apps installed from the catalogue are upgraded: deploy any other app with `helvetia deploy`.',
    raisedBy: ['catalog:upgrade-plan', 'catalog:upgrade'],
  },
  NOTHING_TO_UPGRADE: {
    means:
      'The app runs that template version already, or a newer one: an upgrade goes forward only (`helvetia rollback` goes back).',
    raisedBy: ['catalog:upgrade-plan', 'catalog:upgrade'],
  },
  CATALOG_RECORD_MISSING: {
    means:
      'The app’s server has no record of its template values (~/.helvetia/apps/APP/catalog.json), so an upgrade could not keep its secrets: install it again.',
    raisedBy: ['catalog:upgrade-plan', 'catalog:upgrade'],
  },
  CATALOG_RECORD_INVALID: {
    means: 'The app’s catalogue record on its server is damaged (not the JSON Helvetia writes).',
    raisedBy: ['catalog:upgrade-plan', 'catalog:upgrade'],
  },
} as const satisfies Record<string, { means: string; raisedBy: readonly RaisedBy[] }>
