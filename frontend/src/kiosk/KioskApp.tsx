import {useCallback, useEffect, useRef, useState} from 'react'
import {IntlProvider, FormattedMessage} from 'react-intl'
import {CalendarCheck, CalendarPlus, House, Volume2} from 'lucide-react'
import {Home} from '../../wailsjs/go/app/KioskService'
import type {app} from '../../wailsjs/go/models'
import {Booking} from './Booking'
import {CheckIn} from './CheckIn'
import {startIdleTimer, type IdleTimer} from './idle'
import {catalogues, FRENCH, LANGS, langInfo, type Lang} from './i18n'
import {nameOf, say, screenText, useKeypad, useVoice} from './speech'
import {LangContext, useText} from './text'
import './kiosk.css'
import {parseError, POSTE_UNREACHABLE} from '../shared/errors'

type Screen = 'home' | 'checkin' | 'book'

/**
 * The lobby kiosk (rdv-guichet --borne): two paths, checking in and booking, large targets, an
 * in-page keyboard, and an idle reset that wipes whatever was typed. It calls the KioskService
 * only, the one service bound in kiosk mode. It speaks six languages (the home screen's buttons;
 * back to French for each new visit) and reads itself aloud (« Écouter », the numeric keypad).
 */
export default function KioskApp() {
  const [lang, setLang] = useState<Lang>(FRENCH)
  const info = langInfo(lang)
  // The whole page turns: the idle dialog and the header too, and axe reads the page's language.
  useEffect(() => {
    document.documentElement.lang = lang
    document.documentElement.dir = info.dir
  }, [lang, info.dir])
  return (
    <IntlProvider locale={info.locale} messages={catalogues[lang]} defaultLocale="fr-FR">
      <LangContext.Provider value={lang}>
        <Kiosk setLang={setLang}/>
      </LangContext.Provider>
    </IntlProvider>
  )
}

function Kiosk({setLang}: {setLang: (l: Lang) => void}) {
  const {t, lang, info, codeText} = useText()
  const [home, setHome] = useState<app.KioskHome>()
  const [failure, setFailure] = useState<{code: string; message: string}>()
  const [screen, setScreen] = useState<Screen>('home')
  // A new visit remounts the screens: nothing typed by the previous usager survives.
  const [visit, setVisit] = useState(0)
  const [large, setLarge] = useState(false)
  const [warning, setWarning] = useState<number | null>(null)
  // Once the usager asked for speech (« Écouter » or the keypad), every new screen, message and
  // focused element is read aloud until the visit ends.
  const [speaking, setSpeaking] = useState(false)
  const voice = useVoice(info)
  const idle = useRef<IdleTimer>(null)
  const stay = useRef<HTMLButtonElement>(null)
  const root = useRef<HTMLDivElement>(null)

  const load = useCallback(() => {
    Home().then(h => { setHome(h); setFailure(undefined) }, err => {
      const e = parseError(err)
      setFailure({code: e.code, message: e.message})
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
    setLang(FRENCH)
    setSpeaking(false)
    load() // the motifs may have changed at the desk
  }, [load, setLang])

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

  const listen = useCallback(() => {
    setSpeaking(true)
    if (root.current) say(info, screenText(root.current), true)
  }, [info])
  const back = useCallback(() => {
    const button = root.current?.querySelector<HTMLButtonElement>('[data-back]')
    if (button) button.click()
    else goHome()
  }, [goHome])
  const keypad = useKeypad(() => root.current, listen, back)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      keypad(e)
      if (e.defaultPrevented) setSpeaking(true)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [keypad])

  // While speaking: a new title, a new message, the focused element are read as they come.
  useEffect(() => {
    const el = root.current
    if (!speaking || !el) return
    // The idle warning, when it shows, is the screen's title.
    const now = () => [nameOf(el.querySelector('[role="alertdialog"] h2') ?? el.querySelector('h1')),
      Array.from(el.querySelectorAll('[role="alert"], [role="status"]'), nameOf).join(' ')]
    let [title, messages] = now()
    const announce = () => {
      const [newTitle, newMessages] = now()
      if (newTitle !== title) say(info, [newTitle, newMessages])
      else if (newMessages !== messages) say(info, [newMessages])
      ;[title, messages] = [newTitle, newMessages]
    }
    const observer = new MutationObserver(announce)
    observer.observe(el, {subtree: true, childList: true, characterData: true})
    const focused = (e: FocusEvent) => say(info, [nameOf(e.target as Element)])
    el.addEventListener('focusin', focused)
    return () => {
      observer.disconnect()
      el.removeEventListener('focusin', focused)
    }
  }, [speaking, info])

  const accent = home?.accentColor && /^#[0-9a-fA-F]{6}$/.test(home.accentColor) ? home.accentColor : undefined
  const failureText = failure && (failure.code === POSTE_UNREACHABLE ? codeText(failure.code, {}, failure.message)
    : codeText(failure.code, {}, failure.message + ' ' + t('common.askReception')))
  return (
    <div ref={root} lang={lang} dir={info.dir} className={'kiosk' + (large ? ' kiosk-large' : '')}
      style={accent ? {'--accent': accent} as React.CSSProperties : undefined}>
      <header className="kheader">
        {home?.logo && <img className="klogo" src={home.logo} alt=""/>}
        <p className="korg" lang="fr">{home?.organisation ?? t('header.reception')}</p>
        {voice && <button type="button" className="kbutton" onClick={listen}>
          <Volume2 aria-hidden="true" className="icon"/> {t('header.listen')}</button>}
        <button type="button" className="kbutton switch" role="switch" aria-checked={large} onClick={() => setLarge(!large)}>
          <span aria-hidden="true">A+</span> {t('header.large')}
        </button>
        {screen !== 'home' && <button type="button" className="kbutton" onClick={goHome}>
          <House aria-hidden="true" className="icon"/> {t('header.home')}</button>}
      </header>
      <main className="kmain" aria-hidden={warning !== null ? true : undefined}>
        {failureText && <p className="outcome-big outcome-refused" role="alert">{failureText}</p>}
        {screen === 'home' && (
          <section className="kscreen khome">
            <h1>{t('home.title')}</h1>
            <div className="languages" role="group" aria-label={t('lang.choose')}>
              {LANGS.map(l => (
                <button key={l.code} type="button" className="kbutton lang" lang={l.code} dir={l.dir}
                  aria-pressed={l.code === lang} onClick={() => setLang(l.code)}>{l.name}</button>
              ))}
            </div>
            <div className="home-buttons">
              <button type="button" className="home-button" onClick={() => setScreen('checkin')}>
                <CalendarCheck aria-hidden="true" className="home-icon"/>
                <span className="home-title">{t('home.checkin')}</span>
                <span className="home-line">{t('home.checkin.line')}</span>
              </button>
              <button type="button" className="home-button" onClick={() => setScreen('book')} disabled={!home}>
                <CalendarPlus aria-hidden="true" className="home-icon"/>
                <span className="home-title">{t('home.book')}</span>
                <span className="home-line">{t('home.book.line')}</span>
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
            <h2 id="idle-title">{t('idle.title')}</h2>
            <p id="idle-text"><FormattedMessage id="idle.text" values={{seconds: warning, b: (chunks: React.ReactNode[]) => <strong>{chunks}</strong>}}/></p>
            <button type="button" ref={stay} className="kbutton primary" onClick={() => idle.current?.touch()}>{t('idle.stay')}</button>
          </div>
        </div>
      )}
    </div>
  )
}
