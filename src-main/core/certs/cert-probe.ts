import type { Duplex } from 'node:stream'
import { connect, rootCertificates } from 'node:tls'
import { failed, judgeCertificate, judgeHandshakeFailure, type Verdict } from './cert-judge'

export interface ProbeOptions {
  /** Ends the handshake, which then counts as failed. */
  signal: AbortSignal
  /** Authorities trusted besides Node's standard ones (tests trust their own CA). */
  extraCa?: readonly string[]
}

/**
 * Makes a TLS handshake over `stream` with `domain` as the server name, reads the certificate whatever
 * it is (nothing is verified while connecting), and judges it. Never throws; ends the connection.
 */
export function probeCertificate(domain: string, stream: Duplex, options: ProbeOptions): Promise<Verdict> {
  return new Promise((resolve) => {
    const socket = connect({
      socket: stream,
      servername: domain,
      rejectUnauthorized: false,
      // The chain only: the name is judged with the dates, so the verdict can say which is wrong.
      checkServerIdentity: () => undefined,
      ...(options.extraCa ? { ca: [...rootCertificates, ...options.extraCa] } : {}),
    })
    const finish = (verdict: Verdict) => {
      options.signal.removeEventListener('abort', onAbort)
      socket.destroy()
      stream.destroy()
      resolve(verdict)
    }
    const onAbort = () => finish(failed(domain, 'The proxy did not complete a TLS handshake in time.'))
    if (options.signal.aborted) return onAbort()
    options.signal.addEventListener('abort', onAbort, { once: true })
    socket.once('secureConnect', () => {
      // A string at run time (the error's code), whatever @types/node says.
      const chainError = socket.authorized ? null : String(socket.authorizationError as unknown)
      finish(judgeCertificate(domain, socket.getPeerCertificate(), chainError))
    })
    socket.once('error', (error) => finish(judgeHandshakeFailure(domain, error)))
    stream.on('error', (error: Error) => finish(judgeHandshakeFailure(domain, error)))
  })
}
