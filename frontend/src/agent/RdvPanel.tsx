import {useCallback, useEffect, useState} from 'react'
import {MarkArrived, Move, RdvDetail, SetStatus} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {dateOf, heure, quand, telephone} from '../shared/format'
import {RdvDocuments} from './RdvDocuments'
import {RdvMessages} from './RdvMessages'
import {Alternatives, SlotFinder} from './SlotFinder'
import {statusAction, useApp} from './session'
import {usagerText} from './UsagerPicker'

/** Status buttons of an RDV, as agenda.Transitions allows now; « Arrivé » while it is today's. */
export function StatusButtons({rdv, onChanged}: {rdv: app.RdvView; onChanged: (r: app.RdvView) => void}) {
  const {fail, changed} = useApp()
  const set = (status: string) => SetStatus(rdv.id, status).then(r => { onChanged(r); changed() }).catch(fail)
  const arrive = () => MarkArrived(rdv.id).then(r => { onChanged(r); changed() }).catch(fail)
  const canArrive = rdv.status === 'unknown' && !rdv.arrivedAt && !rdv.past && rdv.transitions.some(t => t.status === 'seen')
  return (
    <div className="status-actions" role="group" aria-label={`Statut de ${rdv.usagers.join(', ')}`}>
      {canArrive && <button type="button" onClick={arrive}>Arrivé</button>}
      {rdv.transitions.map(t => (
        <button key={t.status} type="button" className={'status-' + t.status} onClick={() => set(t.status)}>{statusAction(t.status)}</button>
      ))}
    </div>
  )
}

/** The RDV panel: who, what, when, what to bring, the statuses, moving it, its messages and its history. */
export function RdvPanel({id, onClose, onMoved}: {id: string; onClose: () => void; onMoved: (r: app.RdvView, message: string) => void}) {
  const {fail, version, live} = useApp()
  const [detail, setDetail] = useState<app.RdvDetail>()
  const [moving, setMoving] = useState(false)
  const [refusal, setRefusal] = useState<app.BookResult>()
  const load = useCallback(() => RdvDetail(id).then(setDetail).catch(fail), [id, fail])
  useEffect(() => { load() }, [load, version, live])
  if (!detail) return <p aria-busy="true">Chargement…</p>
  const r = detail.rdv
  const move = (s: app.SlotView) => Move(r.id, s.start, s.agentId, false).then(res => {
    if (res.rdv) onMoved(res.rdv, `Rendez-vous déplacé au ${quand(res.rdv.start)}.`)
    else setRefusal(res)
  }).catch(fail)
  const cancelled = r.status === 'excused' || r.status === 'revoked'
  return (
    <section aria-labelledby="rdv-title" className="rdv-detail">
      <h2 id="rdv-title">{heure(r.start)} — {r.usagers.join(', ')}</h2>
      <dl>
        <dt>Quand</dt><dd>{quand(r.start)} ({Math.round((Date.parse(r.end) - Date.parse(r.start)) / 60000)}{'\u202f'}min)</dd>
        <dt>Motif</dt><dd>{r.motifName}{r.documents > 1 ? ` — ${r.documents} titres` : ''}</dd>
        <dt>Où</dt><dd>{[r.lieuName, r.agentNames.join(', ')].filter(Boolean).join(' — ')}</dd>
        <dt>Statut</dt><dd data-testid="rdv-status">{r.statusLabel}{r.arrivedAt && r.status === 'unknown' ? ` — arrivé à ${heure(r.arrivedAt)}` : ''}</dd>
        {r.context && <><dt>Note</dt><dd>{r.context}</dd></>}
        <dt>Pris par</dt><dd>{detail.createdBy}</dd>
      </dl>
      <h3>Usagers</h3>
      <ul>
        {detail.usagers.map(u => (
          <li key={u.id}>{usagerText({...u, phone: ''} as app.UsagerForm)}{u.phone && <> — <a href={'tel:' + u.phone}>{telephone(u.phone)}</a></>}
            {u.antsPreDemande && <> — pré-demande {u.antsPreDemande}</>}</li>
        ))}
      </ul>
      <StatusButtons rdv={r} onChanged={() => load()}/>
      {!cancelled && (
        <div className="actions">
          <button type="button" aria-expanded={moving} onClick={() => setMoving(m => !m)}>Déplacer</button>
          <button type="button" onClick={onClose}>Fermer</button>
        </div>
      )}
      {cancelled && <div className="actions"><button type="button" onClick={onClose}>Fermer</button></div>}
      {moving && (
        <div className="step">
          <h3>Déplacer vers</h3>
          {refusal && <p className="error" role="alert">{refusal.message}</p>}
          {refusal && <Alternatives slots={refusal.alternatives} label="Déplacer à ce créneau" onPick={move}/>}
          <SlotFinder motifId={r.motifId} documents={r.documents} date={dateOf(r.start)} lieuId={r.lieuId} onPick={move}/>
        </div>
      )}
      {detail.pieces.length > 0 && (
        <>
          <h3>Pièces à fournir</h3>
          <ul>{detail.pieces.map(p => <li key={p}>{p}</li>)}</ul>
        </>
      )}
      <RdvDocuments detail={detail}/>
      <RdvMessages rdv={r}/>
      <h3>Historique</h3>
      <ol className="history">
        {detail.history.map((h, i) => (
          <li key={i}>{quand(h.at)} — {h.by}{'\u202f'}: {h.moved || (h.from ? `${h.from} → ${h.to}` : 'création')}</li>
        ))}
      </ol>
    </section>
  )
}
