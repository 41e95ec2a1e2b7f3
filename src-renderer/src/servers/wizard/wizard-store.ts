import { create } from 'zustand'
import type { HostKeyProbe, ServerSummary, SshConfigHost } from '../../../../src-main/api/contract'
import { api } from '../../session-store'
import { runTask, type Task } from '../../ui/task'
import { useServers } from '../servers-store'
import { addServerInput, EMPTY_ADDRESS, fromSshConfig, type AddressForm } from './address-form'

export const WIZARD_STEPS = [
  { id: 'address', label: 'Address' },
  { id: 'host-key', label: 'Host key' },
  { id: 'checks', label: 'Checks' },
  { id: 'provision', label: 'Provision' },
  { id: 'done', label: 'Done' },
] as const

export type WizardStep = (typeof WIZARD_STEPS)[number]['id']

interface WizardState {
  step: WizardStep
  form: AddressForm
  /** Field errors show once the user first tries to continue. */
  showErrors: boolean
  sshHosts: Task<SshConfigHost[]> | null
  probe: Task<HostKeyProbe> | null
  /** The user's explicit confirmation that the fingerprint is the server's. */
  trusted: boolean
  added: Task<ServerSummary> | null
  setField<K extends keyof AddressForm>(key: K, value: AddressForm[K]): void
  revealErrors(): void
  loadSshHosts(): Promise<void>
  applySshHost(entry: SshConfigHost): void
  /** The address is valid: read the server's host key, or for this computer go straight to the checks. */
  submitAddress(): void
  probeHostKey(): Promise<void>
  setTrusted(trusted: boolean): void
  editAddress(): void
  /** Saves the server with the confirmed key (once), then checks it. Also the retry of both. */
  connect(): Promise<void>
  go(step: Extract<WizardStep, 'provision' | 'done'>): void
  reset(): void
}

const initial = {
  step: 'address' as WizardStep,
  form: EMPTY_ADDRESS,
  showErrors: false,
  sshHosts: null,
  probe: null,
  trusted: false,
  added: null,
}

export const useWizard = create<WizardState>((set, get) => ({
  ...initial,
  setField: (key, value) => set((state) => ({ form: { ...state.form, [key]: value } })),
  revealErrors: () => set({ showErrors: true }),
  async loadSshHosts() {
    await runTask(
      () => api().call('servers:import-ssh-config'),
      (sshHosts) => set({ sshHosts }),
    )
  },
  applySshHost: (entry) => set((state) => ({ form: fromSshConfig(entry, state.form) })),
  submitAddress() {
    set({ probe: null, trusted: false })
    if (get().form.where === 'local') {
      void get().connect()
      return
    }
    set({ step: 'host-key' })
    void get().probeHostKey()
  },
  async probeHostKey() {
    const { host, port } = get().form
    await runTask(
      () => api().call('servers:probe-host-key', { host: host.trim(), port: Number(port) }),
      (probe) => set({ probe }),
    )
  },
  setTrusted: (trusted) => set({ trusted }),
  editAddress: () => set({ step: 'address', probe: null, trusted: false }),
  async connect() {
    const { probe, form, added } = get()
    const fingerprint = probe?.status === 'done' ? probe.value.fingerprint : null
    // Over SSH nothing is sent before the user confirmed the host key.
    if (form.where === 'ssh' && !fingerprint) return
    set({ step: 'checks' })
    let server = added?.status === 'done' ? added.value : undefined
    if (!server) {
      server = await runTask(
        () => api().call('servers:add', addServerInput(form, fingerprint)),
        (added) => set({ added }),
      )
      if (!server) return
      // Saved: the secrets are in the keychain now and need not stay in this page.
      set((state) => ({ form: { ...state.form, passphrase: '', password: '' } }))
    }
    await useServers.getState().check(server)
  },
  go: (step) => set({ step }),
  reset: () => set(initial),
}))
