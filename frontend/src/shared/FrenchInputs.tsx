import {type InputHTMLAttributes, type KeyboardEvent, useEffect, useId, useState} from 'react'
import {addDays} from './format'

// Date and time fields that read « 10/03/2026 » and « 9 h 00 » whatever the system's language:
// the browser's native date/time inputs follow the machine's locale (« 03/10/2026 », « 09:00 AM »
// on an English Windows), so the agents' screens use these masked text fields instead. The value
// stays ISO (YYYY-MM-DD, HH:MM) for Go; the text is what the agent reads and types.

const NNBSP = '\u202f'

/** « 10/03/2026 » for YYYY-MM-DD ('' stays ''). */
export function dateText(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  return m ? `${m[3]}/${m[2]}/${m[1]}` : ''
}

/** YYYY-MM-DD for « 10/03/2026 », « 10032026 » or « 1/3/2026 »; undefined when it is no real date. */
export function parseDate(text: string): string | undefined {
  const t = text.trim()
  const m = /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$/.exec(t) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(t)
  if (!m) return undefined
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined
  return date.toISOString().slice(0, 10)
}

/** « 9 h 00 » for HH:MM (« 24 h 00 » for the end of a day). */
export function timeText(hhmm: string): string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm)
  return m ? `${Number(m[1])}${NNBSP}h${NNBSP}${m[2]}` : ''
}

/** HH:MM for « 9 h 00 », « 9h », « 9:30 », « 0930 » or « 930 »; undefined otherwise. */
export function parseTime(text: string, allow24 = false): string | undefined {
  const t = text.replace(/[\s\u00a0\u202f]/g, '').toLowerCase()
  const m = /^(\d{1,2})(?:[h:](\d{2})?)?$/.exec(t) ?? /^(\d{1,2})(\d{2})$/.exec(t)
  if (!m) return undefined
  const [h, min] = [Number(m[1]), Number(m[2] ?? '0')]
  if (min > 59 || h > 24 || (h === 24 && (min > 0 || !allow24))) return undefined
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`
}

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> & {
  value: string
  onChange: (iso: string) => void
}

/**
 * A masked text field for a date: the agent types the digits, the slashes come by themselves;
 * ↑ and ↓ go to the next and previous day. A text that is no date is kept, marked and explained.
 */
export function DateInput({value, onChange, ...rest}: Props) {
  return <MaskedInput {...rest} value={value} onChange={onChange} show={dateText} parse={parseDate} mask={maskDate}
    nudge={(iso, n) => addDays(iso, n)} placeholder="jj/mm/aaaa" invalid="Date attendue sous la forme jj/mm/aaaa, par exemple 10/03/2026." size={10}/>
}

/** A text field for a time of day, written « 9 h 00 »; ↑ and ↓ add or take 5 minutes. */
export function TimeInput({value, onChange, allow24 = false, ...rest}: Props & {allow24?: boolean}) {
  return <MaskedInput {...rest} value={value} onChange={onChange} show={timeText} parse={t => parseTime(t, allow24)} mask={t => t}
    nudge={(hhmm, n) => addMinutes(hhmm, 5 * n)} placeholder="9 h 00" invalid={`Heure attendue sous la forme 9${NNBSP}h${NNBSP}30.`} size={7}/>
}

/** Adds the slash after the day and the month as they are typed (not while erasing). */
function maskDate(text: string, before: string): string {
  return text.length > before.length && /^(\d{2}|\d{1,2}\/\d{2})$/.test(text) ? text + '/' : text
}

function addMinutes(hhmm: string, n: number): string {
  const [h, m] = hhmm.split(':').map(Number)
  const t = Math.min(Math.max(h * 60 + m + n, 0), 23 * 60 + 55)
  return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`
}

function MaskedInput({value, onChange, show, parse, mask, nudge, invalid, ...rest}: Props & {
  show: (v: string) => string; parse: (t: string) => string | undefined; mask: (t: string, before: string) => string
  nudge: (v: string, n: number) => string; invalid: string
}) {
  const [text, setText] = useState(show(value))
  const [bad, setBad] = useState(false)
  const id = useId()
  // A value changed from outside (« Aujourd'hui », another row) shows at once.
  useEffect(() => { if (parse(text) !== value) { setText(show(value)); setBad(false) } }, [value]) // eslint-disable-line react-hooks/exhaustive-deps
  const type = (t: string) => {
    setText(t)
    const v = parse(t)
    if (v !== undefined) { setBad(false); if (v !== value) onChange(v) }
    else if (t.trim() === '' && value !== '') onChange('')
  }
  const key = (e: KeyboardEvent<HTMLInputElement>) => {
    const n = e.key === 'ArrowUp' ? 1 : e.key === 'ArrowDown' ? -1 : 0
    if (!n || !value) return
    e.preventDefault()
    const v = nudge(value, n)
    setText(show(v)); setBad(false); onChange(v)
  }
  const described = [rest['aria-describedby'], bad ? id : ''].filter(Boolean).join(' ') || undefined
  return (
    <span className="masked">
      <input {...rest} type="text" inputMode="numeric" autoComplete="off" value={text} aria-invalid={bad || rest['aria-invalid'] || undefined}
        aria-describedby={described} onChange={e => type(mask(e.target.value, text))} onKeyDown={key}
        onBlur={e => { const v = parse(text); if (v !== undefined) setText(show(v)); else setBad(text.trim() !== ''); rest.onBlur?.(e) }}/>
      {bad && <span className="field-error" id={id}>{invalid}</span>}
    </span>
  )
}
