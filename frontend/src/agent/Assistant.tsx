import {type FormEvent, type ReactNode, useEffect, useMemo, useState} from 'react'
import {Place, SetupAgendas, SetupHours, SetupLieux, SetupMotifs, SetupOrganisation, SetupSkip, SetupState} from '../../wailsjs/go/app/SetupService'
import type {app, onboarding} from '../../wailsjs/go/models'
import {errorFor, Field, type FieldError} from '../shared/Field'
import {parseError} from '../shared/errors'
import {TimeInput} from '../shared/FrenchInputs'
import {NotificationsSection} from './NotificationSettings'
import {PrintingSection} from './PrintingSettings'
import {Ctx} from './session'
import {CentralServerSection} from './Sync'
import './onboarding.css'

// The assistant « Configurer ma commune »: short steps, each saved by Go in one transaction
// (backend/install) before the next; the step reached is stored in the data file, so that the
// assistant closed half-way resumes there. Every choice stays editable in Paramètres.

const steps: {id: string; label: string}[] = [
  {id: 'organisation', label: 'Organisation'},
  {id: 'lieux', label: 'Lieux'},
  {id: 'agendas', label: 'Agendas'},
  {id: 'motifs', label: 'Motifs'},
  {id: 'horaires', label: 'Horaires'},
  {id: 'rappels', label: 'Rappels'},
  {id: 'impression', label: 'Impression'},
  {id: 'serveur', label: 'Serveur central'},
]

const days = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche']

type Step = {view: app.SetupView; errors?: FieldError[]; save: (p: Promise<app.SaveResult>) => void; back?: () => void}

/** The assistant, from the step stored in the file (the first one on an empty file). */
export function Assistant({startup, onDone, onReload}: {startup: app.Startup; onDone: () => void; onReload: () => void}) {
  const [view, setView] = useState<app.SetupView>()
  const [step, setStep] = useState(startup.setup && startup.setup !== 'choisir' ? startup.setup : 'organisation')
  const [errors, setErrors] = useState<FieldError[]>()
  const [error, setError] = useState('')
  const load = () => SetupState().then(setView).catch(e => setError(parseError(e).message))
  useEffect(() => { load() }, [step])
  const index = steps.findIndex(s => s.id === step)
  const go = (to: number) => {
    setErrors(undefined)
    if (to >= steps.length) { onDone(); return }
    setView(undefined) // each step starts from what the file holds now
    setStep(steps[to].id)
    window.scrollTo(0, 0)
  }
  const save = (p: Promise<app.SaveResult>) => p.then(r => {
    if (r.errors?.length) { setErrors(r.errors); return }
    if (step === 'agendas') onReload() // the administrator is now signed in
    go(index + 1)
  }).catch(e => setError(parseError(e).message))
  const props: Step = {view: view!, errors, save, back: index > 0 ? () => go(index - 1) : undefined}
  return (
    <main className="assistant" aria-labelledby="assistant-title">
      <header>
        <h1 id="assistant-title">Configurer ma commune</h1>
        <ol className="assistant-steps" aria-label="Étapes">
          {steps.map((s, i) => <li key={s.id} aria-current={i === index ? 'step' : undefined} className={i < index ? 'done' : ''}>{s.label}</li>)}
        </ol>
        <p className="hint">Chaque étape est enregistrée dès que vous continuez : vous pouvez fermer l’application et reprendre plus tard. Tout reste modifiable dans Paramètres.</p>
      </header>
      {error && <p className="error" role="alert">{error}</p>}
      {!view && <p aria-busy="true">Chargement…</p>}
      {view && step === 'organisation' && <OrganisationStep {...props}/>}
      {view && step === 'lieux' && <LieuxStep {...props}/>}
      {view && step === 'agendas' && <AgendasStep {...props}/>}
      {view && step === 'motifs' && <MotifsStep {...props}/>}
      {view && step === 'horaires' && <HoursStep {...props}/>}
      {view && startup.session && ['rappels', 'impression', 'serveur'].includes(step) && (
        <OptionalStep startup={startup} step={step} last={index === steps.length - 1} back={props.back}
          next={() => SetupSkip(step).then(() => go(index + 1)).catch(e => setError(parseError(e).message))}/>
      )}
    </main>
  )
}

