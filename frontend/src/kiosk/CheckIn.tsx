import {useEffect, useRef, useState, type FormEvent} from 'react'
import {ScanQrCode} from 'lucide-react'
import {CheckIn as GoCheckIn} from '../../wailsjs/go/app/KioskService'
import type {app} from '../../wailsjs/go/models'
import {Keyboard} from './Keyboard'
import {SHORT_LENGTH} from './keyboard'
import {parseError} from '../shared/errors'
import {useText} from './text'

/** After a check-in, the home screen returns by itself. */
export const RESULT_MS = 10_000

/**
 * « J'ai un rendez-vous »: the QR scanner types the convocation's token into the focused field
 * and presses Enter; or the usager types the 8-character code on the on-screen keyboard.
 */
export function CheckIn({onDone}: {onDone: () => void}) {
  const {t, codeText} = useText()
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
      const e = parseError(err)
      setResult({arrived: false, message: e.message, code: e.code, params: {}})
    } finally {
      setBusy(false)
      setCode('')
      input.current?.focus()
    }
  }

  const message = result && codeText(result.code, result.params ?? {}, result.message)
  if (result?.arrived) {
    return (
      <section className="kscreen" aria-labelledby="checkin-done">
        <h1 id="checkin-done" className="visually-hidden">{t('checkin.done')}</h1>
        <p className="outcome-big outcome-ok" role="status">{message}</p>
        <div className="kactions"><button type="button" className="kbutton primary" onClick={onDone}>{t('common.finish')}</button></div>
      </section>
    )
  }
  return (
    <section className="kscreen" aria-labelledby="checkin-title">
      <h1 id="checkin-title"><ScanQrCode aria-hidden="true" className="icon"/> {t('checkin.title')}</h1>
      <p className="lead">{t('checkin.lead', {length: SHORT_LENGTH})}</p>
      <div className="checkin-layout">
        <form onSubmit={submit} className="checkin-form">
          <label htmlFor="checkin-code">{t('checkin.code')}</label>
          <div className="checkin-row">
            <input id="checkin-code" ref={input} autoFocus inputMode="none" autoComplete="off" spellCheck={false}
              value={code} onChange={e => setCode(e.target.value.toUpperCase())}
              aria-describedby={result ? 'checkin-result' : undefined}/>
            <button type="submit" className="kbutton primary" disabled={busy}>{t('checkin.submit')}</button>
          </div>
          {result && <p id="checkin-result" className="outcome-big outcome-refused" role="alert">{message}</p>}
        </form>
        <Keyboard kind="code" label={t('checkin.code')} value={code} onChange={setCode}/>
      </div>
    </section>
  )
}
