import { parsePublicKey } from '../ssh/key-pair'
import type { Target } from '../targets/target'
import type { ScriptRunner } from './script-runner'

/**
 * Appends `publicKey` to ~/.ssh/authorized_keys on `target` unless a line there already has the same
 * key, creating ~/.ssh (700) and the file (600) when missing and leaving existing ones as they are
 * (remote-scripts/authorize-key.sh). Resolves true when it added the key. Typically run over a
 * one-time password login; anything but one plain public key line is refused before anything runs.
 */
export async function installPublicKey(scripts: ScriptRunner, target: Target, publicKey: string) {
  const { line, blob } = parsePublicKey(publicKey)
  const { facts } = await scripts.call(target, 'ssh.authorize-key', { blob }, { stdin: line })
  if (facts.outcome !== 'added' && facts.outcome !== 'present') {
    throw new Error(`authorize-key.sh reported ${JSON.stringify(facts)}`)
  }
  return facts.outcome === 'added'
}
