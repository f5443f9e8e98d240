import {type ReactNode, useCallback, useEffect, useState} from 'react'
import {DeleteAbsence, DeletePlage, SaveAbsence, SaveAgent, SaveLieu, SaveMotif, SaveOrganisation, SavePlage, Settings} from '../../wailsjs/go/app/AgentService'
import {agenda, app} from '../../wailsjs/go/models'
import {errorFor, Field, type FieldError} from '../shared/Field'
import {jour} from '../shared/format'
import {DateInput, timeText, TimeInput} from '../shared/FrenchInputs'
import {EditorForm, inputs, Saved, useEditor} from './editor'
import {ImportSection} from './ImportScreen'
import {NotificationsSection} from './NotificationSettings'
import {OwnPasswordSection, PersonalDataSection} from './PersonalData'
import {PostesSection} from './PostesSettings'
import {CalendarFeedSection, PrintingSection} from './PrintingSettings'
import {CentralServerSection} from './Sync'
import {useApp} from './session'
import {ConfirmDialog} from './Confirm'
import {FilePicker} from './files'

type Section = 'organisation' | 'lieux' | 'agents' | 'motifs' | 'notifications' | 'impression' | 'central' | 'postes' | 'plages' | 'absences' | 'ical' | 'rgpd' | 'import' | 'password'

/** admin: only administrators change it (others read it); hidden: others do not see it at all. */
const sections: {id: Section; label: string; admin: boolean; hidden?: boolean}[] = [
  {id: 'organisation', label: 'Organisation', admin: true},
  {id: 'lieux', label: 'Lieux', admin: true},
  {id: 'agents', label: 'Agents, guichets et comptes', admin: true},
  {id: 'motifs', label: 'Motifs', admin: true},
  {id: 'notifications', label: 'Notifications', admin: true, hidden: true},
  {id: 'impression', label: 'Impression', admin: true, hidden: true},
  {id: 'central', label: 'Serveur central', admin: true, hidden: true},
  {id: 'postes', label: 'Postes', admin: true, hidden: true},
  {id: 'plages', label: 'Plages d’ouverture', admin: false},
  {id: 'absences', label: 'Absences', admin: false},
  {id: 'ical', label: 'Calendrier iCal', admin: false},
  {id: 'rgpd', label: 'Données personnelles', admin: true, hidden: true},
  {id: 'import', label: 'Import', admin: true, hidden: true},
  {id: 'password', label: 'Mon mot de passe', admin: false},
]

/** The settings screens; the administrators' sections are read-only for the other agents. */
export function SettingsScreen() {
  const {fail, refresh} = useApp()
  const [data, setData] = useState<app.SettingsView>()
  const [section, setSection] = useState<Section>(sections[0].id)
  const load = useCallback(() => Settings().then(setData).catch(fail), [fail])
  const reload = useCallback(() => { load(); refresh() }, [load, refresh])
  useEffect(() => { load() }, [load])
  if (!data) return <main className="list-screen"><p aria-busy="true">Chargement…</p></main>
  const props = {data, reload, readOnly: !data.isAdmin && sections.find(s => s.id === section)!.admin}
  return (
    <main className="list-screen settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Paramètres</h2>
      <nav className="subtabs" aria-label="Rubriques des paramètres">
        {sections.filter(s => data.isAdmin || !s.hidden).map(s => (
          <button key={s.id} type="button" aria-current={section === s.id ? 'page' : undefined} onClick={() => setSection(s.id)}>{s.label}</button>
        ))}
      </nav>
      {props.readOnly && <p className="notice">Seul un compte ayant les droits d’administration peut modifier cette rubrique.</p>}
      {section === 'organisation' && <OrganisationSection {...props}/>}
      {section === 'lieux' && <LieuxSection {...props}/>}
      {section === 'agents' && <AgentsSection {...props}/>}
      {section === 'motifs' && <MotifsSection {...props}/>}
      {section === 'notifications' && <NotificationsSection/>}
      {section === 'impression' && <PrintingSection/>}
      {section === 'central' && <CentralServerSection/>}
      {section === 'postes' && <PostesSection/>}
      {section === 'plages' && <PlagesSection {...props}/>}
      {section === 'absences' && <AbsencesSection {...props}/>}
      {section === 'ical' && <CalendarFeedSection/>}
      {section === 'rgpd' && <PersonalDataSection/>}
      {section === 'import' && <ImportSection/>}
      {section === 'password' && <OwnPasswordSection/>}
    </main>
  )
}

