import {Fragment, useEffect, useRef, useState} from 'react'
import {Book, Days, Times} from '../../wailsjs/go/app/KioskService'
import {app} from '../../wailsjs/go/models'
import {errorFor} from '../shared/Field'
import {KioskField, Keyboard} from './Keyboard'
import {spacedPhone, type KeyboardKind} from './keyboard'
import {parseError, type FieldError} from '../shared/errors'
import {ArrowLeft, ArrowRight, BookUser, Check, Files, IdCard, MessagesSquare, UserRound, Users} from 'lucide-react'
import {useText} from './text'

/** The pictogram of a motif: its ANTS title, or a conversation at the desk. */
const MOTIF_ICONS = {'CNI': IdCard, 'PASSPORT': BookUser, 'CNI-PASSPORT': Files} as Record<string, typeof IdCard>

/** After the booking, the home screen returns by itself. */
export const DONE_MS = 10_000
const MAX_PEOPLE = 4

type Step = 'motif' | 'people' | 'day' | 'time' | 'contact' | 'predemande' | 'summary' | 'done'

/** The chosen time, with the day in its label: « jeudi 12 mars à 10 h 00 ». */
type Chosen = {start: string; lieuId: string; place: string}

/**
 * « Prendre un rendez-vous »: démarche, people, day, time, name and phone, then for an ANTS motif
 * one screen per person (their pré-demande number; from the second person on, their names too:
 * one usager per title), summary.
 */
