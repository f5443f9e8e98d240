import {useCallback, useEffect, useMemo, useRef, useState} from 'react'
import {KeepAlive, SignOut, ToFill, WaitingRoom, Workspace as GoWorkspace} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {AgendaScreen} from './AgendaScreen'
import {DayListScreen} from './DayListScreen'
import {Help} from './Help'
import {isTyping} from './keys'
import {ToFillScreen, WaitingRoomScreen} from './Lists'
import {Ctx} from './session'
import {parseError, POSTE_UNREACHABLE, SIGNED_OUT} from '../shared/errors'
import {FALLBACK_POLL_MS, onDataChanged, RETRY_MS} from '../shared/live'
import {SettingsScreen} from './Settings'
import {SyncBadge, SyncScreen} from './Sync'

// The agents' screens once signed in, and the assistant: a chunk of their own (FullCalendar and
// every form), which AgentApp loads after its first frame, while the agent types their password.
export {Assistant} from './Assistant'

/** 'synchro' is opened from the header's sync badge, not from the tabs. */
type Tab = 'agenda' | 'attente' | 'renseigner' | 'liste' | 'parametres' | 'synchro'

const tabs: {id: Tab; label: string}[] = [
  {id: 'agenda', label: 'Agenda'},
  {id: 'attente', label: 'Salle d’attente'},
  {id: 'renseigner', label: 'À renseigner'},
  {id: 'liste', label: 'Liste du jour'},
  {id: 'parametres', label: 'Paramètres'},
]

export function Shell({startup, onSignedOut, onRefresh}: {startup: app.Startup; onSignedOut: (message: string) => void; onRefresh: (s: app.Startup) => void}) {
  const session = startup.session!
  const [tab, setTab] = useState<Tab>('agenda')
  const [error, setError] = useState('')
  const [version, setVersion] = useState(0)
  const [live, setLive] = useState(0)
  const [waiting, setWaiting] = useState<app.WaitingView[]>([])
  const [toFill, setToFill] = useState<number>(0)
  const [help, setHelp] = useState(false)

  const [unreachable, setUnreachable] = useState(false)

  const fail = useCallback((e: unknown) => {
    const err = parseError(e)
    if (err.code === SIGNED_OUT) onSignedOut('Votre session a pris fin : reconnectez-vous.')
    else if (err.code === POSTE_UNREACHABLE) setUnreachable(true) // the screen stays as it is, form included
    else setError(err.message)
  }, [onSignedOut])
  const changed = useCallback(() => { setError(''); setVersion(v => v + 1) }, [])

  // Go says when the data file changed (the kiosk checked someone in, another counter booked).
  useEffect(() => onDataChanged(() => setLive(n => n + 1)), [])
  // A poste secondaire whose principal does not answer reloads every RETRY_MS until it does.
  useEffect(() => {
    if (!unreachable) return
    const t = window.setInterval(() => setLive(n => n + 1), RETRY_MS)
    return () => window.clearInterval(t)
  }, [unreachable])

  // The waiting room's count in the tab and the list itself, reloaded at each change; on a poste
  // secondaire, its answer also says the poste principal is back.
  useEffect(() => {
    const load = () => {
      WaitingRoom().then(w => { setWaiting(w); setUnreachable(false) }).catch(fail)
      ToFill().then(l => setToFill(l.length)).catch(fail)
    }
    load()
    const t = window.setInterval(load, FALLBACK_POLL_MS)
    return () => window.clearInterval(t)
  }, [fail, version, live])

  useIdleSignOut(session.timeoutMin, onSignedOut)

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e)) return
      if (e.key === '?') { e.preventDefault(); setHelp(true) }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const refresh = useCallback(() => GoWorkspace().then(onRefresh).catch(fail), [onRefresh, fail])
  const ctx = useMemo(() => ({startup, session, fail, changed, version, live, refresh}), [startup, session, fail, changed, version, live, refresh])
  const signOut = () => SignOut().finally(() => onSignedOut('Vous êtes déconnecté(e).'))
  const count = (t: Tab) => t === 'attente' && waiting.length ? ` (${waiting.length})` : t === 'renseigner' && toFill ? ` (${toFill})` : ''

  return (
    <Ctx.Provider value={ctx}>
      <div className="shell" style={{'--accent': startup.organisation.accentColor || undefined} as React.CSSProperties}>
        <header className="topbar">
          {startup.organisation.logoPng && <img className="logo" alt="" src={'data:image/png;base64,' + startup.organisation.logoPng}/>}
          <h1>RDV Guichet</h1>
          <span className="org">{startup.organisation.name}</span>
          <SyncBadge onOpen={() => setTab('synchro')} current={tab === 'synchro'}/>
          <span className="who">{session.name}{session.role === 'admin' ? ' (droits d’administration)' : ''}</span>
          <button type="button" onClick={() => setHelp(true)} aria-keyshortcuts="?">Aide</button>
          <button type="button" onClick={signOut}>Se déconnecter</button>
        </header>
        <nav className="tabs" aria-label="Écrans">
          {tabs.map(t => (
            <button key={t.id} type="button" aria-current={tab === t.id ? 'page' : undefined} onClick={() => setTab(t.id)}>
              {t.label}{count(t.id)}
            </button>
          ))}
        </nav>
        {unreachable && <Unreachable/>}
        {error && <p className="error" role="alert">{error} <button type="button" onClick={() => setError('')}>Fermer</button></p>}
        {tab === 'agenda' && <AgendaScreen waiting={waiting}/>}
        {tab === 'attente' && <WaitingRoomScreen waiting={waiting}/>}
        {tab === 'renseigner' && <ToFillScreen/>}
        {tab === 'liste' && <DayListScreen/>}
        {tab === 'parametres' && <SettingsScreen/>}
        {tab === 'synchro' && <SyncScreen/>}
        {help && <Help onClose={() => setHelp(false)}/>}
      </div>
    </Ctx.Provider>
  )
}

/**
 * The banner of a poste secondaire whose poste principal does not answer: the waiting room is
 * reloaded every RETRY_MS, and the banner counts down to it.
 */
function Unreachable() {
  const [left, setLeft] = useState(RETRY_MS / 1000)
  useEffect(() => {
    const t = window.setInterval(() => setLeft(s => s > 1 ? s - 1 : RETRY_MS / 1000), 1000)
    return () => window.clearInterval(t)
  }, [])
  return <p className="error" role="status">Poste principal injoignable — nouvelle tentative dans {left}{'\u00a0'}s</p>
}

/**
 * Signs the agent out after timeoutMin minutes without keyboard or mouse activity, and tells Go of
 * the activity (at most once a minute) so that its own timeout agrees.
 */
function useIdleSignOut(timeoutMin: number, onSignedOut: (message: string) => void) {
  const last = useRef(Date.now())
  const reported = useRef(Date.now())
  useEffect(() => {
    const active = () => {
      last.current = Date.now()
      if (last.current - reported.current > 60_000) {
        reported.current = last.current
        KeepAlive().catch(() => undefined)
      }
    }
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const
    events.forEach(e => window.addEventListener(e, active, {passive: true}))
    const t = window.setInterval(() => {
      if (Date.now() - last.current > timeoutMin * 60_000) {
        SignOut().finally(() => onSignedOut(`Vous avez été déconnecté(e) après ${timeoutMin} minutes d’inactivité.`))
      }
    }, 10_000)
    return () => {
      events.forEach(e => window.removeEventListener(e, active))
      window.clearInterval(t)
    }
  }, [timeoutMin, onSignedOut])
}
