import {useEffect, useRef, useState, type FormEvent} from 'react'
import {CheckIn as GoCheckIn} from '../../wailsjs/go/app/KioskService'
import type {app} from '../../wailsjs/go/models'
import {Keyboard} from './Keyboard'
import {SHORT_LENGTH} from './keyboard'
import {parseError} from '../shared/errors'

/** After a check-in, the home screen returns by itself. */
export const RESULT_MS = 10_000

/**
 * « J'ai un rendez-vous »: the QR scanner types the convocation's token into the focused field
 * and presses Enter; or the usager types the 8-character code on the on-screen keyboard.
 */
export function CheckIn({onDone}: {onDone: () => void}) {
  const [code, setCode] = useState('')
  const [result, setResult] = useState<app.KioskCheckIn>()
  const [busy, setBusy] = useState(false)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    if (!result?.arrived) return
    const t = setTimeout(onDone, RESULT_MS)
    return () => clearTimeout(t)
  }, [result, onDone])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy || code.trim() === '') return
    setBusy(true)
    try {
      setResult(await GoCheckIn(code))
    } catch (err) {
      setResult({arrived: false, message: parseError(err).message})
    } finally {
      setBusy(false)
      setCode('')
      input.current?.focus()
    }
  }

  if (result?.arrived) {
    return (
      <section className="kscreen" aria-labelledby="checkin-done">
        <h1 id="checkin-done" className="visually-hidden">Arrivée enregistrée</h1>
        <p className="outcome-big outcome-ok" role="status">{result.message}</p>
        <div className="kactions"><button type="button" className="kbutton primary" onClick={onDone}>Terminer</button></div>
      </section>
    )
  }
  return (
    <section className="kscreen" aria-labelledby="checkin-title">
      <h1 id="checkin-title">J’ai un rendez-vous</h1>
      <p className="lead">Présentez le QR code de votre convocation devant le lecteur. Ou tapez le code de {SHORT_LENGTH} caractères imprimé sous le QR code.</p>
      <form onSubmit={submit} className="checkin-form">
        <label htmlFor="checkin-code">Code du rendez-vous</label>
        <div className="checkin-row">
          <input id="checkin-code" ref={input} autoFocus inputMode="none" autoComplete="off" spellCheck={false}
            value={code} onChange={e => setCode(e.target.value.toUpperCase())}
            aria-describedby={result ? 'checkin-result' : undefined}/>
          <button type="submit" className="kbutton primary" disabled={busy}>Valider</button>
        </div>
        {result && <p id="checkin-result" className="outcome-big outcome-refused" role="alert">{result.message}</p>}
      </form>
      <Keyboard kind="code" label="code du rendez-vous" value={code} onChange={setCode}/>
    </section>
  )
}
