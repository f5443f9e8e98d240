import {cloneElement, type ReactElement, useId} from 'react'

/** A validation message from Go: Field is the JSON name of the form's field. */
export type FieldError = {field: string; message: string}

/** The message for one field, if any. */
export function errorFor(errors: FieldError[] | undefined, field: string): string | undefined {
  return errors?.find(e => e.field === field)?.message
}

/** The messages that belong to no field of the form (shown at its top). */
export function otherErrors(errors: FieldError[] | undefined, fields: string[]): string[] {
  return (errors ?? []).filter(e => !fields.some(f => e.field === f || e.field.startsWith(f + '.') || e.field.startsWith(f + '['))).map(e => e.message)
}

/**
 * A labelled form control with its error message beside it: the message is tied to the control
 * (aria-describedby, aria-invalid) so that a screen reader reads it with the field.
 */
export function Field({label, error, hint, children}: {label: string; error?: string; hint?: string; children: ReactElement<Record<string, unknown>>}) {
  const id = useId()
  const described = [hint ? id + '-hint' : '', error ? id + '-error' : ''].filter(Boolean).join(' ') || undefined
  return (
    <div className={'field' + (error ? ' field-invalid' : '')}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, {id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described})}
      {hint && <span className="hint" id={id + '-hint'}>{hint}</span>}
      {error && <span className="field-error" id={id + '-error'}>{error}</span>}
    </div>
  )
}
