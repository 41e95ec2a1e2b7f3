/**
 * Only the server layer (src-main/core/remote) executes on a server: no other file of src-main may
 * run a command, open a pty or a forward on a Target or an SSH connection, nor run a script by its
 * file name instead of a named operation. Checked with TypeScript's type checker, so a call is found
 * whatever its receiver is named, and `RegExp.exec` is not taken for one.
 */
import assert from 'node:assert/strict'
import { join, relative, sep } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** What may touch a server directly: the layer itself and the implementations it drives. */
const ALLOWED = ['src-main/core/remote/', 'src-main/core/ssh/', 'src-main/core/targets/']

/** Members that execute on a server, by the file that declares them. */
const SERVER_MEMBERS: Record<string, readonly string[]> = {
  'src-main/core/targets/target.ts': ['exec', 'forwardOut'],
  'src-main/core/targets/local-target.ts': ['exec'],
  'src-main/core/ssh/ssh-connection.ts': ['exec', 'openShell', 'forwardOut'],
  'src-main/core/remote/script-runner.ts': ['run'],
}

const path = (file: string) => relative(ROOT, file).split(sep).join('/')

/** `file:line member` for each use of a server-executing member outside the layer. */
function violations(extra: Record<string, string> = {}): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) =>
        assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    },
  )
  assert.ok(config)
  const virtual = new Map(Object.entries(extra).map(([file, text]) => [join(ROOT, file), text]))
  const host = ts.createCompilerHost(config.options)
  const { getSourceFile, fileExists, readFile } = host
  host.getSourceFile = (file, language, ...rest) => {
    const text = virtual.get(file)
    return text === undefined
      ? getSourceFile(file, language, ...rest)
      : ts.createSourceFile(file, text, language)
  }
  host.fileExists = (file) => virtual.has(file) || fileExists(file)
  host.readFile = (file) => virtual.get(file) ?? readFile(file)
  const roots = [...config.fileNames.filter((f) => path(f).startsWith('src-main/')), ...virtual.keys()]
  const program = ts.createProgram(roots, config.options, host)
  const checker = program.getTypeChecker()

  const found: string[] = []
  for (const source of program.getSourceFiles()) {
    const file = path(source.fileName)
    if (!file.startsWith('src-main/') || ALLOWED.some((dir) => file.startsWith(dir))) continue
    const visit = (node: ts.Node): void => {
      const name = ts.isPropertyAccessExpression(node)
        ? node.name
        : ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)
          ? node.argumentExpression
          : null
      const symbol = name && checker.getSymbolAtLocation(name)
      const declared = symbol?.declarations?.map((d) => path(d.getSourceFile().fileName)) ?? []
      if (name && declared.some((d) => SERVER_MEMBERS[d]?.includes(name.getText().replace(/['"]/g, '')))) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart())
        found.push(`${file}:${line + 1} ${name.getText()}`)
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return found
}

test('only src-main/core/remote executes on a server', () => {
  // A file that runs its own shell on a server, however it reaches the method, is found...
  const sneaky = 'src-main/core/deploy/sneaky-exec.ts'
  const found = violations({
    [sneaky]: [
      "import type { Target } from '../targets/target'",
      "import type { SshConnection } from '../ssh/ssh-connection'",
      "import type { ScriptRunner } from '../remote/script-runner'",
      "export const a = (server: Target) => server.exec('cat ~/.helvetia/apps/web/meta.json')",
      "export const b = (c: SshConnection) => c['openShell']({ cols: 80, rows: 24 })",
      "export const c = (c: SshConnection) => c.forwardOut('127.0.0.1', 80)",
      "export const d = (s: ScriptRunner, t: Target) => s.run(t, 'facts.sh')",
      'export const e = (line: string) => /x/.exec(line)',
      '',
    ].join('\n'),
  })
  assert.deepEqual(
    found.filter((v) => v.startsWith(sneaky)),
    [`${sneaky}:4 exec`, `${sneaky}:5 'openShell'`, `${sneaky}:6 forwardOut`, `${sneaky}:7 run`],
  )
  // ...and no real file does it.
  assert.deepEqual(
    found.filter((v) => !v.startsWith(sneaky)),
    [],
  )
})
