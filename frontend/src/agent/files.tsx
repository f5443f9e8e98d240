import {useId, useRef, useState} from 'react'
import type {app} from '../../wailsjs/go/models'
import {BrowserOpenURL} from '../../wailsjs/runtime/runtime'

/** What an action did: a sentence, and the file it wrote, if any. */
export type Outcome = {ok: boolean; text: string; file?: app.FileResult}

const types: Record<string, string> = {pdf: 'application/pdf', ics: 'text/calendar'}

/** A file written in the data folder: its path, « Ouvrir » (the PC's reader for it) and « Télécharger ». */
export function FileLinks({file, open = 'Ouvrir', path = true}: {file: app.FileResult; open?: string; path?: boolean}) {
  const type = types[file.fileName.split('.').pop() ?? ''] ?? 'application/octet-stream'
  return (
    <>
      {path && <><span data-testid="file-path" className="file-path">{file.path}</span>{' '}</>}
      <button type="button" onClick={() => BrowserOpenURL(file.url)}>{open}</button>{' '}
      <a href={`data:${type};base64,${file.base64}`} download={file.fileName}>Télécharger</a>
    </>
  )
}

/** The outcome of an action beside its buttons: a status when it worked, an alert when it failed. */
export function OutcomeNotice({outcome}: {outcome?: Outcome}) {
  if (!outcome) return null
  return (
    <p role={outcome.ok ? 'status' : 'alert'} className={'outcome ' + (outcome.ok ? 'outcome-ok' : 'outcome-failed')}>
      {outcome.text}{outcome.file && <>{' '}<FileLinks file={outcome.file}/></>}
    </p>
  )
}

/**
 * A file chooser in French: the browser's own says « Choose File » / « No file chosen » in the
 * system's language. The native input stays, hidden, behind a labelled button.
 */
export function FilePicker({label, accept, error, onPick}: {label: string; accept: string; error?: string; onPick: (f?: File) => void}) {
  const input = useRef<HTMLInputElement>(null)
  const [name, setName] = useState('')
  const id = useId()
  return (
    <div className={'field' + (error ? ' field-invalid' : '')} role="group" aria-labelledby={id}>
      <span id={id} className="field-label">{label}</span>
      <span>
        <button type="button" onClick={() => input.current?.click()} aria-describedby={id + '-name'}>Choisir un fichier…</button>{' '}
        <span id={id + '-name'}>{name || 'Aucun fichier choisi'}</span>
      </span>
      <input ref={input} type="file" accept={accept} hidden tabIndex={-1} aria-hidden="true"
        onChange={e => { const f = e.target.files?.[0]; setName(f?.name ?? ''); onPick(f) }}/>
      {error && <span className="field-error">{error}</span>}
    </div>
  )
}
