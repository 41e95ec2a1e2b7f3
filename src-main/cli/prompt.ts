import { createInterface } from 'node:readline/promises'

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

/** Reads a secret without echoing it: on the terminal when there is one, else the first line of stdin. */
export async function readSecret(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) return readStdinLine()
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
  const output = rl as unknown as { _writeToOutput: (text: string) => void }
  process.stderr.write(prompt)
  output._writeToOutput = () => {}
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
