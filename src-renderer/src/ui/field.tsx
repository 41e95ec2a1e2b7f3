import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react'

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
  return (
    <FieldFrame
      {...{ label, hint, error, optional, className }}
      control={(props) => (
        <input
          {...input}
          {...props}
          className="input"
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    />
  )
}

/** The label, error and hint around a control, wired up by ids; `control` gets the props to spread. */
function FieldFrame({
  label,
  hint,
  error,
  optional,
  className,
  control,
}: {
  label: string
  hint?: ReactNode
  error?: string
  optional?: boolean
  className?: string
  control(props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }): ReactNode
}) {
  const id = useId()
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ')
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label className="field-label" htmlFor={id}>
        {label}
        {optional && <span className="field-optional"> (optional)</span>}
      </label>
      {control({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
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

interface FrameProps {
  label: string
  hint?: ReactNode
  error?: string
  optional?: boolean
  className?: string
}

export function TextAreaField({
  label,
  hint,
  error,
  optional,
  className,
  value,
  onChange,
  ...textarea
}: FrameProps &
  Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'> & {
    value: string
    onChange(value: string): void
  }) {
  return (
    <FieldFrame
      {...{ label, hint, error, optional, className }}
      control={(props) => (
        <textarea
          {...textarea}
          {...props}
          className="input textarea"
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    />
  )
}

export function SelectField<T extends string>({
  label,
  hint,
  error,
  optional,
  className,
  value,
  options,
  onChange,
  ...select
}: FrameProps &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> & {
    value: T
    options: { value: T; label: string }[]
    onChange(value: T): void
  }) {
  return (
    <FieldFrame
      {...{ label, hint, error, optional, className }}
      control={(props) => (
        <select
          {...select}
          {...props}
          className="input select"
          value={value}
          onChange={(event) => onChange(event.target.value as T)}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    />
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
