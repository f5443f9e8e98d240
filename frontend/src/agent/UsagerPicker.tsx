import {useEffect, useId, useRef, useState} from 'react'
import {DateInput} from '../shared/FrenchInputs'
import {SaveUsager, SearchUsagers} from '../../wailsjs/go/app/AgentService'
import {app} from '../../wailsjs/go/models'
import {errorFor, Field, type FieldError} from '../shared/Field'
import {dateLongue, telephone} from '../shared/format'
import {useApp} from './session'

/** « DUPONT Hélène — née le 3 avril 1980 — 06 12 34 56 78 »: enough to tell namesakes apart. */
export function usagerText(u: app.UsagerForm): string {
  return [`${u.lastName.toUpperCase()} ${u.firstName}`, u.birthDate && 'né(e) le ' + dateLongue(u.birthDate),
    u.phone && telephone(u.phone), u.email].filter(Boolean).join(' — ')
}

export const emptyUsager = (): app.UsagerForm => new app.UsagerForm({id: '', firstName: '', lastName: '', birthName: '', birthDate: '',
  phone: '', email: '', notifySms: true, notifyEmail: true, antsPreDemande: ''})

/** A further person of an ANTS booking: their number in the form, and the first person's name. */
export type Relative = {n: number; of: string}

/**
 * Search as you type (name, phone or e-mail), pick one, or create the usager inline. For a further
 * person of an ANTS booking (relative), the new one is a relative of the first person, with names
 * and birth date only.
 */
export function UsagerPicker({autoFocus, relative, picked, onPick, creating, onCreate, errors}: {
  autoFocus: boolean; relative?: Relative; picked?: app.UsagerForm; onPick: (u?: app.UsagerForm) => void
  creating?: app.UsagerForm; onCreate: (u?: app.UsagerForm) => void; errors?: FieldError[]
}) {
  const {fail} = useApp()
  const [q, setQ] = useState('')
  const [found, setFound] = useState<app.UsagerForm[]>()
  const input = useRef<HTMLInputElement>(null)
  const searchId = useId()
  const newLabel = relative ? `Nouvelle personne (proche de ${relative.of})` : 'Nouvel usager'
  useEffect(() => { if (autoFocus) input.current?.focus() }, [autoFocus])
  useEffect(() => {
    if (q.trim().length < 2) { setFound(undefined); return }
    const t = window.setTimeout(() => SearchUsagers(q).then(setFound).catch(fail), 150)
    return () => window.clearTimeout(t)
  }, [q, fail])

  if (picked) return <PickedUsager usager={picked} onChange={onPick}/>
  if (creating) {
    const set = (k: keyof app.UsagerForm, v: string) => onCreate(new app.UsagerForm({...creating, [k]: v}))
    const text = (k: keyof app.UsagerForm, label: string, props: Record<string, unknown> = {}) => (
      <Field label={label} error={errorFor(errors, k)}>
        <input value={creating[k] as string} onChange={e => set(k, e.target.value)} {...props}/>
      </Field>
    )
    return (
      <fieldset className={'new-usager' + (relative ? ' relative' : '')}>
        <legend>{newLabel}</legend>
        {text('lastName', 'Nom', {autoFocus: true, autoComplete: 'off'})}
        {text('firstName', 'Prénom', {autoComplete: 'off'})}
        <Field label="Date de naissance (facultative)" error={errorFor(errors, 'birthDate')}>
          <DateInput value={creating.birthDate} onChange={d => set('birthDate', d)}/>
        </Field>
        {!relative && text('phone', 'Téléphone', {type: 'tel', placeholder: '06 12 34 56 78'})}
        {!relative && text('email', 'E-mail', {type: 'email'})}
        <button type="button" onClick={() => onCreate(undefined)}>Rechercher plutôt un usager existant</button>
      </fieldset>
    )
  }
  return (
    <div className="usager-search">
      <label htmlFor={searchId}>{relative ? `Rechercher la personne ${relative.n} (nom, téléphone ou e-mail)` : 'Rechercher un usager (nom, téléphone ou e-mail)'}</label>
      <input id={searchId} ref={input} type="search" value={q} onChange={e => setQ(e.target.value)} autoComplete="off" aria-keyshortcuts={relative ? undefined : '/'}/>
      <p className="hint" role="status">
        {found && (found.length ? `${found.length} usager${found.length > 1 ? 's' : ''} trouvé${found.length > 1 ? 's' : ''}` : 'Aucun usager trouvé : créez-le.')}
      </p>
      {found && found.length > 0 && (
        <ul className="choices" aria-label={relative ? `Usagers trouvés pour la personne ${relative.n}` : 'Usagers trouvés'}>
          {found.map(u => <li key={u.id}><button type="button" onClick={() => onPick(u)}>{usagerText(u)}</button></li>)}
        </ul>
      )}
      <button type="button" onClick={() => onCreate({...emptyUsager(), lastName: /\d/.test(q) ? '' : q.trim(), phone: /\d/.test(q) ? q.trim() : ''} as app.UsagerForm)}>{newLabel}</button>
    </div>
  )
}

/** The chosen usager, « Changer d’usager », and their phone and e-mail corrected on the spot. */
function PickedUsager({usager, onChange}: {usager: app.UsagerForm; onChange: (u?: app.UsagerForm) => void}) {
  const {fail} = useApp()
  const [editing, setEditing] = useState<app.UsagerForm>()
  const [errors, setErrors] = useState<FieldError[]>()
  const [saved, setSaved] = useState('')
  const edit = (u?: app.UsagerForm) => { setEditing(u); setErrors(undefined) }
  const save = () => editing && SaveUsager(editing).then(r => {
    if (r.errors?.length) { setErrors(r.errors); return }
    edit(undefined)
    setSaved('Coordonnées de l’usager enregistrées.')
    onChange(editing)
  }).catch(fail)
  const text = (k: 'phone' | 'email', label: string, props: Record<string, unknown>) => (
    <Field label={label} error={errorFor(errors, k)}>
      <input value={editing![k]} onChange={e => setEditing(new app.UsagerForm({...editing, [k]: e.target.value}))} {...props}/>
    </Field>
  )
  return (
    <div className="picked">
      <p>{usagerText(usager)}</p>
      {saved && <p role="status" className="flash">{saved}</p>}
      {editing ? (
        <fieldset className="new-usager">
          <legend>Coordonnées de {usager.lastName.toUpperCase()} {usager.firstName}</legend>
          {text('phone', 'Téléphone', {type: 'tel', placeholder: '06 12 34 56 78', autoFocus: true})}
          {text('email', 'E-mail', {type: 'email'})}
          {errors?.length ? <p className="error" role="alert">Corrigez les champs signalés.</p> : null}
          <div className="actions">
            <button type="button" className="primary" onClick={save}>Enregistrer les coordonnées</button>
            <button type="button" onClick={() => edit(undefined)}>Annuler</button>
          </div>
        </fieldset>
      ) : (
        <div className="actions">
          <button type="button" onClick={() => { setSaved(''); edit(new app.UsagerForm({...usager})) }}>Modifier le téléphone ou l’e-mail</button>
          <button type="button" onClick={() => onChange(undefined)}>Changer d’usager</button>
        </div>
      )}
    </div>
  )
}