type SectionProps = {data: app.SettingsView; reload: () => void; readOnly: boolean}

function OrganisationSection({data, reload, readOnly}: SectionProps) {
  const ed = useEditor<app.OrganisationForm>(SaveOrganisation, reload)
  useEffect(() => { ed.edit(data.organisation, true) }, [data]) // eslint-disable-line react-hooks/exhaustive-deps
  if (!ed.form) return <Saved text={ed.saved}/>
  const i = inputs(ed.form, ed.set, ed.errors)
  const logo = (file?: File) => file?.arrayBuffer().then(b => ed.set({logoPng: btoa(String.fromCharCode(...new Uint8Array(b)))}))
  const fields = Object.keys(ed.form)
  return (
    <>
      <Saved text={ed.saved}/>
      <EditorForm title="Organisation" errors={ed.errors} fields={fields} onSubmit={ed.submit}>
        <fieldset disabled={readOnly}>
          {i.text('name', 'Nom affiché')}
          <Field label="Couleur d’accent" error={errorFor(ed.errors, 'accentColor')} hint="Couleur des bandeaux, au format #RRGGBB.">
            <input value={ed.form.accentColor} onChange={e => ed.set({accentColor: e.target.value})}/>
          </Field>
          <FilePicker label="Logo (image PNG, 1 Mo au plus)" accept="image/png" error={errorFor(ed.errors, 'logoPng')} onPick={logo}/>
          {ed.form.logoPng && <p><img className="logo" alt="Logo actuel" src={'data:image/png;base64,' + ed.form.logoPng}/> <button type="button" onClick={() => ed.set({logoPng: ''})}>Retirer le logo</button></p>}
          {i.text('email', 'E-mail de contact', {type: 'email'})}
          {i.text('phone', 'Téléphone', {type: 'tel'})}
          {i.text('timeZone', 'Fuseau horaire', {hint: 'Europe/Paris en métropole.'})}
          {i.text('departement', 'Département (jours fériés locaux)', {hint: 'Par exemple 45, 57 ou 974 ; vide pour les règles de métropole.'})}
          {i.number('slotGridMinutes', 'Grille des créneaux (minutes, 0 = aucune)', {min: 0, step: 5})}
          {i.number('bufferMinutes', 'Temps de battement après chaque rendez-vous (minutes)', {min: 0})}
          {i.number('sessionTimeoutMin', 'Déconnexion automatique après (minutes d’inactivité)', {min: 1, max: 480})}
        </fieldset>
      </EditorForm>
    </>
  )
}

const emptyLieu = () => new agenda.Lieu({id: '', organisationId: '', name: '', street: '', postalCode: '', city: '', phone: '', accessibility: '', enabled: true})

function LieuxSection({data, reload, readOnly}: SectionProps) {
  const ed = useEditor<agenda.Lieu>(SaveLieu, reload)
  return (
    <>
      <Saved text={ed.saved}/>
      <Table head={['Lieu', 'Adresse', 'État', '']} empty="Aucun lieu : ajoutez celui où vous recevez le public."
        rows={data.lieux.map(l => [l.name, `${l.street}, ${l.postalCode} ${l.city}`, l.enabled ? 'Ouvert' : 'Archivé',
          <button type="button" disabled={readOnly} onClick={() => ed.edit(l)}>Modifier<span className="visually-hidden"> {l.name}</span></button>])}/>
      {!readOnly && !ed.form && <button type="button" onClick={() => ed.edit(emptyLieu())}>Ajouter un lieu</button>}
      {ed.form && (() => {
        const i = inputs(ed.form, ed.set, ed.errors)
        return (
          <EditorForm title={ed.form.id ? 'Modifier le lieu' : 'Nouveau lieu'} errors={ed.errors} fields={Object.keys(ed.form)} onSubmit={ed.submit} onCancel={() => ed.edit()}>
            {i.text('name', 'Nom')}
            {i.text('street', 'Adresse')}
            {i.text('postalCode', 'Code postal', {inputMode: 'numeric'})}
            {i.text('city', 'Commune')}
            {i.text('phone', 'Téléphone', {type: 'tel'})}
            {i.text('accessibility', 'Accessibilité (rampe, ascenseur…)')}
            {i.check('enabled', 'Lieu ouvert (décochez pour l’archiver)')}
          </EditorForm>
        )
      })()}
    </>
  )
}

