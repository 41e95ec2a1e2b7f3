import { createInterface } from 'node:readline/promises'
import { Writable } from 'node:stream'

/** True when a person can answer questions: both ends are terminals. */
export const interactive = (): boolean => Boolean(process.stdin.isTTY && process.stderr.isTTY)

/** Asks a yes/no question on the terminal; anything but yes is no. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim())
  } finally {
    rl.close()
  }
}

/** Asks for a line on the terminal, echoed as typed. */
export async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return await rl.question(question)
  } finally {
    rl.close()
  }
}

/**
 * Reads a secret without echoing it: on the terminal when there is one (raw mode, and readline's own
 * redrawing of the line goes nowhere), else the first line of stdin.
 */
export async function readSecret(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) return readStdinLine()
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() })
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true })
  // Raw mode turns Ctrl+C into a key: make it stop the command, as it does elsewhere.
  rl.once('SIGINT', () => {
    process.stderr.write('\n')
    process.exit(130)
  })
  process.stderr.write(prompt)
  try {
    return await rl.question('')
  } finally {
    rl.close()
    process.stderr.write('\n')
  }
}

/** The first line of standard input (for `--password-stdin` and friends), without its newline. */
export async function readStdinLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin })
  for await (const line of rl) {
    rl.close()
    return line
  }
  return ''
}

/** All of standard input, as UTF-8 text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
