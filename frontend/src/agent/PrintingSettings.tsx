import {useCallback, useEffect, useState} from 'react'
import {ExportAgentFeed, PrintingSettings, PrintTestPage, SavePrintingSettings} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {EditorForm, inputs, Saved, useEditor} from './editor'
import {type Outcome, OutcomeNotice} from './files'
import {refusal, useApp} from './session'

/**
 * Paramètres › Impression (administrators): the A4 printer (the system's default or a named one),
 * SumatraPDF on Windows, the ticket printer and how it draws QR codes, then a test page with the
 * form as it is. « Imprimer » prints on them without a dialog.
 */
export function PrintingSection() {
  const {fail} = useApp()
  const [view, setView] = useState<app.PrintingView>()
  const load = useCallback(() => PrintingSettings().then(setView).catch(fail), [fail])
  useEffect(() => { load() }, [load])
  const ed = useEditor<app.PrinterSettings>(SavePrintingSettings, load)
  useEffect(() => { if (view) ed.edit(view.settings, true) }, [view]) // eslint-disable-line react-hooks/exhaustive-deps
  if (!view || !ed.form) return view ? <Saved text={ed.saved}/> : <p aria-busy="true">Chargement…</p>
  const f = ed.form
  const i = inputs(f, ed.set, ed.errors)
  /** The PC's printers to choose from, or a name to type when they cannot be listed. */
  const printer = (k: 'a4Printer' | 'ticketQueue', label: string, none: string) => {
    if (view.printers.length === 0) {
      return i.text(k, label, {placeholder: none, hint: (view.printersError || 'Aucune imprimante trouvée sur ce poste : tapez son nom.') + (none ? ` Vide : ${none}.` : '')})
    }
    const names = f[k] && !view.printers.includes(f[k]) ? [...view.printers, f[k]] : view.printers
    const options: [string, string][] = names.map(n => [n, view.printers.includes(n) ? n : `${n} (introuvable sur ce poste)`])
    return i.select(k, label, [['', none || 'Choisissez une file…'], ...options])
  }
  const ticketKinds: [string, string][] = [['', 'Aucune'],
    view.windows ? ['windows', 'File d’impression Windows (mode brut)'] : ['cups', 'File CUPS brute'],
    ['socket', 'Imprimante réseau (port 9100)']]
  return (
    <>
      <Saved text={ed.saved}/>
      <EditorForm title="Impression" errors={ed.errors} fields={Object.keys(f)} onSubmit={ed.submit}>
        <p className="hint">« Imprimer » envoie les documents à ces imprimantes sans boîte de dialogue.</p>
        <fieldset>
          <legend>Convocations et listes du jour (A4)</legend>
          {printer('a4Printer', 'Imprimante A4', 'imprimante par défaut du système')}
          {view.windows && i.text('sumatraPath', 'SumatraPDF (imprime les PDF sans boîte de dialogue)', {placeholder: 'C:\\Program Files\\SumatraPDF\\SumatraPDF.exe',
            hint: view.sumatraFound ? `Trouvé : ${view.sumatraFound}. Laissez vide pour l’utiliser.` : 'Introuvable : installez SumatraPDF, ou indiquez le chemin de SumatraPDF.exe.'})}
        </fieldset>
        <fieldset>
          <legend>Tickets (imprimante thermique 80{'\u202f'}mm)</legend>
          {i.select('ticketKind', 'Imprimante de tickets', ticketKinds)}
          {(f.ticketKind === 'cups' || f.ticketKind === 'windows') && printer('ticketQueue', 'File d’impression brute', '')}
          {f.ticketKind === 'socket' && i.text('ticketAddr', 'Adresse de l’imprimante', {placeholder: '192.168.1.50:9100', hint: 'HÔTE:PORT ; sans port, 9100.'})}
          {f.ticketKind && i.select('ticketQr', 'QR code', [['native', 'Commande QR de l’imprimante (nette et rapide)'],
            ['raster', 'Image (imprimantes anciennes qui n’impriment pas le QR code)']])}
        </fieldset>
      </EditorForm>
      <TestPage settings={f}/>
    </>
  )
}

/** « Page de test »: a sample convocation now, with the settings of the form, saved or not. */
function TestPage({settings}: {settings: app.PrinterSettings}) {
  const {fail} = useApp()
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Outcome>()
  const print = (target: string) => {
    setBusy(true)
    setOutcome(undefined)
    PrintTestPage(settings, target).then(text => setOutcome({ok: true, text}))
      .catch(refusal(fail, text => setOutcome({ok: false, text}))).finally(() => setBusy(false))
  }
  return (
    <section className="editor" aria-labelledby="test-page-title">
      <h3 id="test-page-title">Page de test</h3>
      <p className="hint">Un exemple de convocation, avec les réglages ci-dessus (enregistrés ou non) : les accents et le QR code doivent être nets.</p>
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={() => print('a4')}>Page de test</button>
        {settings.ticketKind && <button type="button" disabled={busy} onClick={() => print('ticket')}>Ticket de test</button>}
      </div>
      <OutcomeNotice outcome={outcome}/>
    </section>
  )
}

/**
 * Paramètres › Calendrier iCal (every agent): an agenda's RDVs as an .ics file in the data folder, to
 * subscribe to in Thunderbird or open in Outlook; each export rewrites it.
 */
export function CalendarFeedSection() {
  const {startup, session, fail} = useApp()
  const [agentId, setAgentId] = useState(startup.agents.some(a => a.id === session.agentId) ? session.agentId : startup.agents[0]?.id ?? '')
  const [outcome, setOutcome] = useState<Outcome>()
  const exportFeed = () => {
    setOutcome(undefined)
    ExportAgentFeed(agentId).then(file => setOutcome({ok: true, text: 'Agenda exporté : ', file}))
      .catch(refusal(fail, text => setOutcome({ok: false, text})))
  }
  return (
    <section className="editor" aria-labelledby="feed-title">
      <h3 id="feed-title">Calendrier iCal</h3>
      <p className="hint">Les rendez-vous d’un agenda (depuis un mois) dans un fichier .ics, sans nom ni coordonnées d’usager.
        Chaque export réécrit le même fichier.</p>
      <div className="inline-fields">
        <label>Agenda{' '}
          <select value={agentId} onChange={e => { setAgentId(e.target.value); setOutcome(undefined) }}>
            {startup.agents.map(a => <option key={a.id} value={a.id}>{a.name}</option>)}
          </select>
        </label>
        <button type="button" className="primary" onClick={exportFeed}>Exporter l’agenda</button>
      </div>
      <OutcomeNotice outcome={outcome}/>
      {outcome?.file && (
        <ul className="hint">
          <li>Thunderbird : Agenda › Nouvel agenda › Sur le réseau, adresse <code>{outcome.file.url}</code> : il relit le fichier à chaque actualisation.</li>
          <li>Outlook : Fichier › Ouvrir et exporter › Importer/Exporter › Importer un fichier iCalendar (.ics), « Ouvrir comme nouveau » : une copie, à refaire après un nouvel export.</li>
        </ul>
      )}
    </section>
  )
}
