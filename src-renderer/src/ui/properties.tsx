import type { ReactNode } from 'react'

/** A label and its value, as one row of a `Properties` list. */
export type PropertyRow = [label: string, value: ReactNode]

/** Labelled values, such as a deployment's record or a server's facts (styled by `.properties`). */
export function Properties({ rows }: { rows: PropertyRow[] }) {
  return (
    <dl className="properties">
      {rows.map(([label, value]) => (
        <div key={label} className="property">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}
