import type { ServerFacts } from '../../../src-main/api/contract'
import { describeFacts } from '../ui/format'

/** OS, architecture, root access, Docker and resources, formatted for people. */
export function FactsList({ facts }: { facts: ServerFacts }) {
  return (
    <div className="facts-frame">
      <dl className="facts" aria-label="Server facts">
        {describeFacts(facts).map(([label, value]) => (
          <div key={label} className="fact">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  )
}