const emptyAgent = () => new app.AgentForm({id: '', kind: 'agent', name: '', email: '', login: '', role: 'agent', active: true, password: '', hasPassword: false})

function AgentsSection({data, reload, readOnly}: SectionProps) {
  const ed = useEditor<app.AgentForm>(SaveAgent, reload)
  return (
    <>
      <Saved text={ed.saved}/>
      <Table head={['Nom', 'Type', 'Identifiant', 'Rôle', 'État', '']} empty="Aucun agent."
        rows={data.agents.map(a => [a.name, a.kind === 'agent' ? 'Agent' : 'Guichet', a.login || '—',
          a.kind === 'agent' ? (a.role === 'admin' ? 'Administration' : 'Agent') : '—', a.active ? 'Actif' : 'Désactivé',
          <button type="button" disabled={readOnly} onClick={() => ed.edit({...a, password: ''} as app.AgentForm)}>Modifier<span className="visually-hidden"> {a.name}</span></button>])}/>
      {!readOnly && !ed.form && <button type="button" onClick={() => ed.edit(emptyAgent())}>Ajouter un agent ou un guichet</button>}
      {ed.form && (() => {
        const i = inputs(ed.form, ed.set, ed.errors)
        const person = ed.form.kind === 'agent'
        return (
          <EditorForm title={ed.form.id ? 'Modifier ' + ed.form.name : 'Nouvel agent ou guichet'} errors={ed.errors} fields={[...Object.keys(ed.form)]} onSubmit={ed.submit} onCancel={() => ed.edit()}>
            {!ed.form.id && i.select('kind', 'Type', [['agent', 'Agent (avec un compte)'], ['guichet', 'Guichet ou DR (sans compte)']])}
            {i.text('name', 'Nom')}
            {person && i.text('email', 'E-mail', {type: 'email'})}
            {person && i.text('login', 'Identifiant de connexion', {autoComplete: 'off'})}
            {person && i.select('role', 'Rôle', [['agent', 'Agent'], ['admin', 'Administration (tous les paramètres)']])}
            {person && i.text('password', ed.form.id ? 'Nouveau mot de passe (laisser vide pour le garder)' : 'Mot de passe', {type: 'password', autoComplete: 'new-password', hint: 'Au moins 8 caractères.'})}
            {i.check('active', 'Actif (décochez pour désactiver le compte ou l’agenda)')}
          </EditorForm>
        )
      })()}
    </>
  )
}

const emptyMotif = () => new app.MotifForm({id: '', name: '', color: '#2e7dd7', durationMin: 20, locationType: 'public_office', minPublicDelay: 120,
  maxPublicDelay: 90, bookableKiosk: false, bookableOnline: false, collectif: false, capacity: 0, pieces: [], instructions: '', antsCategory: '', archived: false})

