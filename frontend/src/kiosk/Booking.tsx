import {useEffect, useRef, useState} from 'react'
import {Book, Days, Times} from '../../wailsjs/go/app/KioskService'
import type {app} from '../../wailsjs/go/models'
import {errorFor, type FieldError} from '../shared/Field'
import {KioskField, Keyboard} from './Keyboard'
import {spacedPhone, type KeyboardKind} from './keyboard'
import {parseError} from '../shared/errors'

/** After the booking, the home screen returns by itself. */
export const DONE_MS = 10_000
const MAX_PEOPLE = 4

type Step = 'motif' | 'people' | 'day' | 'time' | 'contact' | 'predemande' | 'summary' | 'done'

/** The chosen time, with the day in its label: « jeudi 12 mars à 10 h 00 ». */
type Chosen = {start: string; lieuId: string; label: string; place: string}

/** « Prendre un rendez-vous »: démarche, people, day, time, name and phone, pré-demandes, summary. */
export function Booking({motifs, onDone}: {motifs: app.KioskMotif[]; onDone: () => void}) {
  const [step, setStep] = useState<Step>('motif')
  const [motif, setMotif] = useState<app.KioskMotif>()
  const [people, setPeople] = useState(1)
  const [days, setDays] = useState<app.KioskDay[]>()
  const [day, setDay] = useState<app.KioskDay>()
  const [times, setTimes] = useState<app.KioskTime[]>()
  const [chosen, setChosen] = useState<Chosen>()
  const [lastName, setLastName] = useState('')
  const [firstName, setFirstName] = useState('')
  const [phone, setPhone] = useState('')
  const [preDemandes, setPreDemandes] = useState<string[]>([])
  const [active, setActive] = useState('lastName')
  const [errors, setErrors] = useState<FieldError[]>([])
  const [refusal, setRefusal] = useState<{message: string; alternatives: app.KioskTime[]}>()
  const [ticket, setTicket] = useState<app.KioskTicket>()
  const [failure, setFailure] = useState('')
  const [busy, setBusy] = useState(false)
  const heading = useRef<HTMLHeadingElement>(null)

  const ants = !!motif?.ants
  const order: Step[] = ['motif', ...(ants ? ['people' as const] : []), 'day', 'time', 'contact', ...(ants ? ['predemande' as const] : []), 'summary']
  const go = (s: Step) => { setFailure(''); setStep(s) }
  const next = () => go(order[order.indexOf(step) + 1])
  const back = () => go(order[Math.max(0, order.indexOf(step) - 1)])

  useEffect(() => { heading.current?.focus() }, [step])
  useEffect(() => {
    if (step !== 'done') return
    const t = setTimeout(onDone, DONE_MS)
    return () => clearTimeout(t)
  }, [step, onDone])

  const load = async <T,>(call: () => Promise<T>, set: (v: T) => void) => {
    setBusy(true)
    try {
      set(await call())
    } catch (err) {
      setFailure(parseError(err).message)
    } finally {
      setBusy(false)
    }
  }
  const chooseMotif = (m: app.KioskMotif) => {
    setMotif(m)
    setPeople(1)
    setPreDemandes([''])
    setDays(undefined)
    go(m.ants ? 'people' : 'day')
    if (!m.ants) load(() => Days(m.id, 1), setDays)
  }
  const choosePeople = (n: number) => {
    setPeople(n)
    setPreDemandes(Array.from({length: n}, (_, i) => preDemandes[i] ?? ''))
    setDays(undefined)
    go('day')
    load(() => Days(motif!.id, n), setDays)
  }
  const chooseDay = (d: app.KioskDay) => {
    setDay(d)
    setTimes(undefined)
    setRefusal(undefined)
    go('time')
    load(() => Times(motif!.id, d.date, people), setTimes)
  }
  const chooseTime = (t: app.KioskTime, label: string) => {
    setChosen({start: t.start, lieuId: t.lieuId, label, place: t.place})
    setRefusal(undefined)
    go(refusal ? 'summary' : 'contact') // after a refusal, the usager's details are already typed
  }
  const confirm = async () => {
    setBusy(true)
    setFailure('')
    try {
      const res = await Book({motifId: motif!.id, start: chosen!.start, lieuId: chosen!.lieuId, documents: people,
        lastName, firstName, phone, preDemandes: ants ? preDemandes : []})
      if (res.ticket) {
        setTicket(res.ticket)
        go('done')
      } else if (res.errors?.length) {
        setErrors(res.errors)
        const first = res.errors[0].field
        setActive(first)
        go(first.startsWith('preDemandes') ? 'predemande' : 'contact')
      } else if (res.conflict) {
        setChosen(undefined)
        setRefusal({message: res.message, alternatives: res.alternatives ?? []})
        go('time')
      } else {
        setFailure(res.message)
      }
    } catch (err) {
      setFailure(parseError(err).message)
    } finally {
      setBusy(false)
    }
  }

  const title = (text: string) => <h1 ref={heading} tabIndex={-1}>{text}</h1>
  const nav = (nextButton?: React.ReactNode) => (
    <div className="kactions">
      {step !== 'motif' && <button type="button" className="kbutton" onClick={back}>Retour</button>}
      {nextButton}
    </div>
  )
  const field = (name: string, label: string, kind: KeyboardKind, value: string, set: (v: string) => void, hint?: string) => (
    <KioskField key={name} kind={kind} label={label} hint={hint} value={value} error={errorFor(errors, name)} active={active === name}
      onChange={v => { set(v); setErrors(errors.filter(e => e.field !== name)) }} onFocus={() => setActive(name)}
      display={kind === 'phone' ? spacedPhone : undefined}/>
  )
  const keyboardFor = (fields: {name: string; label: string; kind: KeyboardKind; value: string; set: (v: string) => void}[]) => {
    const f = fields.find(f => f.name === active) ?? fields[0]
    return <Keyboard kind={f.kind} label={f.label} value={f.value}
      onChange={v => { f.set(v); setErrors(errors.filter(e => e.field !== f.name)) }}/>
  }
  const busyNote = busy && <p className="lead" role="status">Un instant…</p>
  const failureNote = failure && <p className="outcome-big outcome-refused" role="alert">{failure}</p>

  switch (step) {
  case 'motif':
    return (
      <section className="kscreen">
        {title('Pour quelle démarche ?')}
        <ul className="tiles">
          {motifs.map(m => (
            <li key={m.id}>
              <button type="button" className="tile" onClick={() => chooseMotif(m)}>
                <span className="tile-name">{m.name}</span>
                <span className="tile-line">{m.line}</span>
              </button>
            </li>
          ))}
        </ul>
        {motifs.length === 0 && <p className="lead">Aucune démarche ne se réserve à la borne pour le moment : adressez-vous à l’accueil.</p>}
      </section>
    )
  case 'people':
    return (
      <section className="kscreen">
        {title('Pour combien de personnes ?')}
        <p className="lead">Une personne par titre : venez ensemble, chaque personne a sa pré-demande.</p>
        <ul className="choices-big">
          {Array.from({length: MAX_PEOPLE}, (_, i) => i + 1).map(n => (
            <li key={n}><button type="button" className="kbutton choice" aria-pressed={people === n} onClick={() => choosePeople(n)}>
              {n === 1 ? '1 personne' : `${n} personnes`}</button></li>
          ))}
        </ul>
        {nav()}
      </section>
    )
  case 'day':
    return (
      <section className="kscreen">
        {title('Quel jour ?')}
        <p className="lead">{motif!.name}{ants ? ` — ${people === 1 ? '1 personne' : `${people} personnes`}` : ''}</p>
        {busyNote}{failureNote}
        {days && days.length === 0 && <p className="outcome-big outcome-refused" role="alert">Aucun créneau libre dans les 3 prochaines semaines : adressez-vous à l’accueil.</p>}
        <ul className="choices-big">
          {days?.map(d => (
            <li key={d.date}><button type="button" className="kbutton choice" onClick={() => chooseDay(d)}>
              {d.today ? `Aujourd’hui, ${d.label}` : d.label}</button></li>
          ))}
        </ul>
        {nav()}
      </section>
    )
  case 'time': {
    const places = new Set(times?.map(t => t.place))
    return (
      <section className="kscreen">
        {title('À quelle heure ?')}
        <p className="lead">{day?.label}</p>
        {refusal && (
          <div className="outcome-big outcome-refused" role="alert">
            <p>{refusal.message}</p>
            <ul className="choices-big">
              {refusal.alternatives.map(t => (
                <li key={t.start + t.lieuId}><button type="button" className="kbutton choice" onClick={() => chooseTime(t, t.label)}>
                  {t.label}{` — ${t.place}`}</button></li>
              ))}
            </ul>
          </div>
        )}
        {busyNote}{failureNote}
        {times && times.length === 0 && !refusal && <p className="outcome-big outcome-refused" role="alert">Plus aucun horaire libre ce jour-là : choisissez un autre jour.</p>}
        <ul className="choices-grid">
          {times?.map(t => (
            <li key={t.start + t.lieuId}><button type="button" className="kbutton choice" onClick={() => chooseTime(t, `${day!.label} à ${t.label}`)}>
              {t.label}{places.size > 1 ? ` — ${t.place}` : ''}</button></li>
          ))}
        </ul>
        {nav()}
      </section>
    )
  }
  case 'contact': {
    const fields = [
      {name: 'lastName', label: 'Nom', kind: 'name' as const, value: lastName, set: setLastName},
      {name: 'firstName', label: 'Prénom', kind: 'name' as const, value: firstName, set: setFirstName},
      {name: 'phone', label: 'Téléphone', kind: 'phone' as const, value: phone, set: setPhone},
    ]
    const ready = lastName.trim() !== '' && firstName.trim() !== '' && phone.length === 10
    return (
      <section className="kscreen">
        {title('Vos coordonnées')}
        <p className="lead">Touchez une case, puis tapez sur le clavier de l’écran.</p>
        <div className="kfields">
          {field('lastName', 'Nom', 'name', lastName, setLastName)}
          {field('firstName', 'Prénom', 'name', firstName, setFirstName)}
          {field('phone', 'Téléphone', 'phone', phone, setPhone, 'Pour vous envoyer un SMS de rappel.')}
        </div>
        {keyboardFor(fields)}
        {nav(<button type="button" className="kbutton primary" disabled={!ready} onClick={next}>Continuer</button>)}
      </section>
    )
  }
  case 'predemande': {
    const fields = preDemandes.map((v, i) => ({
      name: `preDemandes.${i}`, label: people === 1 ? 'Numéro de pré-demande' : `Numéro de pré-demande de la personne ${i + 1}`,
      kind: 'predemande' as const, value: v, set: (nv: string) => setPreDemandes(p => p.map((o, j) => j === i ? nv : o)),
    }))
    return (
      <section className="kscreen">
        {title(people === 1 ? 'Votre numéro de pré-demande' : 'Vos numéros de pré-demande')}
        <p className="lead">Vous l’avez reçu après votre pré-demande sur le site de l’ANTS (ants.gouv.fr) : il est sur le récapitulatif
          et dans le courriel de confirmation. Il compte 10 lettres et chiffres. Pas encore de pré-demande ? Adressez-vous à l’accueil.</p>
        <div className="kfields">{fields.map(f => field(f.name, f.label, f.kind, f.value, f.set))}</div>
        {keyboardFor(fields)}
        {nav(<button type="button" className="kbutton primary" disabled={preDemandes.some(p => p.length !== 10)} onClick={next}>Continuer</button>)}
      </section>
    )
  }
  case 'summary':
    return (
      <section className="kscreen">
        {title('Vérifiez votre rendez-vous')}
        <dl className="summary">
          <dt>Démarche</dt><dd>{motif!.name}{ants ? ` — ${people === 1 ? '1 personne' : `${people} personnes`}` : ''}</dd>
          <dt>Date</dt><dd>{chosen!.label}</dd>
          <dt>Lieu</dt><dd>{chosen!.place}</dd>
          <dt>Nom</dt><dd>{firstName} {lastName}</dd>
          <dt>Téléphone</dt><dd>{spacedPhone(phone)}</dd>
          {ants && <><dt>Pré-demande</dt><dd>{preDemandes.join(', ')}</dd></>}
        </dl>
        {busyNote}{failureNote}
        {nav(<button type="button" className="kbutton primary" disabled={busy} onClick={confirm}>Confirmer</button>)}
      </section>
    )
  case 'done':
    return (
      <section className="kscreen">
        {title(ticket!.printed ? 'N’oubliez pas votre ticket.' : 'Votre rendez-vous est enregistré.')}
        <p className={'outcome-big ' + (ticket!.printed ? 'outcome-ok' : 'outcome-refused')} role="status">{ticket!.printMessage}</p>
        <dl className="summary">
          <dt>Démarche</dt><dd>{ticket!.motif}</dd>
          <dt>Date</dt><dd>{ticket!.when}</dd>
          <dt>Lieu</dt><dd>{ticket!.place}</dd>
          {ticket!.shortCode && <><dt>Code du rendez-vous</dt><dd className="short-code">{ticket!.shortCode}</dd></>}
        </dl>
        {ticket!.pieces.length > 0 && <>
          <h2>Pièces à fournir</h2>
          <ul className="pieces">{ticket!.pieces.map(p => <li key={p}>{p}</li>)}</ul>
        </>}
        <div className="kactions"><button type="button" className="kbutton primary" onClick={onDone}>Terminer</button></div>
      </section>
    )
  }
}
