import {type FormEvent, useCallback, useEffect, useState} from 'react'
import {GetSettings, SaveSettings, TestSend} from '../../wailsjs/go/app/NotificationService'
import type {app} from '../../wailsjs/go/models'
import {errorFor, Field} from '../shared/Field'
import {EditorForm, inputs, Saved, useEditor} from './editor'
import {refusal, useApp} from './session'

/**
 * Paramètres › Notifications (administrators): channels, delays, quiet hours, the SMTP server and
 * the SMS provider, then « Tester l’envoi » with the form as it is. Secrets are write-only: Go
 * says whether one is stored, and an empty field keeps it.
 */
export function NotificationsSection() {
  const {fail} = useApp()
  const [stored, setStored] = useState<app.NotificationSettingsView>()
  const load = useCallback(() => GetSettings().then(setStored).catch(fail), [fail])
  useEffect(() => { load() }, [load])
  const ed = useEditor<app.NotificationSettingsView>(SaveSettings, load)
  useEffect(() => { if (stored) ed.edit(stored, true) }, [stored]) // eslint-disable-line react-hooks/exhaustive-deps
  if (!ed.form) return stored ? <Saved text={ed.saved}/> : <p aria-busy="true">Chargement…</p>
  const f = ed.form
  const i = inputs(f, ed.set, ed.errors)
  const kept = (set: boolean) => set ? 'Enregistré : laissez vide pour le garder.' : undefined
  return (
    <>
      <Saved text={ed.saved}/>
      <EditorForm title="Notifications aux usagers" errors={ed.errors} fields={Object.keys(f)} onSubmit={ed.submit}>
        <fieldset>
          <legend>Canaux</legend>
          <p className="hint">Rien n’est envoyé sur un canal désactivé. Activez-le une fois configuré et testé.</p>
          {i.check('smsEnabled', 'Envoyer des SMS')}
          {i.check('emailEnabled', 'Envoyer des courriels')}
        </fieldset>
        <fieldset>
          <legend>Délais</legend>
          {i.number('reminderHours', 'Rappel : heures avant le rendez-vous', {min: 1, max: 336, hint: '48\u202fh par défaut.'})}
          {i.number('minReminderHours', 'Délai minimal du rappel (heures)', {min: 0,
            hint: `Un rendez-vous pris moins de ${f.reminderHours}\u202fh à l’avance reçoit son rappel tout de suite, sauf s’il commence dans moins de ce délai (la confirmation suffit alors).`})}
          {i.check('sameDaySms', 'SMS le jour même')}
          {f.sameDaySms && i.number('sameDayHours', 'SMS du jour : heures avant le rendez-vous', {min: 0, max: 12})}
          <div className="inline-fields">
            {i.time('quietStart', 'Heures calmes : de')}
            {i.time('quietEnd', 'à', {hint: 'Aucun SMS entre ces heures : ceux qui y tombent partent à la fin.'})}
          </div>
        </fieldset>
        <fieldset>
          <legend>Courriel (serveur SMTP)</legend>
          {i.text('smtpHost', 'Serveur SMTP', {placeholder: 'smtp.exemple.fr'})}
          <div className="inline-fields">
            <Field label="Port" error={errorFor(ed.errors, 'smtpPort')} hint="Vide : 587, ou 465 en TLS direct.">
              <input inputMode="numeric" value={f.smtpPort || ''} onChange={e => ed.set({smtpPort: Number(e.target.value.replace(/\D/g, ''))})}/>
            </Field>
            <Field label="Sécurité" error={errorFor(ed.errors, 'smtpTls')}>
              <select value={f.smtpTls || 'starttls'} onChange={e => ed.set({smtpTls: e.target.value})}>
                <option value="starttls">STARTTLS</option>
                <option value="tls">TLS direct</option>
                <option value="none">Sans chiffrement (serveur de test)</option>
              </select>
            </Field>
          </div>
          {i.text('smtpUsername', 'Identifiant', {autoComplete: 'off'})}
          {i.text('smtpPassword', 'Mot de passe', {type: 'password', autoComplete: 'new-password', hint: kept(f.smtpPasswordSet)})}
          {i.text('smtpFrom', 'Adresse d’expédition', {hint: 'Par exemple « Mairie de Saint-Aubin <rdv@saint-aubin.fr> ».'})}
          {i.text('replyTo', 'Adresse de réponse (facultative)', {type: 'email', hint: 'Vide : l’adresse de l’organisation.'})}
        </fieldset>
        <fieldset>
          <legend>SMS</legend>
          {i.select('smsProvider', 'Fournisseur', [['', 'Aucun'], ['smsfactor', 'SMS Factor'], ['journal', 'Journal (démonstration : rien n’est envoyé)']])}
          {f.smsProvider === 'smsfactor' && (
            <>
              {i.text('smsApiKey', 'Clé d’API SMS Factor', {type: 'password', autoComplete: 'off', hint: kept(f.smsApiKeySet)})}
              {i.text('smsSender', 'Expéditeur', {hint: '11 lettres ou chiffres au plus, par exemple MAIRIE.'})}
            </>
          )}
          {f.smsProvider === 'journal' && i.text('smsJournal', 'Fichier du journal (facultatif)', {hint: 'Vide : le journal de l’application.'})}
        </fieldset>
        {i.text('centralUrl', 'Adresse du serveur central (facultative)', {type: 'url', placeholder: 'https://',
          hint: 'Les messages portent alors un lien d’annulation ; sinon, le téléphone du lieu.'})}
      </EditorForm>
      <TestSendForm settings={f}/>
    </>
  )
}

/** « Tester l’envoi »: one message now, with the settings of the form, saved or not. */
function TestSendForm({settings}: {settings: app.NotificationSettingsView}) {
  const {fail} = useApp()
  const [channel, setChannel] = useState('sms')
  const [recipient, setRecipient] = useState('')
  const [sending, setSending] = useState(false)
  const [result, setResult] = useState<{ok: boolean; text: string}>()
  const send = (e: FormEvent) => {
    e.preventDefault()
    setSending(true)
    setResult(undefined)
    TestSend(settings, channel, recipient)
      .then(text => setResult({ok: true, text}))
      .catch(refusal(fail, text => setResult({ok: false, text})))
      .finally(() => setSending(false))
  }
  return (
    <form className="editor" onSubmit={send} aria-labelledby="test-send-title" noValidate>
      <h3 id="test-send-title">Tester l’envoi</h3>
      <p className="hint">Le message part tout de suite, avec les réglages ci-dessus (enregistrés ou non).</p>
      <div className="inline-fields">
        <Field label="Canal">
          <select value={channel} onChange={e => { setChannel(e.target.value); setResult(undefined) }}>
            <option value="sms">SMS</option>
            <option value="email">Courriel</option>
          </select>
        </Field>
        <Field label={channel === 'sms' ? 'Numéro de mobile' : 'Adresse de courriel'}>
          <input type={channel === 'sms' ? 'tel' : 'email'} value={recipient} onChange={e => setRecipient(e.target.value)}
            placeholder={channel === 'sms' ? '06 12 34 56 78' : 'prenom.nom@exemple.fr'}/>
        </Field>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={sending}>{sending ? 'Envoi en cours…' : 'Tester l’envoi'}</button>
      </div>
      {result?.ok && <p role="status" className="outcome outcome-ok">{result.text}</p>}
      {result && !result.ok && <p role="alert" className="outcome outcome-failed">{result.text}</p>}
    </form>
  )
}
