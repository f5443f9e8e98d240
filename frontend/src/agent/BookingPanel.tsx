import {useEffect, useRef, useState} from 'react'
import {Book, SamePersons} from '../../wailsjs/go/app/AgentService'
import {app} from '../../wailsjs/go/models'
import {dateOf, heure, jour, quand} from '../shared/format'
import {Alternatives, SlotFinder, slotText} from './SlotFinder'
import {useApp} from './session'
import {UsagerPicker, usagerText} from './UsagerPicker'
import {Field, errorFor, otherErrors} from '../shared/Field'
import {ConfirmDialog} from './Confirm'

/** A slot chosen in the grid: a start, an agenda, and the lieu of the plage there. */
export type Preset = {start: string; agentId: string; lieuId: string}

const usagerFields = ['lastName', 'firstName', 'birthDate', 'phone', 'email', 'antsPreDemande', 'people', 'preDemandes']

/** A further person of an ANTS booking: an existing usager picked, or a new relative typed. */
type Other = {picked?: app.UsagerForm; creating?: app.UsagerForm}

/** The errors of person n's own fields (« people.n.lastName » → « lastName »). */
const personErrors = (errors: app.BookResult['errors'] | undefined, n: number) =>
  errors?.filter(e => e.field.startsWith(`people.${n}.`)).map(e => ({...e, field: e.field.slice(`people.${n}.`.length)}))

/**
 * The booking form, three steps on one panel: the slot (a click in the grid, or « Trouver un
 * créneau » with motif, lieu, first day and number of documents), the usager (found as you type or
 * created inline) — for an ANTS motif one person per title, each with their pré-demande number,
 * the further ones existing usagers or new relatives of the first —, then « Confirmer ». A refusal
 * comes back as data: a slot taken meanwhile offers the next free ones; a benign warning can be
 * overridden; the people's fields show their errors.
 */
