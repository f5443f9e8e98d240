import {useState} from 'react'
import {ConvocationPDF, PrintConvocation, SaveInvite} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {type Outcome, OutcomeNotice} from './files'
import {refusal, useApp} from './session'

/**
 * The RDV's convocation and invitation: printed without a dialog (A4 page, or the ticket when a
 * ticket printer is set), saved as a PDF, or as an .ics invitation. A cancelled RDV has no
 * convocation; its invitation cancels the event in the usager's calendar.
 */
export function RdvDocuments({detail}: {detail: app.RdvDetail}) {
  const {fail} = useApp()
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Outcome>()
  const id = detail.rdv.id
  const cancelled = detail.rdv.status === 'excused' || detail.rdv.status === 'revoked'
  const run = (action: () => Promise<Outcome>) => {
    setBusy(true)
    setOutcome(undefined)
    action().then(setOutcome).catch(refusal(fail, text => setOutcome({ok: false, text}))).finally(() => setBusy(false))
  }
  const print = (format: string) => run(() => PrintConvocation(id, format).then(text => ({ok: true, text})))
  const save = (write: () => Promise<app.FileResult>, what: string) => run(() => write().then(file => ({ok: true, text: what + ' : ', file})))
  return (
    <>
      <h3 id="rdv-documents-title">Convocation</h3>
      <div className="actions" role="group" aria-labelledby="rdv-documents-title" aria-busy={busy}>
        {!cancelled && <button type="button" disabled={busy} onClick={() => print('a4')}>Imprimer la convocation</button>}
        {!cancelled && detail.ticketPrinter && <button type="button" disabled={busy} onClick={() => print('ticket')}>Imprimer le ticket</button>}
        {!cancelled && <button type="button" disabled={busy} onClick={() => save(() => ConvocationPDF(id, 'a4'), 'Convocation enregistrée')}>Enregistrer le PDF</button>}
        <button type="button" disabled={busy} onClick={() => save(() => SaveInvite(id), cancelled ? 'Annulation enregistrée' : 'Invitation enregistrée')}>Invitation (.ics)</button>
      </div>
      <OutcomeNotice outcome={outcome}/>
    </>
  )
}
