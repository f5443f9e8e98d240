import {type FormEvent, useCallback, useEffect, useState} from 'react'
import {ChangeOwnPassword, EraseUsager, ExportUsager, PersonalData, SaveRetention, SearchUsagers} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {errorFor, Field, type FieldError} from '../shared/Field'
import {FileLinks, type Outcome, OutcomeNotice} from './files'
import {refusal, useApp} from './session'

// Paramètres › Données personnelles (administrators): the retention of the daily purge, an
// usager's export and erasure, the audit trail. Paramètres › Mon mot de passe (every agent).

export function PersonalDataSection() {
  const {fail} = useApp()
  const [view, setView] = useState<app.PersonalDataView>()
  const [years, setYears] = useState(2)
  const [errors, setErrors] = useState<FieldError[]>()
  const [saved, setSaved] = useState('')
  const load = useCallback(() => PersonalData().then(v => { setView(v); setYears(v.retentionYears) }).catch(fail), [fail])
  useEffect(() => { load() }, [load])
  if (!view) return <p aria-busy="true">Chargement…</p>
  const save = (e: FormEvent) => {
    e.preventDefault()
    setSaved('')
    SaveRetention(years).then(r => {
      setErrors(r.errors ?? undefined)
      if (!r.errors?.length) { setSaved('Durée de conservation enregistrée.'); load() }
    }).catch(fail)
  }
  return (
    <>
      <form className="editor" aria-label="Durée de conservation" onSubmit={save} noValidate>
        <h3>Durée de conservation</h3>
        <p className="hint">
          Chaque jour, les rendez-vous plus anciens que cette durée sont supprimés avec leur historique et leurs messages,
          ainsi que les usagers sans rendez-vous depuis (un usager qui a un rendez-vous à venir n’est jamais supprimé).
        </p>
        <Field label="Durée de conservation (en années)" error={errorFor(errors, 'retentionYears')} hint={`De ${view.minYears} à ${view.maxYears} ans ; 2 ans par défaut, comme RDV Service Public.`}>
          <input type="number" min={view.minYears} max={view.maxYears} value={years} onChange={e => setYears(Number(e.target.value))}/>
        </Field>
        <p role="status" className="hint">{view.nextPurge}</p>
        <div className="actions"><button type="submit" className="primary">Enregistrer</button></div>
        <p role="status" className="flash">{saved}</p>
      </form>
      <UsagerData onDone={load}/>
      <h3>Journal des données personnelles</h3>
      <table className="list">
        <caption className="visually-hidden">Journal des données personnelles</caption>
        <thead><tr><th scope="col">Date</th><th scope="col">Par</th><th scope="col">Action</th><th scope="col">Détail</th></tr></thead>
        <tbody>
          {view.audit.length === 0 && <tr><td colSpan={4}>Aucune opération pour l’instant.</td></tr>}
          {view.audit.map((a, i) => <tr key={i}><td>{a.at}</td><td>{a.by}</td><td>{a.action}</td><td>{a.detail}</td></tr>)}
        </tbody>
      </table>
    </>
  )
}

