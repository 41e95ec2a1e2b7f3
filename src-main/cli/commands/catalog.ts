import { Option, type Command } from 'commander'
import type { Template } from '../../api/catalog'
import { output, table, withApi, type OutputOptions } from '../context'

/** `catalog list|show|import|remove`: the templates shipped with Helvetia and those imported here. */
export function catalogCommands(program: Command): void {
  const catalog = program.command('catalog').description('Self-hosted apps to install in one step')
  catalog
    .command('list')
    .description('List the templates (built in, and imported on this computer)')
    .option('--json', 'print JSON')
    .action((options: OutputOptions) =>
      withApi(async (api) =>
        output(options, await api.call('catalog:list'), (templates) =>
          table([
            ['ID', 'NAME', 'CATEGORY', 'VERSION', 'APP', 'ORIGIN'],
            ...templates.map((t) => [t.id, t.name, t.category, t.version, t.appVersion, t.origin]),
          ]),
        ),
      ),
    )
  catalog
    .command('show')
    .argument('<id>', 'the template, like ghost')
    .description('A template: its services, variables, volumes and versions')
    .option('--version <version>', 'a version of the template (default: the newest)')
    .option('--json', 'print JSON')
    .action((id: string, options: OutputOptions & { version?: string }) =>
      withApi(async (api) =>
        output(options, await api.call('catalog:show', { id, version: options.version }), describe),
      ),
    )
  catalog
    .command('import')
    .argument(
      '<source>',
      "a file, folder or http(s) URL: Dokploy's blueprint layout or a Coolify compose template",
    )
    .description('Show a template from Dokploy or Coolify in Helvetia’s format; --save keeps it here')
    .addOption(
      new Option('--format <format>', 'the source’s format')
        .choices(['auto', 'dokploy', 'coolify', 'helvetia'])
        .default('auto'),
    )
    .option('--save', "keep it in this computer's catalogue")
    .option('--json', 'print JSON')
    .action((source: string, options: OutputOptions & { format: 'auto'; save?: boolean }) =>
      withApi(async (api) => {
        const template = await api.call('catalog:import', {
          source,
          format: options.format,
          save: options.save ?? false,
        })
        output(options, template, (t) =>
          [
            describe(t),
            '',
            ...(t.warnings ?? []).map((w) => `Warning: ${w}`),
            options.save
              ? `Saved as ${t.id}: install it with \`helvetia app create NAME --server S --from-catalog ${t.id}\`.`
              : 'Nothing was saved: add --save to keep it.',
          ].join('\n'),
        )
      }),
    )
  catalog
    .command('remove')
    .argument('<id>', 'an imported template')
    .description('Remove an imported template from this computer')
    .action((id: string) =>
      withApi(async (api) => {
        await api.call('catalog:remove', { id })
        process.stdout.write(`Removed the template ${id}.\n`)
      }),
    )
}

/** A template in a few lines: what it is, what it runs, what it asks for. */
function describe(t: Template): string {
  const generated = (v: Template['variables'][number]) =>
    v.required
      ? 'required'
      : v.generator?.kind === 'value'
        ? `= ${v.generator.value}`
        : (v.generator?.kind ?? '')
  return [
    `${t.name} (${t.id}) ${t.version}, app ${t.appVersion} — ${t.description}`,
    `Category: ${t.category}   Origin: ${t.origin}   Versions: ${t.versions.join(', ')}${t.website ? `   ${t.website}` : ''}`,
    '',
    table([
      ['SERVICE', 'IMAGE', 'ROUTED'],
      ...t.services.map((s) => [s.name, s.image, s.routed ? `port ${s.port}` : '']),
    ]),
    '',
    table([
      ['VARIABLE', 'VALUE', 'SECRET', 'DESCRIPTION'],
      ...t.variables.map((v) => [v.name, generated(v), v.secret ? 'yes' : '', v.description]),
    ]),
    ...(t.volumes.length
      ? ['', `Volumes: ${t.volumes.map((v) => `${v.service}:${v.name} → ${v.path}`).join(', ')}`]
      : []),
    ...(t.databases.length
      ? [`Databases: ${t.databases.map((d) => `${d.name} (${d.engine})`).join(', ')}`]
      : []),
  ].join('\n')
}