/** A step's form: its title, what it is for, its fields, and the buttons to go back and on. */
function StepForm({title, intro, errors, fields, back, onSubmit, children, submit = 'Enregistrer et continuer'}: {
  title: string; intro: ReactNode; errors?: FieldError[]; fields?: string[]; back?: () => void; onSubmit: () => void; children: ReactNode; submit?: string
}) {
  const general = (errors ?? []).filter(e => !(fields ?? []).some(f => e.field === f) && !/^\d+\./.test(e.field))
  const rows = (errors ?? []).filter(e => /^\d+\./.test(e.field))
  return (
    <form className="assistant-step" onSubmit={(e: FormEvent) => { e.preventDefault(); onSubmit() }} aria-labelledby="step-title" noValidate>
      <h2 id="step-title">{title}</h2>
      <div className="hint">{intro}</div>
      {(general.length > 0 || rows.length > 0) && (
        <div className="refusal" role="alert">
          <p>Corrigez ces points pour continuer :</p>
          <ul>{[...general, ...rows].map((e, i) => <li key={i}>{e.message}</li>)}</ul>
        </div>
      )}
      {children}
      <div className="assistant-nav">
        {back && <button type="button" onClick={back}>Précédent</button>}
        <button type="submit" className="primary">{submit}</button>
      </div>
    </form>
  )
}

/** A text input bound to a row's field, its error found as « index.field ». */
function RowInput({label, value, onChange, error, hint, type = 'text', ...props}: {
  label: string; value: string; onChange: (v: string) => void; error?: string; hint?: string; type?: string
} & Record<string, unknown>) {
  return (
    <Field label={label} error={error} hint={hint}>
      <input type={type} value={value} onChange={e => onChange(e.target.value)} {...props}/>
    </Field>
  )
}

function OrganisationStep({view, errors, save, back}: Step) {
  const [o, setO] = useState<onboarding.Organisation>(() => ({...view.organisation, accentColor: view.organisation.accentColor || '#1f5fa8', kind: view.organisation.kind || 'mairie'}) as onboarding.Organisation)
  const [place, setPlace] = useState<onboarding.Place>()
  const set = (p: Partial<onboarding.Organisation>) => setO(v => ({...v, ...p}) as onboarding.Organisation)
  useEffect(() => { Place(o.postalCode || '', o.departement || '').then(setPlace).catch(() => setPlace(undefined)) }, [o.postalCode, o.departement])
  const err = (f: string) => errorFor(errors, f)
  const logo = (file?: File) => {
    if (!file) return
    const r = new FileReader()
    r.onload = () => set({logoPng: String(r.result).replace(/^data:[^,]*,/, '') as unknown as number[]})
    r.readAsDataURL(file)
  }
  return (
    <StepForm title="Votre organisation" errors={errors} fields={['name', 'email', 'phone', 'accentColor', 'timeZone', 'holidays.departement']} back={back}
      intro="Son nom et ses coordonnées figurent sur les convocations et à la borne. Le code postal donne le département : le fuseau horaire et les jours fériés locaux (Alsace-Moselle, outre-mer) en découlent."
      onSubmit={() => save(SetupOrganisation(o))}>
      <div className="assistant-grid">
        <RowInput label="Nom" value={o.name ?? ''} onChange={v => set({name: v})} error={err('name')} autoFocus placeholder="Mairie de …"/>
        <Field label="Type d’organisation" hint="Il choisit les modèles de motifs proposés.">
          <select value={o.kind} onChange={e => set({kind: e.target.value})}>
            {view.kinds.map(k => <option key={k.id} value={k.id}>{k.label}</option>)}
          </select>
        </Field>
        <RowInput label="Adresse" value={o.street ?? ''} onChange={v => set({street: v})}/>
        <RowInput label="Code postal" value={o.postalCode ?? ''} onChange={v => set({postalCode: v})} inputMode="numeric" maxLength={5}
          hint={place?.departement ? `Département ${place.departement} · fuseau ${place.timeZone}` : 'Cinq chiffres : il donne le département.'}/>
        <RowInput label="Commune" value={o.city ?? ''} onChange={v => set({city: v})}/>
        <RowInput label="Téléphone" type="tel" value={o.phone ?? ''} onChange={v => set({phone: v})} error={err('phone')}/>
        <RowInput label="Adresse e-mail" type="email" value={o.email ?? ''} onChange={v => set({email: v})} error={err('email')}/>
        <RowInput label="Couleur" type="color" value={o.accentColor ?? '#1f5fa8'} onChange={v => set({accentColor: v})} error={err('accentColor')}/>
        <Field label="Logo (PNG, facultatif)">
          <input type="file" accept="image/png" onChange={e => logo(e.target.files?.[0])}/>
        </Field>
      </div>
      {place?.note && <p className="notice" data-testid="place-note">{place.note}</p>}
    </StepForm>
  )
}

