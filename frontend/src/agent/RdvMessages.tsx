import {useCallback, useEffect, useState} from 'react'
import {Messages, ResendReminder} from '../../wailsjs/go/app/NotificationService'
import type {app} from '../../wailsjs/go/models'
import {quand, telephone} from '../shared/format'
import {refusal, useApp} from './session'

/** « SMS », « Courriel » for a channel (the attempts name e-mail « mail »). */
function channelText(channel: string): string {
  return channel === 'sms' ? 'SMS' : channel === 'email' || channel === 'mail' ? 'Courriel' : channel
}

/** « SMS au 06 12 34 56 78 », « Courriel à ines@exemple.fr ». */
function toWhom(channel: string, recipient: string): string {
  return channel === 'sms' ? `SMS au ${telephone(recipient)}` : `${channelText(channel)} à ${recipient}`
}

/** When a message left, or is due to leave. */
function when(m: app.MessageView): string {
  if (m.doneAt) return quand(m.doneAt)
  return (m.state === 'pending' || m.state === 'sending' ? 'prévu ' : '') + quand(m.dueAt)
}

/**
 * The RDV's messages to its usagers (confirmation, modification, rappel, annulation) with their
 * state, the attempts with the provider's answer, and « Renvoyer le rappel ».
 */
export function RdvMessages({rdv}: {rdv: app.RdvView}) {
  const {fail, version, live} = useApp()
  const [view, setView] = useState<app.RdvMessagesView>()
  const [notice, setNotice] = useState<{ok: boolean; text: string}>()
  const load = useCallback(() => Messages(rdv.id).then(setView).catch(fail), [rdv.id, fail])
  useEffect(() => { load() }, [load, version, live])
  const resend = () => {
    setNotice(undefined)
    ResendReminder(rdv.id).then(text => { setNotice({ok: true, text}); load() }).catch(refusal(fail, text => setNotice({ok: false, text})))
  }
  const open = rdv.status === 'unknown' && !rdv.past
  return (
    <>
      <h3 id="rdv-messages-title">Messages à l’usager</h3>
      {!view && <p aria-busy="true">Chargement…</p>}
      {view && view.messages.length === 0 && <p>Aucun message pour ce rendez-vous (canal désactivé, ou usager sans coordonnées ou désinscrit).</p>}
      {view && view.messages.length > 0 && (
        <ul className="messages" aria-labelledby="rdv-messages-title">
          {view.messages.map(m => (
            <li key={m.id} className={'message-' + m.state}>
              <strong>{m.label}</strong> — {toWhom(m.channel, m.recipient)}
              <br/><span className="message-state">{m.stateText}</span> — {when(m)}
              {m.attempts > 0 && <> — {m.attempts} tentative{m.attempts > 1 ? 's' : ''}</>}
              {m.error && <span className="message-error">{m.error}</span>}
            </li>
          ))}
        </ul>
      )}
      {view && view.attempts.length > 0 && (
        <>
          <h4 id="rdv-attempts-title">Tentatives d’envoi</h4>
          <ol className="attempts" aria-labelledby="rdv-attempts-title">
            {view.attempts.map((a, k) => (
              <li key={k}>
                {quand(a.at)} — {a.label}, {toWhom(a.channel, a.recipient)}{'\u202f'}: <strong>{a.resultText || a.result}</strong>
                {a.provider && ` (${a.provider}${a.count > 1 ? `, ${a.count}\u202fSMS` : ''})`}
                {a.error && <span className="message-error">{a.error}</span>}
              </li>
            ))}
          </ol>
        </>
      )}
      {open && <div className="actions"><button type="button" onClick={resend}>Renvoyer le rappel</button></div>}
      {notice?.ok && <p role="status" className="outcome outcome-ok">{notice.text}</p>}
      {notice && !notice.ok && <p role="alert" className="outcome outcome-failed">{notice.text}</p>}
    </>
  )
}
