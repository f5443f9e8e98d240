import {useCallback, useEffect, useState} from 'react'
import {DataFault, Ready} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {DemoBanner, FirstStart} from './FirstStart'
import {SignIn} from './SignIn'
import {parseError, POSTE_UNREACHABLE} from '../shared/errors'
import {DATA_FAULT, RETRY_MS} from '../shared/live'
import {EventsOn} from '../../wailsjs/runtime/runtime'
import './agent.css'

type Screens = typeof import('./Workspace')

/**
 * The signed-in screens and the assistant (./Workspace, FullCalendar included: most of the agents'
 * code), imported once the first frame is drawn: the sign-in screen shows without waiting for
 * them, and they are there by the time the password is typed.
 */
function useScreens(): Screens | undefined {
  const [screens, setScreens] = useState<Screens>()
  useEffect(() => {
    let live = true
    const frame = requestAnimationFrame(() => { import('./Workspace').then(m => { if (live) setScreens(m) }) })
    return () => { live = false; cancelAnimationFrame(frame) }
  }, [])
  return screens
}

export default function AgentApp() {
  const screens = useScreens()
  const [startup, setStartup] = useState<app.Startup>()
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')
  const [fault, setFault] = useState('')

  // Listening before Ready: Ready starts the check of the data file that may bring the event.
  useEffect(() => {
    const load = () => DataFault().then(setFault).catch(() => {})
    const off = EventsOn(DATA_FAULT, load)
    load()
    return off
  }, [])
  const [assistant, setAssistant] = useState(false)
  const [reloads, setReloads] = useState(0)
  const reload = useCallback(() => setReloads(n => n + 1), [])
  useEffect(() => {
    // A poste secondaire whose principal does not answer yet tries again every 5 s.
    let retry = 0
    const load = () => Ready().then(s => { setError(''); setStartup(s) }).catch(e => {
      const err = parseError(e)
      setError(err.message)
      if (err.code === POSTE_UNREACHABLE) retry = window.setTimeout(load, RETRY_MS)
    })
    load()
    return () => window.clearTimeout(retry)
  }, [reloads])

  const signedOut = useCallback((message: string) => {
    setNotice(message)
    setStartup(s => s && ({...s, session: undefined}) as app.Startup)
  }, [])

  if (error && !startup) return <p className="error" role="alert">{error}</p>
  const loading = <p aria-busy="true">Chargement…</p>
  if (!startup) return loading
  // The damage found after start-up stays above every screen: the agent keeps working meanwhile.
  const banner = fault && <p className="data-fault" role="alert" data-testid="data-fault">{fault}</p>
  // The first start: the chooser, then the assistant, whose first steps need no session (the file
  // has no administrator yet); once the agendas step made one, the assistant is theirs.
  const setup = startup.setup
  if (setup === 'choisir' && !assistant) return <>{banner}<FirstStart notice={notice} pairingFirst={startup.pairing} onDemo={() => { setNotice(''); reload() }} onSetup={() => { setNotice(''); setAssistant(true) }}/></>
  const demo = startup.demo && <DemoBanner onLeft={backup => { setNotice(`Démonstration quittée : elle est gardée dans ${backup}.`); setAssistant(false); reload() }}/>
  if (setup && (setup === 'choisir' || ['organisation', 'lieux', 'agendas'].includes(setup) || startup.session)) {
    if (!screens) return loading
    const {Assistant} = screens
    return <>{banner}<Assistant startup={startup} onReload={reload} onDone={() => { setAssistant(false); reload() }}/></>
  }
  if (!startup.session) {
    return <>{banner}{demo}<SignIn startup={startup} notice={notice} onSignedIn={s => { setNotice(''); setStartup(s) }}/></>
  }
  // The banners and the screens share the window's height: the screens' bottom stays on screen.
  if (!screens) return loading
  const {Shell} = screens
  return <div className="window">{banner}{demo}<Shell startup={startup} onSignedOut={signedOut} onRefresh={setStartup}/></div>
}