function MotifsSection({data, reload, readOnly}: SectionProps) {
  const ed = useEditor<app.MotifForm>(SaveMotif, reload)
  return (
    <>
      <Saved text={ed.saved}/>
      <Table head={['Motif', 'Durée', 'Borne', 'En ligne', 'État', '']} empty="Aucun motif : ajoutez les démarches que vous recevez."
        rows={data.motifs.map(m => [<><span className="swatch" style={{background: m.color}} aria-hidden="true"/> {m.name}</>, `${m.durationMin}\u202fmin`,
          m.bookableKiosk ? 'Oui' : 'Non', m.bookableOnline ? 'Oui' : 'Non', m.archived ? 'Archivé' : 'Actif',
          <button type="button" disabled={readOnly} onClick={() => ed.edit(m)}>Modifier<span className="visually-hidden"> {m.name}</span></button>])}/>
      {!readOnly && !ed.form && <button type="button" onClick={() => ed.edit(emptyMotif())}>Ajouter un motif</button>}
      {ed.form && (() => {
        const i = inputs(ed.form, ed.set, ed.errors)
        const f = ed.form
        return (
          <EditorForm title={f.id ? 'Modifier le motif' : 'Nouveau motif'} errors={ed.errors} fields={Object.keys(f)} onSubmit={ed.submit} onCancel={() => ed.edit()}>
            {i.text('name', 'Nom')}
            {i.text('color', 'Couleur dans l’agenda', {type: 'color'})}
            {i.number('durationMin', 'Durée (minutes)', {min: 5, step: 5})}
            {i.select('locationType', 'Type de rendez-vous', [['public_office', 'Sur place'], ['phone', 'Par téléphone'], ['home', 'À domicile'], ['visio', 'En visio']])}
            {i.select('antsCategory', 'Catégorie ANTS', [['', 'Aucune'], ['CNI', 'Carte d’identité'], ['PASSPORT', 'Passeport'], ['CNI-PASSPORT', 'Carte d’identité et passeport']])}
            {i.check('bookableKiosk', 'Réservable à la borne')}
            {i.check('bookableOnline', 'Réservable en ligne')}
            {i.number('minPublicDelay', 'Délai minimum de réservation par le public (minutes)', {min: 0})}
            {i.number('maxPublicDelay', 'Délai maximum de réservation par le public (jours)', {min: 1})}
            {i.check('collectif', 'Rendez-vous collectif (atelier)')}
            {f.collectif && i.number('capacity', 'Nombre de places', {min: 2})}
            <Field label="Pièces à fournir (une par ligne)" error={errorFor(ed.errors, 'pieces') ?? ed.errors?.find(e => e.field.startsWith('pieces['))?.message}>
              <textarea rows={4} value={(f.pieces ?? []).join('\n')} onChange={e => ed.set({pieces: e.target.value.split('\n')})}/>
            </Field>
            <Field label="Consignes pour l’usager" error={errorFor(ed.errors, 'instructions')}>
              <textarea rows={2} value={f.instructions} onChange={e => ed.set({instructions: e.target.value})}/>
            </Field>
            {f.id && i.check('archived', 'Archivé (n’est plus proposé)')}
          </EditorForm>
        )
      })()}
    </>
  )
}

const weekdays: [number, string][] = [[1, 'lundi'], [2, 'mardi'], [3, 'mercredi'], [4, 'jeudi'], [5, 'vendredi'], [6, 'samedi'], [0, 'dimanche']]
const ordinals: [string, string][] = [['1', '1er'], ['2', '2e'], ['3', '3e'], ['4', '4e'], ['5', '5e']]

