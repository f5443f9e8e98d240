import {type FormEvent, useCallback, useEffect, useState} from 'react'
import {Disconnect, Dismiss, SaveServer, Settings, Status, SyncNow, ToTreat} from '../../wailsjs/go/app/SyncService'
import type {app} from '../../wailsjs/go/models'
import {errorFor, Field, type FieldError} from '../shared/Field'
import {refusal, useApp} from './session'
import './sync.css'

// The synchronisation with the central server, as the agents see it: the header's badge, the
// « Synchronisation » screen with its « À traiter » list, and Paramètres › Serveur central. Go
// writes every text (SyncService, backend/messages' sync_ui.json): these screens lay them out.

/** How often the badge asks Go (Status is a poll: it does not keep the session alive). */
export const SYNC_POLL_MS = 10_000

/** The sync state, polled, and reloaded when the other screens change something. */
function useSyncStatus() {
  const {fail, version} = useApp()
  const [status, setStatus] = useState<app.SyncStatusView>()
  const load = useCallback(() => Status().then(setStatus).catch(fail), [fail])
  useEffect(() => {
    load()
    const t = window.setInterval(load, SYNC_POLL_MS)
    return () => window.clearInterval(t)
  }, [load, version])
  return {status, load}
}

/**
 * The header's discreet badge: « Synchronisé il y a 2 min », « Hors ligne depuis 10 h 42 — 14
 * changements en attente », and the « À traiter » count; nothing when no central server is set.
 * It opens the « Synchronisation » screen.
 */
export function SyncBadge({onOpen, current}: {onOpen: () => void; current: boolean}) {
  const {status} = useSyncStatus()
  if (!status || status.state === 'off') return null
  return (
    <button type="button" className={'sync-badge sync-' + status.state} onClick={onOpen} aria-current={current ? 'page' : undefined}
      data-testid="sync-badge" title="Ouvrir l’écran Synchronisation">
      <span className="sync-dot" aria-hidden="true"/>
      {status.label}
      {status.toTreat > 0 && <span className="sync-count"> · {status.toTreat} à traiter</span>}
    </button>
  )
}

