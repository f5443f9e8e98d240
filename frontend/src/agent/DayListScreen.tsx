import {useEffect, useMemo, useState} from 'react'
import {DateInput} from '../shared/FrenchInputs'
import {DayList, DayListPDF, PrintDayList} from '../../wailsjs/go/app/AgentService'
import {heure} from '../shared/format'
import {StatusButtons} from './RdvPanel'
import type {app} from '../../wailsjs/go/models'
import {FileLinks, OutcomeNotice} from './files'
import {refusal, useApp} from './session'
import {PlaceFilters} from './PlaceFilters'

/**
 * The day list of a lieu or an agenda, on screen as it prints, and its PDF: written in the data
 * folder, and printed without a dialog on the A4 printer of Paramètres › Impression (« Imprimer »)
 * or opened with the PC's PDF reader.
 */
export function DayListScreen() {
  const {startup, fail, version, live} = useApp()
  const [date, setDate] = useState(startup.today)
  const [lieuId, setLieuId] = useState('')
  const [agentId, setAgentId] = useState('')
  const [list, setList] = useState<app.DayListView>()
  const [file, setFile] = useState<app.FileResult>()
  const [failure, setFailure] = useState('')
  const [said, setSaid] = useState('')
  // A new list for another day or place, or after the agent's own change: the last PDF's outcome
  // goes. A change from elsewhere only reloads the list.
  useEffect(() => {
    setFile(undefined)
    setFailure('')
    setSaid('')
  }, [date, lieuId, agentId])
  useEffect(() => {
    DayList({date, lieuId, agentId}).then(setList).catch(fail)
  }, [date, lieuId, agentId, fail, version, live])
  // The list comes with its RDVs in full, for the arrivals and statuses recorded from it.
  const rdvs = useMemo(() => new Map((list?.rdvs ?? []).map(r => [r.id, r])), [list])
  const run = (write: typeof DayListPDF) => {
    setFile(undefined)
    setFailure('')
    write({date, lieuId, agentId}).then(setFile).catch(refusal(fail, setFailure))
  }
  return (
    <main className="list-screen" aria-labelledby="daylist-title">
      <h2 id="daylist-title">Liste du jour</h2>
      <div className="toolbar">
        <label>Jour <DateInput value={date} onChange={d => setDate(d || startup.today)}/></label>
        <PlaceFilters lieuId={lieuId} setLieuId={setLieuId} agentId={agentId} setAgentId={setAgentId}/>
        <button type="button" className="primary" onClick={() => run(PrintDayList)}>Imprimer</button>
        <button type="button" onClick={() => run(DayListPDF)}>Enregistrer le PDF</button>
      </div>
      {file && (
        <p role="status" className="notice">
          {file.printed ? <>Liste imprimée sur {file.printedOn}. <FileLinks file={file} open="Ouvrir le PDF" path={false}/></>
            : <>Liste enregistrée : <FileLinks file={file} open="Ouvrir le PDF pour l’imprimer"/></>}
        </p>
      )}
      <p className="flash" role="status">{said}</p>
      {failure && <OutcomeNotice outcome={{ok: false, text: failure}}/>}
      {list && (
        <section className="daylist" aria-label="Aperçu de la liste">
          <h3>{list.title} — {list.day}</h3>
          {list.rows.length === 0 && <p>Aucun rendez-vous ce jour-là pour ce lieu ou cet agenda. Choisissez un autre jour ou « Tous les agendas ».</p>}
          {list.rows.length > 0 && (
            <table className="list">
              <thead><tr><th scope="col">Heure</th><th scope="col">Usager</th><th scope="col">Téléphone</th><th scope="col">Motif</th><th scope="col">Titres</th><th scope="col">Pré-demande</th><th scope="col">Note</th><th scope="col">Accueil</th></tr></thead>
              <tbody>
                {list.rows.map((r, i) => (
                  <tr key={i}>
                    <td>{r.time}</td>
                    <td>{r.usagers.join(', ')}{r.status && <> ({r.status})</>}</td>
                    <td>{r.phone}</td>
                    <td>{r.motif}{r.agent && <> — {r.agent}</>}</td>
                    <td>{r.ants ? r.documents : ''}</td>
                    <td>{r.preDemande}</td>
                    <td>{r.context}</td>
                    <td><Reception rdv={rdvs.get(r.rdvId)} onChanged={setSaid}/></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </main>
  )
}

/** The « Accueil » cell: whether the usager has arrived, and the buttons of the RDV's state. */
function Reception({rdv, onChanged}: {rdv?: app.RdvView; onChanged: (message: string) => void}) {
  if (!rdv) return null
  return (
    <>
      {rdv.arrivedAt && rdv.status === 'unknown' && <span className="badge badge-arrived">Arrivé à {heure(rdv.arrivedAt)}</span>}
      <StatusButtons rdv={rdv} onChanged={(_, m) => onChanged(m)}/>
    </>
  )
}