/** Weekly days or nth weekday of the month, interval and end date of a plage or an absence. */
function RecurrenceEditor({value, onChange, errors}: {value: app.RecurrenceForm; onChange: (r: app.RecurrenceForm) => void; errors?: FieldError[]}) {
  const set = (p: Partial<app.RecurrenceForm>) => onChange({...value, ...p} as app.RecurrenceForm)
  const err = (k: string) => errorFor(errors, 'recurrence.' + k)
  return (
    <fieldset className="recurrence">
      <legend>Répétition</legend>
      <Field label="Fréquence" error={err('every')}>
        <select value={value.every} onChange={e => set({every: e.target.value, interval: value.interval || 1})}>
          <option value="">Une seule fois</option>
          <option value="week">Chaque semaine</option>
          <option value="month">Chaque mois</option>
        </select>
      </Field>
      {value.every === 'week' && (
        <>
          <fieldset className="weekdays">
            <legend>Jours</legend>
            {weekdays.map(([d, name]) => (
              <label key={d}><input type="checkbox" checked={value.weekdays?.includes(d) ?? false}
                onChange={e => set({weekdays: e.target.checked ? [...(value.weekdays ?? []), d] : (value.weekdays ?? []).filter(x => x !== d)})}/> {name}</label>
            ))}
            {err('weekdays') && <span className="field-error">{err('weekdays')}</span>}
          </fieldset>
          <Field label="Toutes les … semaines" error={err('interval')}>
            <input type="number" min={1} max={52} value={value.interval} onChange={e => set({interval: Number(e.target.value)})}/>
          </Field>
        </>
      )}
      {value.every === 'month' && (
        <>
          <Field label="Le" error={err('nth')}>
            <select value={String(value.nth || 1)} onChange={e => set({nth: Number(e.target.value)})}>
              {ordinals.map(([v, t]) => <option key={v} value={v}>{t}</option>)}
            </select>
          </Field>
          <Field label="Jour de la semaine" error={err('weekday')}>
            <select value={String(value.weekday)} onChange={e => set({weekday: Number(e.target.value)})}>
              {weekdays.map(([d, name]) => <option key={d} value={d}>{name}</option>)}
            </select>
          </Field>
          <Field label="Tous les … mois" error={err('interval')}>
            <input type="number" min={1} max={12} value={value.interval} onChange={e => set({interval: Number(e.target.value)})}/>
          </Field>
        </>
      )}
      {value.every && (
        <Field label="Jusqu’au (facultatif)" error={err('until')}>
          <DateInput value={value.until} onChange={d => set({until: d})}/>
        </Field>
      )}
    </fieldset>
  )
}

function recurrenceText(r: app.RecurrenceForm): string {
  const until = r.until ? ` jusqu’au ${jour(r.until)}` : ''
  if (r.every === 'week') {
    const days = weekdays.filter(([d]) => r.weekdays?.includes(d)).map(([, n]) => n).join(', ')
    return (r.interval > 1 ? `toutes les ${r.interval} semaines` : 'chaque semaine') + (days ? ` : ${days}` : '') + until
  }
  if (r.every === 'month') {
    return `le ${ordinals[(r.nth || 1) - 1][1]} ${weekdays.find(([d]) => d === r.weekday)?.[1]} ` + (r.interval > 1 ? `tous les ${r.interval} mois` : 'du mois') + until
  }
  return 'une seule fois'
}

// canalText names who sells a plage; a change of canal waits for the central's acknowledgement,
// during which neither the office nor the central sells it.
function canalText(p: app.PlageForm): string {
  const canal = p.canal === 'en_ligne' ? 'En ligne' : 'Guichet'
  return p.enTransfert ? `${canal} (en transfert : en attente du serveur central, aucun créneau n’est vendu)` : canal
}

const emptyRecurrence = () => new app.RecurrenceForm({every: 'week', interval: 1, weekdays: [], nth: 0, weekday: 0, until: ''})