function LieuxStep({view, errors, save, back}: Step) {
  const org = view.organisation
  const [lieux, setLieux] = useState<onboarding.Lieu[]>(() => view.lieux.length ? view.lieux
    : [{name: org.kind === 'france_services' ? 'France Services' : 'Mairie', street: org.street, postalCode: org.postalCode, city: org.city, phone: org.phone, accessibility: ''} as onboarding.Lieu])
  const set = (i: number, p: Partial<onboarding.Lieu>) => setLieux(ls => ls.map((l, j) => j === i ? {...l, ...p} as onboarding.Lieu : l))
  return (
    <StepForm title="Vos lieux d’accueil" errors={errors} back={back} onSubmit={() => save(SetupLieux(lieux))}
      intro="Au moins un lieu : là où les usagers sont reçus. Les notes d’accessibilité figurent sur les convocations.">
      {lieux.map((l, i) => {
        const err = (f: string) => errorFor(errors, `${i}.${f}`)
        return (
          <fieldset key={i} className="assistant-row">
            <legend>Lieu {i + 1}</legend>
            <div className="assistant-grid">
              <RowInput label="Nom du lieu" value={l.name} onChange={v => set(i, {name: v})} error={err('name')}/>
              <RowInput label="Adresse" value={l.street} onChange={v => set(i, {street: v})} error={err('street')}/>
              <RowInput label="Code postal" value={l.postalCode} onChange={v => set(i, {postalCode: v})} error={err('postalCode')} inputMode="numeric"/>
              <RowInput label="Commune" value={l.city} onChange={v => set(i, {city: v})} error={err('city')}/>
              <RowInput label="Téléphone" type="tel" value={l.phone} onChange={v => set(i, {phone: v})} error={err('phone')}/>
            </div>
            <Field label="Accessibilité" hint="Rampe, ascenseur, boucle magnétique, étage…">
              <textarea rows={2} value={l.accessibility} onChange={e => set(i, {accessibility: e.target.value})}/>
            </Field>
            {lieux.length > 1 && <button type="button" onClick={() => setLieux(ls => ls.filter((_, j) => j !== i))}>Retirer ce lieu</button>}
          </fieldset>
        )
      })}
      <button type="button" onClick={() => setLieux(ls => [...ls, {name: '', street: '', postalCode: org.postalCode, city: org.city, phone: '', accessibility: ''} as onboarding.Lieu])}>Ajouter un lieu</button>
    </StepForm>
  )
}

