/** Values a template variable generates, from the OS's random source. */
import { randomBytes, randomInt } from 'node:crypto'
import type { GeneratorSpec } from './template-schema'

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** Letters and digits only: safe in a URL, an env file and a shell word as it is. */
export function randomPassword(length: number): string {
  return Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('')
}

/** A generated password or secret; other generators take their value from the app (render.ts). */
export function generateRandom(generator: GeneratorSpec): string | null {
  if (generator.kind === 'password') return randomPassword(generator.length)
  if (generator.kind === 'secret') return randomBytes(generator.bytes).toString(generator.encoding)
  return null
}