function PlagesSection({data, reload}: SectionProps) {
  const {startup, session, fail} = useApp()
  const ed = useEditor<app.PlageForm>(SavePlage, reload)
  const name = (list: {id: string; name: string}[], id: string) => list.find(x => x.id === id)?.name ?? ''
  const [deleting, setDeleting] = useState<app.PlageForm>()
  const [said, setSaid] = useState('')
  const remove = (p: app.PlageForm) => DeletePlage(p.id).then(() => { setDeleting(undefined); setSaid(`Plage « ${p.title} » supprimée.`); reload() }).catch(fail)
  const empty = () => new app.PlageForm({id: '', agentId: session.agentId, lieuId: data.lieux[0]?.id ?? '', title: '', motifIds: [], firstDay: startup.today,
    start: '09:00', end: '12:00', recurrence: emptyRecurrence(), exceptions: [], canal: 'guichet'})
  return (
    <>
      <Saved text={said || ed.saved}/>
      <Table head={['Plage', 'Agenda', 'Lieu', 'Horaires', 'Répétition', 'Canal', '']}
        empty="Aucune plage d’ouverture : ajoutez-en une pour proposer des créneaux."
        rows={data.plages.map(p => [p.title, name(data.agents, p.agentId), name(data.lieux, p.lieuId), `${timeText(p.start)} – ${timeText(p.end)}`,
          `à partir du ${jour(p.firstDay)}, ${recurrenceText(p.recurrence)}`, canalText(p),
          <span className="row-actions"><button type="button" onClick={() => ed.edit(p)}>Modifier<span className="visually-hidden"> {p.title}</span></button>
            <button type="button" onClick={() => { setSaid(''); setDeleting(p) }}>Supprimer<span className="visually-hidden"> {p.title}</span></button></span>])}/>
      {deleting && (
        <ConfirmDialog title={`Supprimer la plage « ${deleting.title} » ?`} confirm="Supprimer la plage" keep="Garder la plage"
          onConfirm={() => remove(deleting)} onClose={() => setDeleting(undefined)}>
          <p>{timeText(deleting.start)} – {timeText(deleting.end)}, {recurrenceText(deleting.recurrence)}. Ses créneaux ne seront plus proposés.</p>
        </ConfirmDialog>
      )}
      {!ed.form && <button type="button" onClick={() => ed.edit(empty())}>Ajouter une plage d’ouverture</button>}
      {ed.form && (() => {
        const f = ed.form
        const i = inputs(f, ed.set, ed.errors)
        const setException = (n: number, p: Partial<app.ExceptionForm>) => ed.set({exceptions: f.exceptions.map((x, k) => k === n ? {...x, ...p} as app.ExceptionForm : x)})
        return (
          <EditorForm title={f.id ? 'Modifier la plage' : 'Nouvelle plage d’ouverture'} errors={ed.errors} fields={Object.keys(f)} onSubmit={ed.submit} onCancel={() => ed.edit()}>
            {i.text('title', 'Titre', {placeholder: 'Titres — matin'})}
            {i.select('agentId', 'Agenda (agent ou guichet)', data.agents.filter(a => a.active).map(a => [a.id, a.name]))}
            {i.select('lieuId', 'Lieu', [['', 'Choisissez un lieu…'], ...data.lieux.filter(l => l.enabled).map(l => [l.id, l.name] as [string, string])])}
            <fieldset className="motifs">
              <legend>Motifs proposés</legend>
              {data.motifs.filter(m => !m.archived).map(m => (
                <label key={m.id}><input type="checkbox" checked={f.motifIds.includes(m.id)}
                  onChange={e => ed.set({motifIds: e.target.checked ? [...f.motifIds, m.id] : f.motifIds.filter(x => x !== m.id)})}/> {m.name}</label>
              ))}
              {errorFor(ed.errors, 'motifIds') && <span className="field-error">{errorFor(ed.errors, 'motifIds')}</span>}
            </fieldset>
            {i.date('firstDay', 'Premier jour')}
            {i.time('start', 'Début')}
            {i.time('end', 'Fin')}
            <RecurrenceEditor value={f.recurrence} onChange={r => ed.set({recurrence: r})} errors={ed.errors}/>
            {i.select('canal', 'Canal de réservation', [['guichet', 'Guichet et borne (vendu par le bureau)'], ['en_ligne', 'En ligne (vendu par le serveur central)']])}
            <fieldset className="exceptions">
              <legend>Exceptions</legend>
              {f.exceptions.length === 0 && <p className="hint">Aucune exception : la plage a lieu à chaque occurrence.</p>}
              {f.exceptions.map((x, n) => (
                <div className="row" key={n}>
                  <Field label="Jour" error={errorFor(ed.errors, `exceptions[${n}].date`)}>
                    <DateInput value={x.date} onChange={d => setException(n, {date: d})}/>
                  </Field>
                  <div className="check"><label><input type="checkbox" checked={x.cancelled} onChange={e => setException(n, {cancelled: e.target.checked})}/> Annulée ce jour-là</label></div>
                  {!x.cancelled && (
                    <>
                      <Field label="Début" error={errorFor(ed.errors, `exceptions[${n}].start`)}><TimeInput value={x.start} onChange={t => setException(n, {start: t})}/></Field>
                      <Field label="Fin" error={errorFor(ed.errors, `exceptions[${n}].end`)}><TimeInput value={x.end} onChange={t => setException(n, {end: t})}/></Field>
                    </>
                  )}
                  <button type="button" onClick={() => ed.set({exceptions: f.exceptions.filter((_, k) => k !== n)})}>Retirer l’exception</button>
                </div>
              ))}
              <button type="button" onClick={() => ed.set({exceptions: [...f.exceptions, new app.ExceptionForm({date: '', cancelled: true, start: f.start, end: f.end})]})}>Ajouter une exception</button>
            </fieldset>
          </EditorForm>
        )
      })()}
    </>
  )
}

