/**
 * A template's metadata checked against its compose file: the images pinned and the same in both,
 * every `${NAME}` defined, routes, volumes and databases naming services that exist. Together with
 * the schema, what makes a template renderable for any values.
 */
import { UserError } from '../errors'
import { isPinned, parseCompose, variableReferences } from './compose-file'
import { isSecret, type TemplateMeta } from './template-schema'

/** Throws TEMPLATE_INVALID with the first problem found in the template at `where`. */
export function checkTemplate(meta: TemplateMeta, compose: string, where: string): void {
  const problem = findProblem(meta, compose, where)
  if (problem) throw new UserError('TEMPLATE_INVALID', `${where}: ${problem}`, 'Fix the template.')
}

function findProblem(meta: TemplateMeta, compose: string, where: string): string | null {
  const file = parseCompose(compose, where)
  const services = new Map(file.services.map((s) => [s.name, s]))
  const variables = new Map(meta.variables.map((v) => [v.name, v]))
  if (variables.size !== meta.variables.length) return 'a variable is declared twice.'
  for (const service of file.services) {
    if (!service.image)
      return `service ${service.name} has no image (Helvetia builds nothing for a template).`
    if (meta.images[service.name] !== service.image)
      return `service ${service.name} runs ${service.image}, but template.json's images say ${meta.images[service.name] ?? 'nothing'}.`
  }
  for (const [service, image] of Object.entries(meta.images)) {
    if (!services.has(service)) return `images names ${service}, which is no service of the compose file.`
    if (!isPinned(image))
      return `the image ${image} is not pinned: give it a version tag (not latest) or a digest.`
  }
  const texts = [
    compose,
    ...meta.variables.map((v) => (v.generator?.kind === 'value' ? v.generator.value : '')),
  ]
  for (const ref of texts.flatMap(variableReferences)) {
    if (!variables.has(ref)) return `\${${ref}} is used but not declared in variables.`
  }
  for (const route of meta.ports) {
    if (!services.has(route.service)) return `ports names ${route.service}, which is no service.`
    const domain = variables.get(route.domain)
    if (!domain || (domain.generator?.kind !== 'domain' && domain.generator?.kind !== 'value'))
      return `the route of ${route.service} takes its host from ${route.domain}, which is no domain variable.`
  }
  for (const volume of meta.volumes) {
    const mounted = services
      .get(volume.service)
      ?.volumes.some((m) => m.name === volume.name && m.path === volume.path)
    if (!mounted)
      return `service ${volume.service} does not mount the volume ${volume.name} at ${volume.path}.`
    if (!file.volumes.includes(volume.name))
      return `the volume ${volume.name} is not declared under volumes:.`
  }
  const declared = new Set(meta.volumes.map((v) => v.name))
  const undeclared = file.volumes.find((name) => !declared.has(name))
  if (undeclared) return `the volume ${undeclared} is not listed in template.json's volumes.`
  const databases = new Set(meta.databases.map((d) => d.name))
  for (const db of meta.databases) {
    if (!services.has(db.service)) return `the database ${db.name} names ${db.service}, which is no service.`
    const password = variables.get(db.password)
    if (!password || !isSecret(password))
      return `the database ${db.name}'s password ${db.password} is no secret variable.`
    if (db.engine !== 'redis' && (!db.user || !db.database))
      return `the database ${db.name} needs a user and a database.`
  }
  for (const v of meta.variables) {
    if (v.generator?.kind === 'database-url' && !databases.has(v.generator.database))
      return `${v.name} is the URL of ${v.generator.database}, which is no database of the template.`
  }
  const unreachable = meta.databases.find((db) => db.helvetia && !urlVariable(meta, db.name))
  if (unreachable)
    return `the database ${unreachable.name} may be Helvetia's, but no database-url variable takes its URL.`
  return null
}

/** The variable that takes the connection URL of the template's database `name`, if any. */
export function urlVariable(meta: TemplateMeta, name: string): string | undefined {
  return meta.variables.find((v) => v.generator?.kind === 'database-url' && v.generator.database === name)
    ?.name
}
