import type {app} from '../../wailsjs/go/models'
import {BrowserOpenURL} from '../../wailsjs/runtime/runtime'

/** What an action did: a sentence, and the file it wrote, if any. */
export type Outcome = {ok: boolean; text: string; file?: app.FileResult}

const types: Record<string, string> = {pdf: 'application/pdf', ics: 'text/calendar'}

/** A file written in the data folder: its path, « Ouvrir » (the PC's reader for it) and « Télécharger ». */
export function FileLinks({file, open = 'Ouvrir'}: {file: app.FileResult; open?: string}) {
  const type = types[file.fileName.split('.').pop() ?? ''] ?? 'application/octet-stream'
  return (
    <>
      <span data-testid="file-path" className="file-path">{file.path}</span>{' '}
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
