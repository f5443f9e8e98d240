import {type FormEvent, type ReactNode, useState} from 'react'
import type {app} from '../../wailsjs/go/models'
import {errorFor, Field, type FieldError, otherErrors} from '../shared/Field'
import {DateInput, TimeInput} from '../shared/FrenchInputs'
import {useApp} from './session'

// The settings' forms: an entity's editor, its inputs with their errors, the form and its notice.

/** One entity's form: its value, the errors beside the fields, save and cancel. */
export function useEditor<T extends object>(save: (f: T) => Promise<app.SaveResult>, reload: () => void) {
  const {fail} = useApp()
  const [form, setForm] = useState<T>()
  const [errors, setErrors] = useState<FieldError[]>()
  const [saved, setSaved] = useState('')
  const edit = (f?: T, keepSaved = false) => { setForm(f && structuredClone(f)); setErrors(undefined); if (!keepSaved) setSaved('') }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!form) return
    save(form).then(r => {
      if (r.errors?.length) { setErrors(r.errors); return }
      edit(undefined)
      setSaved('Modifications enregistrées.')
      reload()
    }).catch(fail)
  }
  const set = (patch: Partial<T>) => setForm(f => f && {...f, ...patch})
  return {form, edit, set, errors, submit, saved}
}

/** Inputs bound to a form's fields, each with its error message. */
export function inputs<T extends object>(form: T, set: (p: Partial<T>) => void, errors: FieldError[] | undefined) {
  const v = (k: keyof T) => form[k] as unknown
  const err = (k: keyof T) => errorFor(errors, String(k))
  return {
    text: (k: keyof T, label: string, {hint, ...props}: Record<string, unknown> = {}) => (
      <Field label={label} error={err(k)} hint={hint as string | undefined}>
        <input value={String(v(k) ?? '')} onChange={e => set({[k]: e.target.value} as Partial<T>)} {...props}/>
      </Field>
    ),
    number: (k: keyof T, label: string, {hint, ...props}: Record<string, unknown> = {}) => (
      <Field label={label} error={err(k)} hint={hint as string | undefined}>
        <input type="number" value={Number(v(k) ?? 0)} onChange={e => set({[k]: Number(e.target.value)} as Partial<T>)} {...props}/>
      </Field>
    ),
    /** A date typed jj/mm/aaaa, kept YYYY-MM-DD. */
    date: (k: keyof T, label: string, hint?: string) => (
      <Field label={label} error={err(k)} hint={hint}>
        <DateInput value={String(v(k) ?? '')} onChange={d => set({[k]: d} as Partial<T>)}/>
      </Field>
    ),
    /** A time typed « 9 h 30 », kept HH:MM; allow24: « 24 h 00 », the end of a day. */
    time: (k: keyof T, label: string, {hint, allow24}: {hint?: string; allow24?: boolean} = {}) => (
      <Field label={label} error={err(k)} hint={hint}>
        <TimeInput value={String(v(k) ?? '')} onChange={t => set({[k]: t} as Partial<T>)} allow24={allow24}/>
      </Field>
    ),
    check: (k: keyof T, label: string) => (
      <div className="check">
        <label><input type="checkbox" checked={!!v(k)} onChange={e => set({[k]: e.target.checked} as Partial<T>)}/> {label}</label>
        {err(k) && <span className="field-error">{err(k)}</span>}
      </div>
    ),
    select: (k: keyof T, label: string, options: [string, string][]) => (
      <Field label={label} error={err(k)}>
        <select value={String(v(k) ?? '')} onChange={e => set({[k]: e.target.value} as Partial<T>)}>
          {options.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
        </select>
      </Field>
    ),
  }
}

export function EditorForm({title, errors, fields, onSubmit, onCancel, children}: {
  title: string; errors?: FieldError[]; fields: string[]; onSubmit: (e: FormEvent) => void; onCancel?: () => void; children: ReactNode
}) {
  const others = otherErrors(errors, fields)
  return (
    <form className="editor" onSubmit={onSubmit} aria-label={title} noValidate>
      <h3>{title}</h3>
      {errors?.length ? <p className="error" role="alert">Corrigez les champs signalés{others.length ? ' : ' + others.join(' ') : '.'}</p> : null}
      {children}
      <div className="actions">
        <button type="submit" className="primary">Enregistrer</button>
        {onCancel && <button type="button" onClick={onCancel}>Annuler</button>}
      </div>
    </form>
  )
}

export function Saved({text}: {text: string}) {
  return <p role="status" className="flash">{text}</p>
}
