import {useEffect, useState} from 'react'
import {ToFill} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {attente, dateOf, heure, jour} from '../shared/format'
import {StatusButtons} from './RdvPanel'
import {useApp} from './session'

/** The waiting room: usagers checked in (at the counter or the kiosk) whose RDV is not settled. */
export function WaitingRoomScreen({waiting}: {waiting: app.WaitingView[]}) {
  const [said, setSaid] = useState('')
  return (
    <main className="list-screen" aria-labelledby="waiting-title">
      <h2 id="waiting-title">Salle d’attente</h2>
      <p className="flash" role="status">{said}</p>
      {waiting.length === 0 && <p>Personne n’attend. Quand un usager arrive, marquez-le « Arrivé » depuis l’agenda ou la liste du jour ; ceux qui s’enregistrent à la borne apparaissent ici d’eux-mêmes.</p>}
      {waiting.length > 0 && (
        <table className="list">
          <thead><tr><th scope="col">Rendez-vous</th><th scope="col">Usager</th><th scope="col">Motif</th><th scope="col">Agenda</th><th scope="col">Attente</th><th scope="col">Statut</th></tr></thead>
          <tbody>
            {waiting.map(w => (
              <tr key={w.rdv.id}>
                <td>{heure(w.rdv.start)}</td>
                <td>{w.rdv.usagers.join(', ')}</td>
                <td>{w.rdv.motifName}</td>
                <td>{w.rdv.agentNames.join(', ')}</td>
                <td data-testid="waiting-time">{attente(w.waitingMin)}</td>
                <td><StatusButtons rdv={w.rdv} onChanged={(_, m) => setSaid(m)}/></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  )
}

/** The past RDVs still « À renseigner », with their status buttons. */
export function ToFillScreen() {
  const {fail, version, live} = useApp()
  const [rdvs, setRdvs] = useState<app.RdvView[]>()
  const [said, setSaid] = useState('')
  useEffect(() => { ToFill().then(setRdvs).catch(fail) }, [fail, version, live])
  return (
    <main className="list-screen" aria-labelledby="tofill-title">
      <h2 id="tofill-title">À renseigner</h2>
      <p className="flash" role="status">{said}</p>
      {!rdvs && <p aria-busy="true">Chargement…</p>}
      {rdvs?.length === 0 && <p>Tous les rendez-vous passés ont un statut. Les rendez-vous des jours passés restés « À venir » s’afficheront ici.</p>}
      {rdvs && rdvs.length > 0 && (
        <>
          <p>{rdvs.length} rendez-vous passé{rdvs.length > 1 ? 's' : ''} sans statut (90 derniers jours) : indiquez si l’usager est venu.</p>
          <table className="list">
            <thead><tr><th scope="col">Jour</th><th scope="col">Heure</th><th scope="col">Usager</th><th scope="col">Motif</th><th scope="col">Agenda</th><th scope="col">Statut</th></tr></thead>
            <tbody>
              {rdvs.map(r => (
                <tr key={r.id}>
                  <td>{jour(dateOf(r.start))}</td>
                  <td>{heure(r.start)}</td>
                  <td>{r.usagers.join(', ')}</td>
                  <td>{r.motifName}</td>
                  <td>{r.agentNames.join(', ')}</td>
                  <td><StatusButtons rdv={r} onChanged={(_, m) => setSaid(m)}/></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  )
}
