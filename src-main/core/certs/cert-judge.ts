import { checkServerIdentity, type PeerCertificate } from 'node:tls'
import type { CertificateStatus } from '../../api/contract'

/** A verdict before it is known which proxy gave it. */
export type Verdict = Omit<CertificateStatus, 'proxy'>

const DAY_MS = 24 * 60 * 60 * 1000

/** What Traefik serves for a name it has no certificate for (yet). */
const TRAEFIK_DEFAULT_CERT = 'TRAEFIK DEFAULT CERT'

/** Why a certificate is not there yet, and what it takes: the ACME HTTP challenge reaching the server. */
const ISSUANCE_HINT =
  "Let's Encrypt issues it once the domain's DNS points at the server and port 80 reaches the proxy; if this lasts, check both."

/**
 * The verdict on the certificate `peer` that was served for `domain`. `chainError` is OpenSSL's
 * verdict on its chain alone (the TLS socket's authorizationError with the host name check left out),
 * null when a trusted authority issued it; the name and the dates are judged here.
 */
export function judgeCertificate(
  domain: string,
  peer: PeerCertificate,
  chainError: string | null,
  now: Date = new Date(),
): Verdict {
  if (!peer.raw) return noCertificate(domain)
  const issuer = nameOf(peer.issuer)
  const subject = nameOf(peer.subject)
  const altNames = (peer.subjectaltname ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:') || entry.startsWith('IP Address:'))
    .map((entry) => entry.slice(entry.indexOf(':') + 1))
  const validFrom = new Date(peer.valid_from)
  const validTo = new Date(peer.valid_to)
  const facts = {
    domain,
    issuer,
    subject,
    altNames,
    validFrom: validFrom.toISOString(),
    validTo: validTo.toISOString(),
    daysLeft: Math.floor((validTo.getTime() - now.getTime()) / DAY_MS),
  }
  const expiry = `${facts.validTo.slice(0, 10)} (${inDays(facts.daysLeft)})`

  if (subject === TRAEFIK_DEFAULT_CERT) {
    return {
      ...facts,
      state: 'pending',
      message: `Traefik serves its default certificate: it has none for ${domain} yet. ${ISSUANCE_HINT}`,
    }
  }
  if (checkServerIdentity(domain, peer) !== undefined) {
    const covers = altNames.length > 0 ? altNames.join(', ') : (subject ?? 'no name')
    return {
      ...facts,
      state: 'mismatch',
      message: `The certificate served is for ${covers}, not ${domain}: another site's certificate answers for this name.`,
    }
  }
  if (validTo.getTime() <= now.getTime()) {
    return {
      ...facts,
      state: 'expired',
      message: `Expired on ${facts.validTo.slice(0, 10)}: the proxy did not renew it. Its log says why; the renewal needs the same DNS and port 80 as the first issue.`,
    }
  }
  if (validFrom.getTime() > now.getTime()) {
    return {
      ...facts,
      state: 'untrusted',
      message: `Not valid before ${facts.validFrom}: check the clocks of this computer and of the server.`,
    }
  }
  if (chainError !== null) {
    return { ...facts, state: 'untrusted', message: untrustedMessage(chainError, issuer, expiry) }
  }
  return {
    ...facts,
    state: 'valid',
    message: `Issued by ${issuer ?? 'a trusted authority'}; expires ${expiry}.`,
  }
}

/**
 * The verdict when the TLS handshake itself failed. A proxy that has no certificate for the name
 * aborts the handshake with an alert: Caddy sends `internal_error` while the certificate is being
 * issued or could not be; `unrecognized_name` is the standard one for a name it does not serve.
 */
export function judgeHandshakeFailure(domain: string, error: Error): Verdict {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR' || code === 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME') {
    return noCertificate(domain)
  }
  return failed(domain, `No certificate could be read: ${error.message}`)
}

/** The verdict when nothing could be asked at all (no proxy, no connection). */
export function failed(domain: string, message: string): Verdict {
  return {
    domain,
    state: 'error',
    issuer: null,
    subject: null,
    altNames: [],
    validFrom: null,
    validTo: null,
    daysLeft: null,
    message,
  }
}

function noCertificate(domain: string): Verdict {
  return {
    ...failed(domain, `The proxy has no certificate for ${domain} yet. ${ISSUANCE_HINT}`),
    state: 'pending',
  }
}

function untrustedMessage(chainError: string, issuer: string | null, expiry: string): string {
  const until = `Expires ${expiry}.`
  if (chainError === 'DEPTH_ZERO_SELF_SIGNED_CERT') {
    return `Self-signed: browsers warn before they show the site. ${until}`
  }
  if (issuer?.startsWith('Caddy Local Authority')) {
    return `Issued by ${issuer}, Caddy's own CA (for .localhost and internal names), which browsers do not trust. ${until}`
  }
  return `Issued by ${issuer ?? 'an unknown authority'}, which browsers do not trust (${chainError}). ${until}`
}

function inDays(days: number): string {
  if (days <= 0) return 'within a day'
  return days === 1 ? 'in 1 day' : `in ${days} days`
}

/** A certificate name's common name, else its organization (either may repeat: the first one). */
function nameOf(name: PeerCertificate['subject'] | undefined): string | null {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)
  return first(name?.CN) ?? first(name?.O) ?? null
}
