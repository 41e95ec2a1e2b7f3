import { useEffect, useState } from 'react'
import type { RenderedTemplate, Template } from '../../../src-main/api/contract'
import { api } from '../session-store'
import { runTask, type Task } from '../ui/task'
import { renderInput, type InstallForm } from './install-form'

/** How long the form rests before the preview is rendered again: typing a value renders once. */
const SETTLE_MS = 350

export interface Preview {
  /** The template as it would install now; absent until the name and server are fine. */
  rendered: Task<RenderedTemplate> | undefined
  revealed: boolean
  /** The generated values the user revealed: the install sends them, so it keeps what was shown. */
  generated: Record<string, string>
  reveal(): Promise<void>
  hide(): void
}

/**
 * `catalog:render` for the install form, again whenever the form changes. Secret values come masked
 * until `reveal`, which renders once with them shown and keeps the generated ones from then on.
 */
export function usePreview(template: Template, form: InstallForm, ready: boolean): Preview {
  const [rendered, setRendered] = useState<Task<RenderedTemplate>>()
  const [revealed, setRevealed] = useState(false)
  const [generated, setGenerated] = useState<Record<string, string> | null>(null)

  useEffect(() => {
    if (!ready) return
    let current = true
    const timer = setTimeout(() => {
      const input = renderInput(form, template, { reveal: revealed, generated: generated ?? {} })
      void runTask(
        () => api().call('catalog:render', input),
        // A newer render replaces an older one; an older one's answer is dropped.
        (task) => current && setRendered((shown) => (task.status === 'running' && shown ? shown : task)),
      )
    }, SETTLE_MS)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [form, template, revealed, generated, ready])

  const reveal = async (): Promise<void> => {
    if (generated === null) {
      const input = renderInput(form, template, { reveal: true })
      const shown = await api().call('catalog:render', input)
      setGenerated(Object.fromEntries(shown.values.filter((v) => v.generated).map((v) => [v.name, v.value])))
      setRendered({ status: 'done', value: shown })
    }
    setRevealed(true)
  }
  return {
    rendered: ready ? rendered : undefined,
    revealed,
    generated: generated ?? {},
    reveal,
    hide: () => setRevealed(false),
  }
}