function AgendasStep({view, errors, save, back}: Step) {
  const [agendas, setAgendas] = useState<onboarding.Agenda[]>(() => view.agendas.length ? view.agendas
    : [{name: '', kind: 'agent', login: '', email: '', password: ''} as onboarding.Agenda])
  const [confirm, setConfirm] = useState('')
  const [mismatch, setMismatch] = useState(false)
  const set = (i: number, p: Partial<onboarding.Agenda>) => setAgendas(as => as.map((a, j) => j === i ? {...a, ...p} as onboarding.Agenda : a))
  const add = (kind: string) => setAgendas(as => [...as, {name: kind === 'guichet' ? 'DR — titres d’identité' : '', kind, login: '', email: ''} as onboarding.Agenda])
  const resumed = view.agendas.length > 0
  const submit = () => {
    const pw = agendas[0].password ?? ''
    if (pw !== confirm && (pw || !resumed)) { setMismatch(true); return }
    setMismatch(false)
    save(SetupAgendas(agendas))
  }
  return (
    <StepForm title="Vos agendas" errors={errors} back={back} onSubmit={submit}
      intro={<>Chaque agent et chaque guichet a son agenda. Vous êtes le premier agent : l’<strong>administrateur</strong>, qui choisit ici son mot de passe. Les autres agents recevront le leur dans Paramètres › Agents. Un guichet ou un DR (dispositif de recueil des titres) n’a pas d’identifiant.</>}>
      {agendas.map((a, i) => {
        const err = (f: string) => errorFor(errors, `${i}.${f}`)
        return (
          <fieldset key={i} className="assistant-row">
            <legend>{i === 0 ? 'Administrateur (vous)' : a.kind === 'guichet' ? 'Guichet ou DR' : 'Agent'}</legend>
            <div className="assistant-grid">
              <RowInput label={a.kind === 'guichet' ? 'Nom du guichet' : 'Prénom et nom'} value={a.name} onChange={v => set(i, {name: v})} error={err('name')}/>
              {a.kind === 'agent' && <>
                <RowInput label="Identifiant de connexion" value={a.login} onChange={v => set(i, {login: v})} error={err('login')} autoCapitalize="none"
                  hint="Le nom tapé pour se connecter, par exemple le prénom en minuscules."/>
                <RowInput label="Adresse e-mail" type="email" value={a.email} onChange={v => set(i, {email: v})} error={err('email')}/>
              </>}
              {i === 0 && <>
                <RowInput label="Mot de passe" type="password" value={a.password ?? ''} onChange={v => set(0, {password: v})} error={err('password')}
                  autoComplete="new-password" hint={resumed ? 'Laissez vide pour garder celui choisi.' : 'Au moins 8 caractères.'}/>
                <RowInput label="Confirmez le mot de passe" type="password" value={confirm} onChange={setConfirm} autoComplete="new-password"
                  error={mismatch ? 'Les deux mots de passe diffèrent.' : undefined}/>
              </>}
            </div>
            {i > 0 && <button type="button" onClick={() => setAgendas(as => as.filter((_, j) => j !== i))}>Retirer</button>}
          </fieldset>
        )
      })}
      <div className="assistant-nav">
        <button type="button" onClick={() => add('agent')}>Ajouter un agent</button>
        <button type="button" onClick={() => add('guichet')}>Ajouter un guichet ou un DR</button>
      </div>
    </StepForm>
  )
}

const antsCategories: [string, string][] = [['', 'Aucune'], ['CNI', 'Carte d’identité'], ['PASSPORT', 'Passeport'], ['CNI-PASSPORT', 'Carte d’identité + passeport']]

