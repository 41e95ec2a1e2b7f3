import type { ProvisionInput } from '../../../../src-main/api/contract'
import { emailError, portError } from '../../ui/forms'
import type { ProvisionForm } from './provision-store'

type ProvisionErrors = Partial<Record<keyof ProvisionForm, string>>

export function provisionErrors(form: ProvisionForm): ProvisionErrors {
  const errors: ProvisionErrors = {
    email: emailError(form.email),
    proxyImage: /\s/.test(form.proxyImage.trim()) ? 'An image reference has no spaces.' : undefined,
    httpPort: portError(form.httpPort, { optional: true }),
    httpsPort: portError(form.httpsPort, { optional: true }),
    bind: /^[0-9A-Fa-f:.]*$/.test(form.bind.trim())
      ? undefined
      : 'Enter one of the server’s IP addresses, like 127.0.0.1, or leave it empty for all of them.',
  }
  if (
    !errors.httpPort &&
    !errors.httpsPort &&
    form.httpPort.trim() !== '' &&
    form.httpPort.trim() === form.httpsPort.trim()
  )
    errors.httpsPort = 'HTTP and HTTPS need different ports.'
  return Object.fromEntries(Object.entries(errors).filter(([, message]) => message)) as ProvisionErrors
}

/** Only what the user set: the core picks the defaults for the rest. */
export function provisionInput(name: string, form: ProvisionForm): ProvisionInput {
  const input: ProvisionInput = { name, proxy: form.proxy }
  if (form.email.trim()) input.email = form.email.trim()
  if (form.proxyImage.trim()) input.proxyImage = form.proxyImage.trim()
  if (form.httpPort.trim()) input.httpPort = Number(form.httpPort)
  if (form.httpsPort.trim()) input.httpsPort = Number(form.httpsPort)
  if (form.bind.trim()) input.bind = form.bind.trim()
  return input
}
