import { useId, type InputHTMLAttributes, type ReactNode } from 'react'

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> {
  label: string
  value: string
  onChange(value: string): void
  hint?: ReactNode
  /** Shown under the field and announced with it; marks the field invalid. */
  error?: string
  optional?: boolean
}

export function TextField({
  label,
  value,
  onChange,
  hint,
  error,
  optional,
  className,
  ...input
}: TextFieldProps) {
  const id = useId()
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ')
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label className="field-label" htmlFor={id}>
        {label}
        {optional && <span className="field-optional"> (optional)</span>}
      </label>
      <input
        {...input}
        id={id}
        className="input"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  )
}

export interface Choice<T extends string> {
  value: T
  label: string
  description: ReactNode
}

/** Radio cards: a labelled group whose arrow keys move between the choices. */
export function ChoiceGroup<T extends string>({
  legend,
  name,
  value,
  choices,
  onChange,
}: {
  legend: string
  name: string
  value: T
  choices: Choice<T>[]
  onChange(value: T): void
}) {
  return (
    <fieldset className="field choices">
      <legend className="field-label">{legend}</legend>
      <div className="choice-grid">
        {choices.map((choice) => (
          <label key={choice.value} className="choice">
            <input
              type="radio"
              name={name}
              value={choice.value}
              checked={value === choice.value}
              onChange={() => onChange(choice.value)}
            />
            <span className="choice-text">
              <span className="choice-label">{choice.label}</span>
              <span className="choice-description">{choice.description}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  )
}
