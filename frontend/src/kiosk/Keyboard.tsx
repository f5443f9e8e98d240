import {useId, type ReactNode} from 'react'
import {Delete} from 'lucide-react'
import {BACKSPACE, SPACE, applyKey, clean, hasSpace, layout, type KeyboardKind} from './keyboard'
import {useText} from './text'

/**
 * The on-screen keyboard of a field. Its keys keep the focus in the field (a physical keyboard or
 * a scanner types there too): they are pressed with a finger or the mouse, not tabbed through.
 */
export function Keyboard({kind, label, value, onChange}: {kind: KeyboardKind; label: string; value: string; onChange: (v: string) => void}) {
  const {t} = useText()
  const press = (key: string) => onChange(applyKey(kind, value, key))
  const key = (k: string, content: ReactNode = k, className = 'key', name?: string) => (
    <button key={k} type="button" className={className} tabIndex={-1} aria-label={name}
      onMouseDown={e => e.preventDefault()} onClick={() => press(k)}>{content}</button>
  )
  // The keys stay left to right in Arabic too: names are typed in Latin letters.
  return (
    <div className={'keyboard keyboard-' + kind} role="group" aria-label={t('keyboard.label', {field: label})} dir="ltr">
      {layout(kind).map((row, i) => <div className="key-row" key={i}>{row.map(k => key(k))}</div>)}
      <div className="key-row">
        {hasSpace(kind) && key(SPACE, t('keyboard.space'), 'key key-space', t('keyboard.space'))}
        {key(BACKSPACE, <><Delete aria-hidden="true" className="icon"/> {t('keyboard.delete')}</>, 'key key-wide', t('keyboard.delete'))}
      </div>
    </div>
  )
}

/**
 * A field typed on the kiosk: a large input that the on-screen keyboard (shown while it is the
 * active field) or a real keyboard fills, its error beside it. The system's touch keyboard stays
 * closed (inputMode none).
 */
export function KioskField({kind, label, hint, value, error, active, onChange, onFocus, autoFocus, display}: {
  kind: KeyboardKind; label: string; hint?: string; value: string; error?: string; active: boolean
  onChange: (v: string) => void; onFocus: () => void; autoFocus?: boolean; display?: (v: string) => string
}) {
  const id = useId()
  const described = [hint ? id + '-hint' : '', error ? id + '-error' : ''].filter(Boolean).join(' ') || undefined
  return (
    <div className={'kfield' + (active ? ' kfield-active' : '') + (error ? ' kfield-invalid' : '')}>
      <label htmlFor={id}>{label}</label>
      {hint && <p className="hint" id={id + '-hint'}>{hint}</p>}
      <input id={id} inputMode="none" autoComplete="off" spellCheck={false} autoFocus={autoFocus}
        value={display ? display(value) : value} onFocus={onFocus} onChange={e => onChange(clean(kind, e.target.value))}
        aria-invalid={error ? true : undefined} aria-describedby={described}/>
      {error && <p className="field-error" id={id + '-error'}>{error}</p>}
    </div>
  )
}
