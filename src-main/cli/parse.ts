import { InvalidArgumentError } from 'commander'

export function parsePort(value: string): number {
  const port = Number(value)
  if (!/^\d+$/.test(value) || port < 1 || port > 65535)
    throw new InvalidArgumentError('expected a port from 1 to 65535')
  return port
}

export function parseCount(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('expected a whole number')
  return Number(value)
}

export function parseCpus(value: string): number {
  const cpus = Number(value)
  if (!/^\d+(\.\d+)?$/.test(value) || !(cpus > 0))
    throw new InvalidArgumentError('expected a number such as 0.5 or 2')
  return cpus
}

/** For a repeatable option: each value added to the list. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value]
