import {useEffect, useState} from 'react'
import {ImportModel, PreviewImport, RunImport} from '../../wailsjs/go/app/AgentService'
import type {app, importer} from '../../wailsjs/go/models'
import {Field} from '../shared/Field'
import {type Outcome, OutcomeNotice} from './files'
import {refusal, useApp} from './session'

// Paramètres › Import (administrators): an existing agenda from a spreadsheet. The file is
// checked as soon as it is chosen (PreviewImport writes nothing); « Importer » is offered only
// when no line has a problem, and imports all of it or nothing (RunImport).

/** The file's bytes in base64, as the Go side reads them. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader()
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''))
    r.onerror = () => reject(r.error)
    r.readAsDataURL(file)
  })
}

/** importer.MaxBytes: the Go side refuses beyond it too. */
const maxBytes = 2 << 20

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`

function summary(r: importer.Report) {
  // A refused file's counts stop where the check did: only its lines are said.
  if (r.problems.length > 0) return `${plural(r.lines, 'ligne lue', 'lignes lues')}.`
  return `${plural(r.lines, 'ligne lue', 'lignes lues')} : ${plural(r.newUsagers, 'usager nouveau', 'usagers nouveaux')}, ` +
    `${plural(r.matched.length, 'usager déjà dans l’agenda', 'usagers déjà dans l’agenda')}, ${plural(r.rdvs, 'rendez-vous', 'rendez-vous')}. ` +
    reminders(r.reminders)
}

/** What the import sends: nothing when it is made, the reminders at their usual time (ADR 0013). */
function reminders(n: number) {
  return n === 0 ? 'Aucun message ne part à l’import, et aucun rappel n’est prévu.'
    : `Aucun message ne part à l’import ; ${plural(n, 'rappel partira', 'rappels partiront')}, chacun à l’heure habituelle avant son rendez-vous.`
}

export function ImportSection() {
  const {fail, refresh} = useApp()
  const [model, setModel] = useState<app.ImportTemplate>()
  const [file, setFile] = useState<{name: string; data: string}>()
  const [report, setReport] = useState<importer.Report>()
  const [outcome, setOutcome] = useState<Outcome>()
  const [busy, setBusy] = useState(false)
  useEffect(() => { ImportModel().then(setModel).catch(fail) }, [fail])
  const failed = refusal(fail, m => setOutcome({ok: false, text: m}))
  const choose = async (f?: File) => {
    setReport(undefined); setOutcome(undefined); setFile(undefined)
    if (!f) return
    if (f.size > maxBytes) { // not read at all: a mistaken choice may be a film of several gigabytes
      setOutcome({ok: false, text: 'Le fichier est trop gros pour un import (au plus 2 Mo) : découpez-le en plusieurs fichiers.'})
      return
    }
    const data = await readBase64(f)
    setFile({name: f.name, data})
    setBusy(true)
    PreviewImport(data).then(setReport).catch(failed).finally(() => setBusy(false))
  }
  const run = () => {
    if (!file) return
    setBusy(true)
    RunImport(file.data).then(r => {
      setReport(r)
      if (r.imported) {
        setOutcome({ok: true, text: `Import terminé : ${plural(r.rdvs, 'rendez-vous ajouté', 'rendez-vous ajoutés')} à l’agenda, ${plural(r.newUsagers, 'usager créé', 'usagers créés')}.`})
        refresh()
      }
    }).catch(failed).finally(() => setBusy(false))
  }
  const ready = report && report.problems.length === 0 && !report.imported
  return (
    <section className="editor" aria-labelledby="import-title">
      <h3 id="import-title">Importer un agenda existant</h3>
      <p className="hint">
        Un tableur (CSV ou Excel .xlsx) dont la première ligne nomme les colonnes : nom, prénom, date de naissance, téléphone,
        e-mail, puis, pour un rendez-vous à venir, date, heure, agenda et motif. Une ligne par rendez-vous ; un usager sans
        rendez-vous laisse ces quatre cases vides. Chaque ligne est vérifiée avant que rien ne soit enregistré, et l’import est
        fait en entier ou pas du tout.
      </p>
      {model && <p><a href={`data:text/csv;base64,${model.base64}`} download={model.fileName}>Télécharger le modèle</a> <span className="hint">(CSV, s’ouvre avec Excel ou LibreOffice)</span></p>}
      <Field label="Fichier à importer" hint="CSV (séparateur point-virgule ou virgule) ou Excel .xlsx, 2 Mo et 5 000 lignes au plus.">
        <input type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={e => choose(e.target.files?.[0])}/>
      </Field>
      {busy && <p aria-busy="true">Vérification…</p>}
      <OutcomeNotice outcome={outcome}/>
      {report && <ImportReport report={report}/>}
      {file && (
        <div className="actions import-actions">
          <button type="button" className="primary" disabled={!ready || busy} aria-describedby="import-why" onClick={run}>Importer</button>
          <span id="import-why" className="hint">
            {report?.imported ? 'Ce fichier est importé.' : ready ? `Importe « ${file.name} » en entier.` : 'Corrigez le fichier puis choisissez-le à nouveau : rien n’est importé tant qu’une ligne est à corriger.'}
          </span>
        </div>
      )}
    </section>
  )
}

function ImportReport({report}: {report: importer.Report}) {
  const lines = new Set(report.problems.map(p => p.line)).size
  return (
    <>
      <p role="status">{report.imported ? '' : 'Aperçu — '}{summary(report)}</p>
      {report.problems.length > 0 && (
        <>
          <p role="alert" className="outcome outcome-failed">
            Import impossible : {plural(lines, 'ligne à corriger', 'lignes à corriger')}. Rien n’a été importé.
          </p>
          <LineTable caption="Lignes à corriger" rows={report.problems.map(p => [p.line, p.message ?? p.code])} head="Raison"/>
        </>
      )}
      {report.matched.length > 0 && (
        <LineTable caption="Usagers déjà dans l’agenda (retrouvés par nom et date de naissance ou téléphone, ou par le nom seul quand un seul usager le porte : leurs rendez-vous leur sont ajoutés, sans doublon)"
          rows={report.matched.map(m => [m.line, m.name])} head="Usager"/>
      )}
      {report.notices.length > 0 && (
        <LineTable caption="À savoir : rendez-vous importés malgré une règle de l’agenda, comme un agent peut les forcer"
          rows={report.notices.map(n => [n.line, n.message ?? n.code])} head="Remarque"/>
      )}
    </>
  )
}

function LineTable({caption, head, rows}: {caption: string; head: string; rows: [number, string][]}) {
  return (
    <table className="list import-lines">
      <caption>{caption}</caption>
      <thead><tr><th scope="col">Ligne</th><th scope="col">{head}</th></tr></thead>
      <tbody>{rows.map(([line, text], i) => <tr key={i}><td>{line}</td><td>{text}</td></tr>)}</tbody>
    </table>
  )
}
