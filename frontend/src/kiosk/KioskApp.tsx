import {useCallback, useEffect, useRef, useState} from 'react'
import {Home} from '../../wailsjs/go/app/KioskService'
import type {app} from '../../wailsjs/go/models'
import {Booking} from './Booking'
import {CheckIn} from './CheckIn'
import {startIdleTimer, type IdleTimer} from './idle'
import './kiosk.css'
import {parseError, POSTE_UNREACHABLE} from '../shared/errors'

type Screen = 'home' | 'checkin' | 'book'

/**
 * The lobby kiosk (rdv-guichet --borne): two paths, checking in and booking, large targets, an
 * in-page keyboard, and an idle reset that wipes whatever was typed. It calls the KioskService
 * only, the one service bound in kiosk mode.
 */
export default function KioskApp() {
  const [home, setHome] = useState<app.KioskHome>()
  const [failure, setFailure] = useState('')
  const [screen, setScreen] = useState<Screen>('home')
  // A new visit remounts the screens: nothing typed by the previous usager survives.
  const [visit, setVisit] = useState(0)
  const [large, setLarge] = useState(false)
  const [warning, setWarning] = useState<number | null>(null)
  const idle = useRef<IdleTimer>(null)
  const stay = useRef<HTMLButtonElement>(null)

  const load = useCallback(() => {
    Home().then(h => { setHome(h); setFailure('') }, err => {
      // A borne whose poste principal is unreachable already sends the usager to the reception.
      const e = parseError(err)
      setFailure(e.code === POSTE_UNREACHABLE ? e.message : e.message + ' Adressez-vous à l’accueil.')
    })
  }, [])
  useEffect(load, [load])
  // A home that could not load (a borne whose poste principal is unreachable) is tried again
  // every 5 s: the kiosk recovers by itself, nobody is there to restart it.
  useEffect(() => {
    if (!failure) return
    const retry = setInterval(load, 5000)
    return () => clearInterval(retry)
  }, [failure, load])

  const goHome = useCallback(() => {
    setScreen('home')
    setVisit(v => v + 1)
    setLarge(false)
    load() // the motifs may have changed at the desk
  }, [load])

  // Idle watch: everywhere but on the home screen, which holds nothing to wipe.
  useEffect(() => {
    if (screen === 'home') return
    const timer = startIdleTimer({onWarning: setWarning, onExpire: goHome})
    idle.current = timer
    const touch = () => timer.touch()
    const events = ['pointerdown', 'keydown'] as const
    events.forEach(e => window.addEventListener(e, touch, true))
    return () => {
      events.forEach(e => window.removeEventListener(e, touch, true))
      timer.stop()
      idle.current = null
    }
  }, [screen, visit, goHome])
  useEffect(() => { if (warning !== null) stay.current?.focus() }, [warning !== null]) // eslint-disable-line react-hooks/exhaustive-deps

  const accent = home?.accentColor && /^#[0-9a-fA-F]{6}$/.test(home.accentColor) ? home.accentColor : undefined
  return (
    <div className={'kiosk' + (large ? ' kiosk-large' : '')} style={accent ? {'--accent': accent} as React.CSSProperties : undefined}>
      <header className="kheader">
        {home?.logo && <img className="klogo" src={home.logo} alt=""/>}
        <p className="korg">{home?.organisation ?? 'Accueil'}</p>
        <button type="button" className="kbutton switch" role="switch" aria-checked={large} onClick={() => setLarge(!large)}>
          <span aria-hidden="true">A+</span> Grande taille
        </button>
        {screen !== 'home' && <button type="button" className="kbutton" onClick={goHome}>Accueil</button>}
      </header>
      <main className="kmain" aria-hidden={warning !== null ? true : undefined}>
        {failure && <p className="outcome-big outcome-refused" role="alert">{failure}</p>}
        {screen === 'home' && (
          <section className="kscreen khome">
            <h1>Bienvenue</h1>
            <div className="home-buttons">
              <button type="button" className="home-button" onClick={() => setScreen('checkin')}>
                <span className="home-title">J’ai un rendez-vous</span>
                <span className="home-line">Je signale mon arrivée</span>
              </button>
              <button type="button" className="home-button" onClick={() => setScreen('book')} disabled={!home}>
                <span className="home-title">Prendre un rendez-vous</span>
                <span className="home-line">Je choisis un jour et une heure</span>
              </button>
            </div>
          </section>
        )}
        {screen === 'checkin' && <CheckIn key={visit} onDone={goHome}/>}
        {screen === 'book' && home && <Booking key={visit} motifs={home.motifs} onDone={goHome}/>}
      </main>
      {warning !== null && (
        <div className="idle-backdrop">
          <div className="idle-dialog" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-text">
            <h2 id="idle-title">Êtes-vous toujours là ?</h2>
            <p id="idle-text">Sans réponse, tout ce que vous avez saisi sera effacé dans <strong>{warning}{'\u00a0'}s</strong>.</p>
            <button type="button" ref={stay} className="kbutton primary" onClick={() => idle.current?.touch()}>Oui, je continue</button>
          </div>
        </div>
      )}
    </div>
  )
}