export function Booking({motifs, onDone}: {motifs: app.KioskMotif[]; onDone: () => void}) {
  const {t, lang, day: dayText, time, codeText, knows} = useText()
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
  const [relatives, setRelatives] = useState<{lastName: string; firstName: string}[]>([])
  const [who, setWho] = useState(0) // the person of the pré-demande step
  const [active, setActive] = useState('lastName')
  const [errors, setErrors] = useState<FieldError[]>([])
  const [refusal, setRefusal] = useState<{code: string; alternatives: app.KioskTime[]}>()
  const [ticket, setTicket] = useState<app.KioskTicket>()
  const [failure, setFailure] = useState<{code: string; message: string}>()
  const [busy, setBusy] = useState(false)
  const heading = useRef<HTMLHeadingElement>(null)

  const ants = !!motif?.ants
  const order: Step[] = ['motif', ...(ants ? ['people' as const] : []), 'day', 'time', 'contact', ...(ants ? ['predemande' as const] : []), 'summary']
  const go = (s: Step) => { setFailure(undefined); setStep(s) }
  /** The pré-demande step has one screen per person, whose first field is active. */
  const toPerson = (i: number) => { setWho(i); setActive(i > 0 ? `people.${i}.lastName` : 'preDemandes.0'); setFailure(undefined) }
  const next = () => {
    if (step === 'predemande' && who < people - 1) return toPerson(who + 1)
    if (step === 'contact') toPerson(0)
    go(order[order.indexOf(step) + 1])
  }
  const back = () => {
    if (step === 'predemande' && who > 0) return toPerson(who - 1)
    if (step === 'summary' && ants) toPerson(people - 1)
    go(order[Math.max(0, order.indexOf(step) - 1)])
  }

  useEffect(() => { heading.current?.focus() }, [step, who])
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
      setFailure(parseError(err))
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
    setRelatives(Array.from({length: n - 1}, (_, i) => relatives[i] ?? {lastName: '', firstName: ''}))
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
  const chooseTime = (t: app.KioskTime) => {
    setChosen({start: t.start, lieuId: t.lieuId, place: t.place})
    setRefusal(undefined)
    go(refusal ? 'summary' : 'contact') // after a refusal, the usager's details are already typed
  }
  const confirm = async () => {
    setBusy(true)
    setFailure(undefined)
    try {
      const res = await Book(app.KioskBookRequest.createFrom({motifId: motif!.id, start: chosen!.start, lieuId: chosen!.lieuId, documents: people,
        lastName, firstName, phone, relatives: ants ? relatives : [], preDemandes: ants ? preDemandes : [], lang}))
      if (res.ticket) {
        setTicket(res.ticket)
        go('done')
      } else if (res.errors?.length) {
        setErrors(res.errors)
        // The first field to correct: its person's screen (people.i.x, preDemandes.i), or the contact's.
        const first = res.errors[0].field
        const person = /^(?:people|preDemandes)\.(\d+)/.exec(first)
        setActive(first)
        if (person) setWho(Number(person[1]))
        go(person ? 'predemande' : 'contact')
      } else if (res.conflict) {
        setChosen(undefined)
        setRefusal({code: res.code, alternatives: res.alternatives ?? []})
        go('time')
      } else {
        setFailure({code: res.code, message: res.message})
      }
    } catch (err) {
      setFailure(parseError(err))
    } finally {
      setBusy(false)
    }
  }

  const title = (text: string) => <h1 ref={heading} tabIndex={-1}>{text}</h1>
  const nav = (nextButton?: React.ReactNode) => (
    <div className="kactions">
      {step !== 'motif' && <button type="button" className="kbutton" data-back onClick={back}><ArrowLeft aria-hidden="true" className="icon flip"/> {t('common.back')}</button>}
      {nextButton}
    </div>
  )
  const nextButton = (disabled: boolean) => (
    <button type="button" className="kbutton primary" disabled={disabled} onClick={next}>{t('common.next')} <ArrowRight aria-hidden="true" className="icon flip"/></button>
  )
  const fieldError = (name: string) => {
    const e = errors.find(e => e.field === name)
    return e && codeText(e.code, {}, errorFor(errors, name))
  }
  const persons = (count: number) => t('book.people.count', {count})
  const when = (start: string) => t('book.time.at', {day: dayText(start), time: time(start)})
  const field = (name: string, label: string, kind: KeyboardKind, value: string, set: (v: string) => void, hint?: string) => (
    <KioskField key={name} kind={kind} label={label} hint={hint} value={value} error={fieldError(name)} active={active === name}
      onChange={v => { set(v); setErrors(errors.filter(e => e.field !== name)) }} onFocus={() => setActive(name)}
      display={kind === 'phone' ? spacedPhone : undefined}/>
  )
  const keyboardFor = (fields: {name: string; label: string; kind: KeyboardKind; value: string; set: (v: string) => void}[]) => {
    const f = fields.find(f => f.name === active) ?? fields[0]
    return <Keyboard kind={f.kind} label={f.label} value={f.value}
      onChange={v => { f.set(v); setErrors(errors.filter(e => e.field !== f.name)) }}/>
  }
  const busyNote = busy && <p className="lead" role="status">{t('common.wait')}</p>
  const failureNote = failure && <p className="outcome-big outcome-refused" role="alert">{codeText(failure.code, {}, failure.message)}</p>

  switch (step) {
  case 'motif':
    return (
      <section className="kscreen">
        {title(t('book.motif.title'))}
        <ul className="tiles kscroll">
          {motifs.map(m => {
            const Icon = MOTIF_ICONS[m.category] ?? MessagesSquare
            return (
              <li key={m.id}>
                <button type="button" className="tile" onClick={() => chooseMotif(m)}>
                  <Icon aria-hidden="true" className="tile-icon"/>
                  <span className="tile-text">
                    {/* The motif's name is the office's, in French; its line is in the usager's language. */}
                    <span className="tile-name" lang="fr">{m.name}</span>
                    <span className="tile-line">{m.category ? t('book.motif.line.' + m.category) : t('book.motif.line.other', {minutes: m.durationMin})}</span>
                  </span>
                </button>
              </li>
            )
          })}
        </ul>
        {motifs.length === 0 && <p className="lead">{t('book.motif.none')}</p>}
      </section>
    )
  case 'people':
    return (
      <section className="kscreen">
        {title(t('book.people.title'))}
        <p className="lead">{t('book.people.lead')}</p>
        <ul className="choices-big choices-people">
          {Array.from({length: MAX_PEOPLE}, (_, i) => i + 1).map(n => {
            const Icon = n === 1 ? UserRound : Users
            return <li key={n}><button type="button" className="kbutton choice" aria-pressed={people === n} onClick={() => choosePeople(n)}>
              <Icon aria-hidden="true" className="icon"/> {persons(n)}</button></li>
          })}
        </ul>
        {nav()}
      </section>
    )
  case 'day':
    return (
      <section className="kscreen">
        {title(t('book.day.title'))}
        <p className="lead"><span lang="fr">{motif!.name}</span>{ants ? ` — ${persons(people)}` : ''}</p>
        {busyNote}{failureNote}
        {days && days.length === 0 && <p className="outcome-big outcome-refused" role="alert">{t('book.day.none')}</p>}
        <ul className="choices-big choices-days kscroll">
          {days?.map(d => (
            <li key={d.date}><button type="button" className="kbutton choice" onClick={() => chooseDay(d)}>
              {d.today ? t('book.day.today', {day: dayText(d.date)}) : dayText(d.date)}</button></li>
          ))}
        </ul>
        {nav()}
      </section>
    )
  case 'time': {
    const places = new Set(times?.map(t => t.place))
    return (
      <section className="kscreen">
        {title(t('book.time.title'))}
        <p className="lead">{day && dayText(day.date)}</p>
        {refusal && (
          <div className="outcome-big outcome-refused kscroll" role="alert">
            <p>{t('error.' + (knows(refusal.code) ? refusal.code : 'conflict'))} {t(refusal.alternatives.length ? 'error.kiosk_next_times' : 'error.kiosk_other_day_please')}</p>
            <ul className="choices-big">
              {refusal.alternatives.map(a => (
                <li key={a.start + a.lieuId}><button type="button" className="kbutton choice" onClick={() => chooseTime(a)}>
                  {when(a.start)}{` — ${a.place}`}</button></li>
              ))}
            </ul>
          </div>
        )}
        {busyNote}{failureNote}
        {times && times.length === 0 && !refusal && <p className="outcome-big outcome-refused" role="alert">{t('book.time.none')}</p>}
        <ul className="choices-grid kscroll">
          {times?.map(a => (
            <li key={a.start + a.lieuId}><button type="button" className="kbutton choice" onClick={() => chooseTime(a)}>
              {time(a.start)}{places.size > 1 ? ` — ${a.place}` : ''}</button></li>
          ))}
        </ul>
        {nav()}
      </section>
    )
  }
  case 'contact': {
    const fields = [
      {name: 'lastName', label: t('book.contact.lastName'), kind: 'name' as const, value: lastName, set: setLastName},
      {name: 'firstName', label: t('book.contact.firstName'), kind: 'name' as const, value: firstName, set: setFirstName},
      {name: 'phone', label: t('book.contact.phone'), kind: 'phone' as const, value: phone, set: setPhone},
    ]
    const ready = lastName.trim() !== '' && firstName.trim() !== '' && phone.length === 10
    return (
      <section className="kscreen">
        {title(t('book.contact.title'))}
        <div className="kform">
          <div className="kform-fields kscroll">
            <p className="lead">{t('book.contact.lead')} <strong>{t('book.contact.latin')}</strong></p>
            <div className="kfields">
              {fields.map(f => field(f.name, f.label, f.kind, f.value, f.set, f.name === 'phone' ? t('book.contact.phoneHint') : undefined))}
            </div>
          </div>
          {keyboardFor(fields)}
        </div>
        {nav(nextButton(!ready))}
      </section>
    )
  }
  case 'predemande': {
    // Person who's screen: their number; from the second person on, their names first.
    const names = who > 0 ? [
      {name: `people.${who}.lastName`, label: t('book.contact.lastName'), kind: 'name' as const, value: relatives[who - 1].lastName,
        set: (v: string) => setRelatives(r => r.map((o, j) => j === who - 1 ? {...o, lastName: v} : o))},
      {name: `people.${who}.firstName`, label: t('book.contact.firstName'), kind: 'name' as const, value: relatives[who - 1].firstName,
        set: (v: string) => setRelatives(r => r.map((o, j) => j === who - 1 ? {...o, firstName: v} : o))},
    ] : []
    const fields = [...names, {
      name: `preDemandes.${who}`, label: t('book.predemande.one'), kind: 'predemande' as const, value: preDemandes[who],
      set: (nv: string) => setPreDemandes(p => p.map((o, j) => j === who ? nv : o)),
    }]
    const ready = preDemandes[who].length === 10 && names.every(f => f.value.trim() !== '')
    return (
      <section className="kscreen">
        {title(people === 1 ? t('book.predemande.title', {count: 1}) : t('book.person.title', {n: who + 1, count: people}))}
        <div className="kform">
          <div className="kform-fields kscroll">
            <p className="lead">{who === 0 ? t('book.predemande.lead') : <>{t('book.person.lead')} <strong>{t('book.contact.latin')}</strong></>}</p>
            <div className="kfields">{fields.map(f => field(f.name, f.label, f.kind, f.value, f.set))}</div>
          </div>
          {keyboardFor(fields)}
        </div>
        {nav(nextButton(!ready))}
      </section>
    )
  }
  case 'summary':
    return (
      <section className="kscreen">
        {title(t('book.summary.title'))}
        <dl className="summary kscroll" tabIndex={0}>
          <dt>{t('book.summary.motif')}</dt><dd><span lang="fr">{motif!.name}</span>{ants ? ` — ${persons(people)}` : ''}</dd>
          <dt>{t('book.summary.date')}</dt><dd>{when(chosen!.start)}</dd>
          <dt>{t('book.summary.place')}</dt><dd lang="fr">{chosen!.place}</dd>
          {ants && people > 1 ? [{firstName, lastName}, ...relatives].map((p, i) => (
            <Fragment key={i}>
              <dt>{t('book.person.title', {n: i + 1, count: people})}</dt>
              <dd dir="ltr">{p.firstName} {p.lastName} — {preDemandes[i]}</dd>
            </Fragment>
          )) : <>
            <dt>{t('book.summary.name')}</dt><dd dir="ltr">{firstName} {lastName}</dd>
            {ants && <><dt>{t('book.summary.predemande')}</dt><dd dir="ltr">{preDemandes[0]}</dd></>}
          </>}
          <dt>{t('book.summary.phone')}</dt><dd dir="ltr">{spacedPhone(phone)}</dd>
        </dl>
        {busyNote}{failureNote}
        {nav(<button type="button" className="kbutton primary" disabled={busy} onClick={confirm}><Check aria-hidden="true" className="icon"/> {t('book.summary.confirm')}</button>)}
      </section>
    )
  case 'done':
    return (
      <section className="kscreen">
        {title(t(ticket!.printed ? 'book.done.ticket' : 'book.done.booked'))}
        <p className={'outcome-big ' + (ticket!.printed ? 'outcome-ok' : 'outcome-refused')} role="status">{codeText(ticket!.printCode, {}, ticket!.printMessage)}</p>
        <div className="kscroll" tabIndex={0}>
          <dl className="summary">
            <dt>{t('book.summary.motif')}</dt><dd><span lang="fr">{ticket!.motif}</span>{ants ? ` — ${persons(people)}` : ''}</dd>
            <dt>{t('book.summary.date')}</dt><dd>{when(ticket!.start)}</dd>
            <dt>{t('book.summary.place')}</dt><dd lang="fr">{ticket!.place}</dd>
            {ticket!.shortCode && <><dt>{t('book.done.code')}</dt><dd className="short-code" dir="ltr">{ticket!.shortCode}</dd></>}
          </dl>
          {ticket!.pieces.length > 0 && <>
            <h2>{t('book.done.pieces')}</h2>
            {lang !== 'fr' && <p>{t('book.done.bring')} {t('book.done.french')}</p>}
            <ul className="pieces" dir="ltr" lang="fr">{ticket!.pieces.map(p => <li key={p}>{p}</li>)}</ul>
          </>}
        </div>
        <div className="kactions"><button type="button" className="kbutton primary" onClick={onDone}>{t('common.finish')}</button></div>
      </section>
    )
  }
}
