import type { ScriptRunner } from '../remote/script-runner'
import type { Target } from '../targets/target'
import { DETECTION_READS } from './build-plan'
import { memorySource, type SourceFiles } from './source-files'

/**
 * A git commit's files as detection reads them, from the server's copy of the repository (git-files.sh
 * through the `git.files` operation): one round trip brings every folder listing and file detection may
 * read (DETECTION_READS, and the app's Dockerfile path), then the reader answers from memory.
 */
export async function gitCommitSource(
  target: Target,
  scripts: ScriptRunner,
  input: {
    prefix: string
    app: string
    commit: string
    url: string
    dockerfile: string
  },
  signal?: AbortSignal,
): Promise<SourceFiles> {
  const folders = DETECTION_READS.folders.map((f) => (f === '' ? '.' : f))
  const paths = [...new Set([...DETECTION_READS.files, input.dockerfile])]
  const { lines } = await scripts.call(
    target,
    'git.files',
    {
      prefix: input.prefix,
      app: input.app,
      commit: input.commit,
      folders: folders.join(' '),
      files: paths.join(' '),
    },
    { signal },
  )
  const files = new Map<string, string>()
  const entries = new Map<string, string[]>(DETECTION_READS.folders.map((f) => [f, []]))
  for (const line of lines) {
    const entry = /^entry (\S+) (.+)$/.exec(line)
    if (entry) entries.get(entry[1] === '.' ? '' : entry[1]!)?.push(entry[2]!)
    const file = /^file (\S+) ([A-Za-z0-9+/=]*)$/.exec(line)
    if (file) files.set(file[1]!, Buffer.from(file[2]!, 'base64').toString('utf8'))
  }
  const where = `${input.url} at ${input.commit.slice(0, 12)}`
  const memory = memorySource(where, files)
  return {
    where,
    async list(dir) {
      const names = entries.get(dir)
      if (!names) throw new Error(`Detection listed ${dir}/, which DETECTION_READS does not name`)
      return [...names].sort()
    },
    async read(path) {
      if (!paths.includes(path))
        throw new Error(`Detection read ${path}, which DETECTION_READS does not name`)
      return memory.read(path)
    },
  }
}