export function BookingPanel({preset, focus, agentId, date, lieuId, onBooked, onClose}: {
  preset?: Preset; focus?: 'motif' | 'usager'; agentId?: string; date: string; lieuId: string
  onBooked: (rdv: app.RdvView, message: string) => void; onClose: () => void
}) {
  const {startup, fail} = useApp()
  const [motifId, setMotifId] = useState('')
  const [documents, setDocuments] = useState(1)
  const [slot, setSlot] = useState<app.SlotView | undefined>(preset && {start: preset.start, end: '', agentId: preset.agentId,
    agentName: startup.agents.find(a => a.id === preset.agentId)?.name ?? '', lieuId: preset.lieuId,
    lieuName: startup.lieux.find(l => l.id === preset.lieuId)?.name ?? '', label: `${jour(dateOf(preset.start))} à ${heure(preset.start)}`})
  const [usager, setUsager] = useState<app.UsagerForm>()
  const [creating, setCreating] = useState<app.UsagerForm>()
  const [others, setOthers] = useState<Other[]>([])
  const [numbers, setNumbers] = useState<string[]>([''])
  const [context, setContext] = useState('')
  const [result, setResult] = useState<app.BookResult>()
  const [busy, setBusy] = useState(false)
  const [same, setSame] = useState<app.UsagerForm[]>()
  const motifSelect = useRef<HTMLSelectElement>(null)
  const motif = startup.motifs.find(m => m.id === motifId)

  useEffect(() => { if (focus !== 'usager') motifSelect.current?.focus() }, [focus])

  const ants = !!motif?.ants
  const people = ants ? documents : 1
  const pickSlot = (s: app.SlotView) => { setSlot(s); setResult(undefined) }
  /** Sets the number of titles: one line per person, the lines typed so far kept. */
  const setTitles = (n: number) => {
    setDocuments(n)
    setOthers(o => Array.from({length: n - 1}, (_, i) => o[i] ?? {}))
    setNumbers(p => Array.from({length: n}, (_, i) => p[i] ?? ''))
  }
  const setOther = (i: number, o: Other) => { setOthers(all => all.map((x, j) => j === i ? o : x)); setResult(undefined) }
  /** A number typed again: its refusal goes with the old one. */
  const setNumber = (i: number, v: string) => {
    setNumbers(all => all.map((x, j) => j === i ? v : x))
    setResult(r => r?.errors?.some(e => e.field === `preDemandes.${i}`) ? new app.BookResult({...r, errors: r.errors.filter(e => e.field !== `preDemandes.${i}`)}) : r)
  }
  /** A known person picked: their number, when they have one, fills their line. */
  const known = (i: number, u?: app.UsagerForm) => { if (u?.antsPreDemande) setNumber(i, u.antsPreDemande) }
  const pickFirst = (u?: app.UsagerForm) => { setUsager(u); setResult(undefined); known(0, u) }
  /**
   * Books for the usager picked (chosen: the existing one the agent recognised), or for the new
   * one once checked: a new usager who is most likely someone already known is asked about first.
   */
  const book = (override: boolean, chosen?: app.UsagerForm, checked = override) => {
    if (!slot || !motifId) return
    if (creating && !chosen && !checked) {
      SamePersons(creating).then(list => list.length ? setSame(list) : book(override, undefined, true)).catch(fail)
      return
    }
    const who = chosen ?? usager
    setBusy(true)
    const extra = ants ? others.slice(0, people - 1) : []
    Book(app.BookInput.createFrom({motifId, lieuId: slot.lieuId, agentId: slot.agentId, start: slot.start, documents, usagerIds: who ? [who.id] : [],
      newUsager: who ? undefined : creating, others: extra.map(o => ({usagerId: o.picked?.id ?? '', new: o.picked ? undefined : o.creating})),
      preDemandes: ants ? numbers.slice(0, people) : [], context, override})).then(res => {
      setBusy(false)
      if (res.rdv) onBooked(res.rdv, `Rendez-vous enregistré le ${quand(res.rdv.start)} pour ${res.rdv.usagers.join(', ')}.`)
      else setResult(res)
    }).catch(e => { setBusy(false); fail(e) })
  }
  const first = usager ?? creating
  const firstName = first ? `${first.lastName.toUpperCase()} ${first.firstName}`.trim() : ''
  const lacking = ants ? others.slice(0, people - 1).findIndex(o => !o.picked && !o.creating) : -1
  const missing = !motifId ? 'Choisissez un motif.' : !slot ? 'Choisissez un créneau.' : !first ? 'Choisissez ou créez l’usager.'
    : lacking >= 0 ? `Choisissez ou créez la personne ${lacking + 2}.` : ''
  const number = (i: number) => (
    <Field label={`Numéro de pré-demande ANTS de la personne ${i + 1}`} error={errorFor(result?.errors, `preDemandes.${i}`)}
      hint={i === 0 ? '10 lettres ou chiffres ; vide si la personne remplit le formulaire papier sur place' : undefined}>
      <input value={numbers[i] ?? ''} onChange={e => setNumber(i, e.target.value)} autoComplete="off" spellCheck={false}/>
    </Field>
  )

  return (
    <section aria-labelledby="book-title" className="booking">
      <h2 id="book-title">Nouveau rendez-vous</h2>
      <div className="step">
        <h3>1. Créneau</h3>
        <label htmlFor="book-motif">Motif</label>
        <select id="book-motif" ref={motifSelect} value={motifId} onChange={e => { setMotifId(e.target.value); setResult(undefined); if (!preset) setSlot(undefined) }}>
          <option value="">Choisissez un motif…</option>
          {startup.motifs.map(m => <option key={m.id} value={m.id}>{m.name} ({m.durationMin}{'\u202f'}min)</option>)}
        </select>
        {ants && (
          <>
            <label htmlFor="book-docs">Nombre de titres (une personne par titre)</label>
            <input id="book-docs" type="number" min={1} max={6} value={documents} onChange={e => { setTitles(Math.min(6, Math.max(1, Number(e.target.value)))); if (!preset) setSlot(undefined) }}/>
          </>
        )}
        {slot ? (
          <div className="picked">
            <p data-testid="picked-slot">{slotText(slot)}</p>
            <button type="button" onClick={() => setSlot(undefined)}>Changer de créneau</button>
          </div>
        ) : (
          <SlotFinder motifId={motifId} documents={documents} date={date} lieuId={lieuId} agentId={agentId} onPick={pickSlot}/>
        )}
      </div>
      <div className="step">
        <h3>2. {ants && people > 1 ? 'Personnes (une par titre)' : 'Usager'}</h3>
        {ants ? (
          <ol className="people">
            <li>
              <fieldset className="person">
                <legend>Personne 1</legend>
                <UsagerPicker autoFocus={focus === 'usager'} picked={usager} onPick={pickFirst} creating={creating} onCreate={setCreating} errors={result?.errors}/>
                {number(0)}
              </fieldset>
            </li>
            {others.slice(0, people - 1).map((o, i) => (
              <li key={i}>
                <fieldset className="person">
                  <legend>Personne {i + 2}</legend>
                  {firstName ? (
                    <UsagerPicker autoFocus={false} relative={{n: i + 2, of: firstName}} picked={o.picked} onPick={u => { setOther(i, {picked: u}); known(i + 1, u) }}
                      creating={o.creating} onCreate={u => setOther(i, {creating: u})} errors={personErrors(result?.errors, i + 1)}/>
                  ) : <p className="hint">Choisissez d’abord la personne 1.</p>}
                  {errorFor(result?.errors, `people.${i + 1}`) && <p className="field-error">{errorFor(result?.errors, `people.${i + 1}`)}</p>}
                  {number(i + 1)}
                </fieldset>
              </li>
            ))}
          </ol>
        ) : (
          <UsagerPicker autoFocus={focus === 'usager'} picked={usager} onPick={u => { setUsager(u); setResult(undefined) }}
            creating={creating} onCreate={setCreating} errors={result?.errors}/>
        )}
        <label htmlFor="book-context">Note pour les agents (facultative)</label>
        <textarea id="book-context" rows={2} value={context} onChange={e => setContext(e.target.value)}/>
      </div>
      <div className="step">
        <h3>3. Confirmation</h3>
        {result?.message && (
          <div className="refusal" role="alert">
            <p>{result.message}</p>
            {otherErrors(result.errors, usagerFields).map(m => <p key={m}>{m}</p>)}
          </div>
        )}
        {result?.warning && <button type="button" onClick={() => book(true)}>Réserver quand même</button>}
        {result?.conflict && <Alternatives slots={result.alternatives} label="Choisir ce créneau" onPick={pickSlot}/>}
        {missing && <p className="hint">{missing}</p>}
        {same && (
          <ConfirmDialog title="C’est la même personne ?" confirm="Non, créer un nouvel usager" keep="Revenir au formulaire"
            onConfirm={() => { setSame(undefined); book(false, undefined, true) }} onClose={() => setSame(undefined)}>
            <p>Un usager déjà enregistré porte ce nom, avec le même téléphone ou la même date de naissance :</p>
            <ul className="choices" aria-label="Usagers déjà enregistrés">
              {same.map(u => (
                <li key={u.id}><button type="button" onClick={() => { setSame(undefined); setCreating(undefined); setUsager(u); book(false, u) }}>
                  Oui, c’est {usagerText(u)}</button></li>
              ))}
            </ul>
          </ConfirmDialog>
        )}
        <div className="actions">
          <button type="button" className="primary" disabled={!!missing || busy} onClick={() => book(false)}>Confirmer le rendez-vous</button>
          <button type="button" onClick={onClose}>Fermer</button>
        </div>
      </div>
    </section>
  )
}