function MotifsStep({view, errors, save, back}: Step) {
  const initial = useMemo(() => {
    if (view.motifs.length) return view.motifs
    const ticked = view.kindGroups[view.organisation.kind] ?? []
    return view.groups.filter(g => ticked.includes(g.id)).flatMap(g => g.motifs)
  }, [view])
  const [motifs, setMotifs] = useState<onboarding.Motif[]>(() => structuredClone(initial))
  const inGroup = (g: onboarding.Group) => g.motifs.every(t => motifs.some(m => m.template === t.template))
  const toggle = (g: onboarding.Group) => setMotifs(ms => inGroup(g)
    ? ms.filter(m => !g.motifs.some(t => t.template === m.template))
    : [...ms, ...structuredClone(g.motifs.filter(t => !ms.some(m => m.template === t.template)))])
  const set = (i: number, p: Partial<onboarding.Motif>) => setMotifs(ms => ms.map((m, j) => j === i ? {...m, ...p} as onboarding.Motif : m))
  const empty = view.groups.find(g => g.id === 'vide')!.motifs[0]
  return (
    <StepForm title="Vos motifs de rendez-vous" errors={errors} back={back} onSubmit={() => save(SetupMotifs(motifs))}
      intro="Cochez les modèles qui vous concernent : chaque motif arrive avec sa durée, ses pièces à fournir et ses consignes habituelles, que vous pouvez modifier. Les canaux disent où l’usager peut le réserver ; « En ligne » suppose un serveur central (dernière étape), sinon laissez-le décoché.">
      <fieldset className="assistant-templates">
        <legend>Modèles</legend>
        {view.groups.filter(g => g.id !== 'vide').map(g => (
          <label key={g.id} className="check"><input type="checkbox" checked={inGroup(g)} onChange={() => toggle(g)}/> {g.name} ({g.motifs.length})</label>
        ))}
      </fieldset>
      <ul className="assistant-motifs">
        {motifs.map((m, i) => {
          const err = (f: string) => errorFor(errors, `${i}.${f}`)
          const ch = (p: Partial<onboarding.Channels>) => set(i, {channels: {...m.channels, ...p} as onboarding.Channels})
          return (
            <li key={i} className="assistant-row">
              <div className="motif-line">
                <span className="swatch" style={{background: m.color}} aria-hidden="true"/>
                <RowInput label="Motif" value={m.name} onChange={v => set(i, {name: v})} error={err('name')}/>
                <RowInput label="Durée (min)" type="number" min={5} step={5} value={String(m.durationMin)} onChange={v => set(i, {durationMin: Number(v)})} error={err('durationMin')}/>
                <fieldset className="channels">
                  <legend>Canaux</legend>
                  <label className="check"><input type="checkbox" checked={m.channels.guichet} onChange={e => ch({guichet: e.target.checked})}/> Guichet</label>
                  <label className="check"><input type="checkbox" checked={m.channels.borne} onChange={e => ch({borne: e.target.checked})}/> Borne</label>
                  <label className="check"><input type="checkbox" checked={m.channels.enLigne} onChange={e => ch({enLigne: e.target.checked})}/> En ligne</label>
                </fieldset>
                <button type="button" onClick={() => setMotifs(ms => ms.filter((_, j) => j !== i))} aria-label={`Retirer le motif ${m.name || i + 1}`}>Retirer</button>
              </div>
              <details>
                <summary>Pièces à fournir, consignes, catégorie ANTS</summary>
                <Field label="Pièces à fournir (une par ligne)">
                  <textarea rows={Math.max(3, (m.pieces ?? []).length + 1)} value={(m.pieces ?? []).join('\n')} onChange={e => set(i, {pieces: e.target.value.split('\n')})}/>
                </Field>
                <Field label="Consignes à l’usager">
                  <textarea rows={3} value={m.instructions} onChange={e => set(i, {instructions: e.target.value})}/>
                </Field>
                <Field label="Catégorie ANTS" hint="Pour les titres d’identité : la pré-demande est demandée à la réservation.">
                  <select value={m.antsCategory} onChange={e => set(i, {antsCategory: e.target.value})}>
                    {antsCategories.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
                  </select>
                </Field>
                <RowInput label="Couleur" type="color" value={m.color} onChange={v => set(i, {color: v})} error={err('color')}/>
              </details>
            </li>
          )
        })}
      </ul>
      <button type="button" onClick={() => setMotifs(ms => [...ms, structuredClone(empty)])}>Ajouter un motif vide</button>
    </StepForm>
  )
}

type Table = onboarding.Hours & {open: boolean}
type HalfDay = 'joursMatin' | 'joursApresMidi'
const onlineOf = {joursMatin: 'joursMatinEnLigne', joursApresMidi: 'joursApresMidiEnLigne'} as const

function HoursStep({view, errors, save, back}: Step) {
  // The proposed tables are Go's (onboarding.Config.DefaultHours); one that offers no motif is
  // proposed closed.
  const [tables, setTables] = useState<Table[]>(() => view.hours.map(h => ({...h, motifs: h.motifs ?? [], open: (h.motifs ?? []).length > 0}) as Table))
  const set = (i: number, p: Partial<Table>) => setTables(ts => ts.map((t, j) => j === i ? {...t, ...p} as Table : t))
  const toggle = (list: string[], v: string) => list.includes(v) ? list.filter(x => x !== v) : [...list, v]
  const online = new Set(view.motifs.filter(m => m.channels.enLigne).map(m => m.name))
  const half = (t: Table, which: 'matin' | 'apresMidi', i: number, part: 0 | 1, v: string) => {
    const [s, e] = (t[which] || '-').split('-')
    set(i, {[which]: part === 0 ? `${v}-${e}` : `${s}-${v}`} as Partial<Table>)
  }
  /** A half-day closed is sold online no more. */
  const openDay = (t: Table, i: number, which: HalfDay, d: string) => {
    const days = toggle(t[which], d)
    set(i, {[which]: days, [onlineOf[which]]: (t[onlineOf[which]] ?? []).filter(x => days.includes(x))} as Partial<Table>)
  }
  // A table that offers no motif open online sells nothing online, whatever was ticked before.
  const submit = () => save(SetupHours(tables.filter(t => t.open).map(({open: _, ...h}) =>
    (h.motifs!.some(m => online.has(m)) ? h : {...h, joursMatinEnLigne: [], joursApresMidiEnLigne: []}) as onboarding.Hours)))
  return (
    <StepForm title="Vos horaires d’ouverture" errors={errors} back={back} onSubmit={submit}
      intro={<>Pour chaque agenda, cochez les demi-journées d’ouverture : elles deviennent ses plages d’ouverture, chaque semaine, dès aujourd’hui. Les jours fériés sont fermés d’office. Vous affinerez (exceptions, semaines paires…) dans Paramètres › Plages d’ouverture.
        {online.size > 0 && <> Une demi-journée cochée « En ligne » est réservée sur internet, par le serveur central, pour les motifs ouverts en ligne : le guichet et la borne n’y prennent pas de rendez-vous.</>}</>}>
      {tables.map((t, i) => {
        const sellsOnline = t.motifs!.some(m => online.has(m))
        const cell = (d: string, which: HalfDay, label: string) => (
          <td>
            <input type="checkbox" aria-label={`${t.agenda} : ${d} ${label}`} checked={t[which].includes(d)} onChange={() => openDay(t, i, which, d)}/>
            {sellsOnline && (
              <label className="check online">
                <input type="checkbox" disabled={!t[which].includes(d)} checked={(t[onlineOf[which]] ?? []).includes(d)}
                  aria-label={`${t.agenda} : ${d} ${label} en ligne`}
                  onChange={() => set(i, {[onlineOf[which]]: toggle(t[onlineOf[which]] ?? [], d)} as Partial<Table>)}/> en ligne
              </label>
            )}
          </td>
        )
        return (
          <fieldset key={t.agenda} className="assistant-row">
            <legend>{t.agenda}</legend>
            <label className="check"><input type="checkbox" checked={t.open} onChange={e => set(i, {open: e.target.checked})}/> Cet agenda reçoit sur rendez-vous</label>
            {t.open && <>
              <div className="assistant-grid">
                <Field label="Lieu">
                  <select value={t.lieu} onChange={e => set(i, {lieu: e.target.value})}>
                    {view.lieux.map(l => <option key={l.name}>{l.name}</option>)}
                  </select>
                </Field>
                <Field label="Matin : de"><TimeInput value={t.matin.split('-')[0]} onChange={v => half(t, 'matin', i, 0, v)}/></Field>
                <Field label="Matin : à"><TimeInput value={t.matin.split('-')[1]} onChange={v => half(t, 'matin', i, 1, v)}/></Field>
                <Field label="Après-midi : de"><TimeInput value={t.apresMidi.split('-')[0]} onChange={v => half(t, 'apresMidi', i, 0, v)}/></Field>
                <Field label="Après-midi : à"><TimeInput value={t.apresMidi.split('-')[1]} onChange={v => half(t, 'apresMidi', i, 1, v)}/></Field>
              </div>
              <table className="week-table">
                <caption className="sr-only">Demi-journées d’ouverture de {t.agenda}</caption>
                <thead><tr><th scope="col">Jour</th><th scope="col">Matin</th><th scope="col">Après-midi</th></tr></thead>
                <tbody>
                  {days.map(d => (
                    <tr key={d}>
                      <th scope="row">{d}</th>
                      {cell(d, 'joursMatin', 'matin')}
                      {cell(d, 'joursApresMidi', 'après-midi')}
                    </tr>
                  ))}
                </tbody>
              </table>
              <fieldset className="channels">
                <legend>Motifs reçus</legend>
                {view.motifs.map(m => (
                  <label key={m.name} className="check"><input type="checkbox" checked={t.motifs!.includes(m.name)} onChange={() => set(i, {motifs: toggle(t.motifs!, m.name)})}/> {m.name}{online.has(m.name) ? ' (aussi en ligne)' : ''}</label>
                ))}
              </fieldset>
            </>}
          </fieldset>
        )
      })}
    </StepForm>
  )
}

const optional: Record<string, {title: string; intro: string}> = {
  rappels: {title: 'Rappels aux usagers (facultatif)', intro: 'Les rappels par SMS et e-mail réduisent les rendez-vous oubliés. Renseignez votre fournisseur SMS ou votre serveur d’e-mail puis « Tester l’envoi », ou passez : vous y reviendrez dans Paramètres › Notifications.'},
  impression: {title: 'Imprimantes (facultatif)', intro: 'L’imprimante A4 des convocations et l’imprimante de tickets de la borne, avec une page de test. Passez si vous n’en avez pas encore : Paramètres › Impression.'},
  serveur: {title: 'Serveur central (facultatif)', intro: 'Si votre intercommunalité ou votre département vous a donné l’adresse d’un serveur central et le jeton de votre bureau, renseignez-les : la prise de rendez-vous en ligne et les autres bureaux verront votre agenda. Sinon, passez.'},
}

/** The optional steps show the Paramètres' own sections, with a way on. */
function OptionalStep({startup, step, last, back, next}: {startup: app.Startup; step: string; last: boolean; back?: () => void; next: () => void}) {
  const [error, setError] = useState('')
  const ctx = useMemo(() => ({
    startup, session: startup.session!, fail: (e: unknown) => setError(parseError(e).message),
    changed: () => {}, version: 0, live: 0, refresh: () => {},
  }), [startup])
  const o = optional[step]
  return (
    <section className="assistant-step" aria-labelledby="step-title">
      <h2 id="step-title">{o.title}</h2>
      <p className="hint">{o.intro}</p>
      {/* Who has nothing to set here skips it without reading the whole form. */}
      <p><button type="button" onClick={next}>{last ? 'Passer et ouvrir l’agenda' : 'Passer cette étape'}</button></p>
      {error && <p className="error" role="alert">{error}</p>}
      <Ctx.Provider value={ctx}>
        <div className="settings">
          {step === 'rappels' && <NotificationsSection/>}
          {step === 'impression' && <PrintingSection/>}
          {step === 'serveur' && <CentralServerSection/>}
        </div>
      </Ctx.Provider>
      <div className="assistant-nav">
        {back && <button type="button" onClick={back}>Précédent</button>}
        <button type="button" className="primary" onClick={next}>{last ? 'Terminer et ouvrir l’agenda' : 'Continuer'}</button>
      </div>
    </section>
  )
}