function AbsencesSection({data, reload}: SectionProps) {
  const {startup, session, fail} = useApp()
  const ed = useEditor<app.AbsenceForm>(SaveAbsence, reload)
  const [deleting, setDeleting] = useState<app.AbsenceForm>()
  const [said, setSaid] = useState('')
  const remove = (a: app.AbsenceForm) => DeleteAbsence(a.id).then(() => { setDeleting(undefined); setSaid(`Absence « ${a.title} » supprimée.`); reload() }).catch(fail)
  const empty = () => new app.AbsenceForm({id: '', agentId: session.agentId, title: '', firstDay: startup.today, endDay: '', start: '00:00', end: '24:00',
    recurrence: new app.RecurrenceForm({...emptyRecurrence(), every: ''})})
  return (
    <>
      <Saved text={said || ed.saved}/>
      <Table head={['Absence', 'Agenda', 'Du', 'Au', 'Horaires', '']} empty="Aucune absence enregistrée."
        rows={data.absences.map(a => [a.title, data.agents.find(x => x.id === a.agentId)?.name ?? '', jour(a.firstDay), a.endDay ? jour(a.endDay) : '—',
          `${timeText(a.start)} – ${timeText(a.end)}${a.recurrence.every ? ', ' + recurrenceText(a.recurrence) : ''}`,
          <span className="row-actions"><button type="button" onClick={() => ed.edit(a)}>Modifier<span className="visually-hidden"> {a.title}</span></button>
            <button type="button" onClick={() => { setSaid(''); setDeleting(a) }}>Supprimer<span className="visually-hidden"> {a.title}</span></button></span>])}/>
      {deleting && (
        <ConfirmDialog title={`Supprimer l’absence « ${deleting.title} » ?`} confirm="Supprimer l’absence" keep="Garder l’absence"
          onConfirm={() => remove(deleting)} onClose={() => setDeleting(undefined)}>
          <p>Du {jour(deleting.firstDay)}{deleting.endDay ? ` au ${jour(deleting.endDay)}` : ''}. Les créneaux de ces heures seront de nouveau proposés.</p>
        </ConfirmDialog>
      )}
      {!ed.form && <button type="button" onClick={() => ed.edit(empty())}>Ajouter une absence</button>}
      {ed.form && (() => {
        const f = ed.form
        const i = inputs(f, ed.set, ed.errors)
        return (
          <EditorForm title={f.id ? 'Modifier l’absence' : 'Nouvelle absence'} errors={ed.errors} fields={Object.keys(f)} onSubmit={ed.submit} onCancel={() => ed.edit()}>
            {i.text('title', 'Motif de l’absence', {placeholder: 'Congés, formation…'})}
            {i.select('agentId', 'Agenda (agent ou guichet)', data.agents.filter(a => a.active).map(a => [a.id, a.name]))}
            {i.date('firstDay', 'Premier jour')}
            {i.date('endDay', 'Dernier jour (vide : un seul jour)')}
            {i.time('start', 'De')}
            {i.time('end', 'À (24 h 00 pour la fin de journée)', {allow24: true})}
            {!f.endDay || f.endDay === f.firstDay ? <RecurrenceEditor value={f.recurrence} onChange={r => ed.set({recurrence: r})} errors={ed.errors}/> : null}
          </EditorForm>
        )
      })()}
    </>
  )
}

function Table({head, rows, empty}: {head: string[]; rows: ReactNode[][]; empty: string}) {
  if (rows.length === 0) return <p>{empty}</p>
  return (
    <table className="list">
      <thead><tr>{head.map((h, k) => <th key={k} scope="col">{h || <span className="visually-hidden">Actions</span>}</th>)}</tr></thead>
      <tbody>{rows.map((r, k) => <tr key={k}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>)}</tbody>
    </table>
  )
}