/** The « Synchronisation » screen: the state of the link, « Synchroniser maintenant » and « À traiter ». */
export function SyncScreen() {
  const {fail, changed} = useApp()
  const {status, load} = useSyncStatus()
  const [items, setItems] = useState<app.ToTreatItem[]>()
  const [notice, setNotice] = useState('')
  const [problem, setProblem] = useState('')
  const loadItems = useCallback(() => ToTreat().then(setItems).catch(fail), [fail])
  // The list follows the badge's count: a round that brings a refusal shows it.
  const count = status ? status.toTreat : -1
  useEffect(() => { loadItems() }, [loadItems, count])

  const syncNow = () => {
    setNotice('')
    setProblem('')
    SyncNow().then(() => { setNotice('Synchronisation demandée : l’état ci-dessus se met à jour dans quelques secondes.'); window.setTimeout(load, 1500) })
      .catch(refusal(fail, setProblem))
  }
  const dismiss = (it: app.ToTreatItem) => {
    setProblem('')
    Dismiss(it.id).then(() => {
      setNotice(`Marqué comme traité : ${it.what}.`)
      loadItems()
      changed()
    }).catch(refusal(fail, setProblem))
  }

  return (
    <main className="list-screen sync-screen" aria-labelledby="sync-title">
      <h2 id="sync-title">Synchronisation</h2>
      {status && status.state === 'off' && (
        <p>Ce guichet n’est relié à aucun serveur central : tout est enregistré ici. Un administrateur le relie dans Paramètres › Serveur central.</p>
      )}
      {status && status.state !== 'off' && (
        <section aria-labelledby="sync-state-title">
          <h3 id="sync-state-title" className="visually-hidden">État de la synchronisation</h3>
          <p className={'sync-state sync-' + status.state} data-testid="sync-state">
            <span className="sync-dot" aria-hidden="true"/>{status.label}
          </p>
          {status.message && <p className="hint">{status.message}</p>}
          <p className="hint">Les rendez-vous pris ici sont enregistrés tout de suite, même hors ligne : ils partent vers le serveur central dès que la liaison revient.</p>
          <div className="actions">
            <button type="button" onClick={syncNow}>Synchroniser maintenant</button>
          </div>
        </section>
      )}
      <p role="status" className="flash">{notice}</p>
      {problem && <p role="alert" className="error">{problem}</p>}

      <section aria-labelledby="to-treat-title">
        <h3 id="to-treat-title">À traiter{items && items.length > 0 ? ` (${items.length})` : ''}</h3>
        {items && items.length === 0 && <p>Rien à traiter : tous les changements ont été acceptés par le serveur central.</p>}
        {items && items.length > 0 && (
          <ul className="to-treat" aria-labelledby="to-treat-title">
            {items.map(it => (
              <li key={it.id} className="to-treat-item">
                <p className="to-treat-what"><strong>{it.what}</strong></p>
                <p><span className="to-treat-label">{it.kind === 'rejected' ? 'Refusé par le serveur central' : 'Non appliqué ici'}</span> : {it.reason}</p>
                <p className="to-treat-advice"><span className="to-treat-label">Que faire</span> : {it.advice}</p>
                <p className="hint">{it.kind === 'rejected' ? 'Réponse du serveur central' : 'Reçu'} le {it.at}.</p>
                <button type="button" onClick={() => dismiss(it)}>
                  Marquer comme traité<span className="visually-hidden"> : {it.what}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  )
}

/**
 * Paramètres › Serveur central (administrators): the central's address and this office's token,
 * tested before they are saved, and « Déconnecter ». The token is write-only; the organisation's
 * id is shown for the central's operator (« rdv-central office add --organisation … »).
 */
export function CentralServerSection() {
  const {fail, changed} = useApp()
  const [stored, setStored] = useState<app.SyncSettingsView>()
  const [serverUrl, setServerUrl] = useState('')
  const [token, setToken] = useState('')
  const [errors, setErrors] = useState<FieldError[]>()
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState('')
  const [problem, setProblem] = useState('')
  const load = useCallback(() => Settings().then(s => { setStored(s); setServerUrl(s.serverUrl) }).catch(fail), [fail])
  useEffect(() => { load() }, [load])
  if (!stored) return <p aria-busy="true">Chargement…</p>

  const save = (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setSaved('')
    setProblem('')
    setErrors(undefined)
    SaveServer(serverUrl, token).then(r => {
      if (r.errors?.length) { setErrors(r.errors); return }
      setToken('')
      setSaved('Connexion réussie : le guichet est relié au serveur central et se synchronise.')
      load()
      changed()
    }).catch(refusal(fail, setProblem)).finally(() => setBusy(false))
  }
  const disconnect = () => {
    setSaved('')
    setProblem('')
    setErrors(undefined)
    Disconnect().then(() => {
      setSaved('Le guichet n’est plus relié au serveur central. Les changements faits ici attendent la prochaine connexion.')
      load()
      changed()
    }).catch(refusal(fail, setProblem))
  }

  return (
    <>
      <p role="status" className="flash">{saved}</p>
      <form className="editor" onSubmit={save} aria-labelledby="central-title" noValidate>
        <h3 id="central-title">Serveur central</h3>
        <p className="hint">
          Relié au serveur central, le guichet lui envoie ses changements et reçoit les rendez-vous pris en ligne. Le guichet
          n’attend jamais le serveur : un rendez-vous pris ici est enregistré tout de suite, même hors ligne.
        </p>
        <p data-testid="central-state">{stored.connected ? <>État : <strong>relié</strong> à {stored.serverUrl}.</> : <>État : <strong>non relié</strong>.</>}</p>
        <p>
          Identifiant de l’organisation « {stored.organisationName} », à donner à l’administrateur du serveur central :{' '}
          <code className="org-id" data-testid="organisation-id">{stored.organisationId}</code>
        </p>
        {errors?.length ? <p className="error" role="alert">La connexion n’a pas été enregistrée : corrigez les champs signalés.</p> : null}
        {problem && <p className="error" role="alert">{problem}</p>}
        <Field label="Adresse du serveur central" error={errorFor(errors, 'serverUrl')} hint="Par exemple https://rdv-central.exemple.fr.">
          <input type="url" value={serverUrl} onChange={e => setServerUrl(e.target.value)} placeholder="https://" autoComplete="off"/>
        </Field>
        <Field label="Jeton du guichet" error={errorFor(errors, 'token')}
          hint={stored.tokenSet ? 'Enregistré : laissez vide pour le garder.' : 'Donné par l’administrateur du serveur central (« rdv-central office add »).'}>
          <input type="password" value={token} onChange={e => setToken(e.target.value)} autoComplete="off"/>
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Test de la connexion…' : 'Tester et enregistrer'}</button>
          {stored.connected && <button type="button" onClick={disconnect} disabled={busy}>Déconnecter</button>}
        </div>
      </form>
    </>
  )
}