/** Find an usager, then export their data or erase them (with a confirmation). */
function UsagerData({onDone}: {onDone: () => void}) {
  const {fail} = useApp()
  const [q, setQ] = useState('')
  const [found, setFound] = useState<app.UsagerForm[]>([])
  const [chosen, setChosen] = useState<app.UsagerForm>()
  const [confirming, setConfirming] = useState(false)
  const [outcome, setOutcome] = useState<Outcome>()
  const [files, setFiles] = useState<app.UsagerExportView>()
  const search = (e: FormEvent) => {
    e.preventDefault()
    SearchUsagers(q).then(setFound).catch(fail)
  }
  const choose = (u: app.UsagerForm) => { setChosen(u); setConfirming(false); setOutcome(undefined); setFiles(undefined) }
  const name = (u: app.UsagerForm) => `${u.lastName.toUpperCase()} ${u.firstName}`
  const exportData = () => {
    if (!chosen) return
    setOutcome(undefined)
    ExportUsager(chosen.id).then(f => { setFiles(f); onDone() }).catch(refusal(fail, m => setOutcome({ok: false, text: m})))
  }
  const erase = () => {
    if (!chosen) return
    EraseUsager(chosen.id).then(text => {
      setOutcome({ok: true, text}); setConfirming(false); setFound(f => f.filter(u => u.id !== chosen.id)); onDone()
    }).catch(refusal(fail, m => { setOutcome({ok: false, text: m}); setConfirming(false) }))
  }
  return (
    <section aria-labelledby="usager-data-title">
      <h3 id="usager-data-title">Données d’un usager</h3>
      <form className="inline-form" role="search" aria-label="Chercher un usager" onSubmit={search}>
        <Field label="Nom, téléphone ou e-mail de l’usager">
          <input value={q} onChange={e => setQ(e.target.value)} autoComplete="off"/>
        </Field>
        <button type="submit">Chercher</button>
      </form>
      {found.length > 0 && (
        <ul className="usager-results" aria-label="Usagers trouvés">
          {found.map(u => (
            <li key={u.id}>
              <button type="button" aria-pressed={chosen?.id === u.id} onClick={() => choose(u)}>
                {name(u)}{u.birthDate ? ` (né·e le ${u.birthDate.split('-').reverse().join('/')})` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
      {chosen && (
        <div className="usager-data" aria-label={'Usager ' + name(chosen)} role="group">
          <p><strong>{name(chosen)}</strong>{chosen.phone ? ' · ' + chosen.phone : ''}{chosen.email ? ' · ' + chosen.email : ''}</p>
          <div className="actions">
            <button type="button" onClick={exportData}>Exporter les données de l’usager</button>
            {!confirming && <button type="button" className="danger" onClick={() => setConfirming(true)}>Supprimer l’usager</button>}
          </div>
          {files && (
            <div role="status" className="outcome outcome-ok" aria-label="Export enregistré">
              <p>Export enregistré (lisible, PDF) : <FileLinks file={files.pdf}/></p>
              <p>Export complet (JSON) : <FileLinks file={files.json}/></p>
              <p className="hint">À remettre à l’usager, puis à supprimer du poste.</p>
            </div>
          )}
          {confirming && (
            <div role="alertdialog" aria-labelledby="erase-title" aria-describedby="erase-text" className="confirm">
              <p id="erase-title"><strong>Supprimer {name(chosen)} ?</strong></p>
              <p id="erase-text">
                Ses rendez-vous à venir seront annulés par le service (l’usager reçoit l’avis d’annulation), puis son nom, ses coordonnées
                et ceux de ses messages seront effacés définitivement. Ses rendez-vous passés restent, sans son nom, pour les statistiques.
              </p>
              <div className="actions">
                <button type="button" className="danger" onClick={erase}>Confirmer la suppression</button>
                <button type="button" onClick={() => setConfirming(false)}>Annuler</button>
              </div>
            </div>
          )}
        </div>
      )}
      <OutcomeNotice outcome={outcome}/>
    </section>
  )
}

/** Paramètres › Mon mot de passe: the current password is asked. */
export function OwnPasswordSection() {
  const {fail} = useApp()
  const [current, setCurrent] = useState('')
  const [password, setPassword] = useState('')
  const [errors, setErrors] = useState<FieldError[]>()
  const [outcome, setOutcome] = useState<Outcome>()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setOutcome(undefined)
    ChangeOwnPassword(current, password).then(r => {
      setErrors(r.errors ?? undefined)
      if (!r.errors?.length) { setOutcome({ok: true, text: 'Mot de passe changé.'}); setCurrent(''); setPassword('') }
    }).catch(refusal(fail, m => { setErrors(undefined); setOutcome({ok: false, text: m}) }))
  }
  return (
    <form className="editor" aria-label="Mon mot de passe" onSubmit={submit} noValidate>
      <h3>Mon mot de passe</h3>
      <Field label="Mot de passe actuel">
        <input type="password" autoComplete="current-password" value={current} onChange={e => setCurrent(e.target.value)}/>
      </Field>
      <Field label="Nouveau mot de passe" error={errorFor(errors, 'password')} hint="Au moins 8 caractères.">
        <input type="password" autoComplete="new-password" value={password} onChange={e => setPassword(e.target.value)}/>
      </Field>
      <div className="actions"><button type="submit" className="primary">Changer le mot de passe</button></div>
      <OutcomeNotice outcome={outcome}/>
    </form>
  )
}
