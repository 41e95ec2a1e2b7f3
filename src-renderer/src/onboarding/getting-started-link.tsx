import { href } from '../shell/router'
import { RocketIcon } from '../ui/icons'
import { STEP_IDS } from './checklist'
import { useChecklist } from './use-checklist'

/** The sidebar's way back to the welcome guide, with its progress, until the first app is live. */
export function GettingStartedLink({ current }: { current: boolean }) {
  const list = useChecklist()
  if (list.loading || (list.current === null && !current)) return null
  return (
    <a className="nav-item" href={href({ page: 'welcome' })} aria-current={current ? 'page' : undefined}>
      <RocketIcon />
      <span>Getting started</span>
      <span className="nav-count">
        <span aria-hidden="true">
          {list.doneCount}/{STEP_IDS.length}
        </span>
        <span className="visually-hidden">
          , {list.doneCount} of {STEP_IDS.length} done
        </span>
      </span>
    </a>
  )
}
