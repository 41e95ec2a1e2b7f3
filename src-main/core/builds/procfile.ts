/**
 * A Procfile: one `type: command` a line (Heroku's format). The `web` type is the routed process, and
 * its command the start command of a generated Dockerfile; the other types are shown in the plan (the
 * processes service runs them as workers).
 */
export interface ProcfileEntry {
  name: string
  command: string
}

const LINE = /^([A-Za-z0-9_-]+):\s*(.*\S)\s*$/

export function parseProcfile(text: string): ProcfileEntry[] {
  const entries: ProcfileEntry[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const m = LINE.exec(line)
    if (m && !entries.some((e) => e.name === m[1])) entries.push({ name: m[1]!, command: m[2]! })
  }
  return entries
}
