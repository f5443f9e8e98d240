import {useCallback, useEffect, useState} from 'react'
import {MarkArrived, Move, RdvDetail, SetStatus} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {dateOf, heure, quand, telephone} from '../shared/format'
import {RdvDocuments} from './RdvDocuments'
import {RdvMessages} from './RdvMessages'
import {Alternatives, SlotFinder} from './SlotFinder'
import {statusAction, useApp} from './session'
import {ConfirmDialog} from './Confirm'
import {usagerText} from './UsagerPicker'

/** What a status change did, said to the agent in the message that follows it. */
function statusMessage(status: string, who: string): string {
  switch (status) {
    case 'seen': return `${who} : rendez-vous marqué « Vu ».`
    case 'noshow': return `${who} : absence non excusée enregistrée.`
    case 'excused': return `Rendez-vous de ${who} annulé à la demande de l’usager (excusé).`
    case 'revoked': return `Rendez-vous de ${who} annulé par le service.`
  }
  return `${who} : statut remis à « À venir ».`
}

/**
 * Status buttons of an RDV, as Rdv.StatusOptions allows now (no « Lapin » once someone has
 * arrived); « Arrivé » while it is today's and nobody has arrived. The two cancellations are one « Annuler
 * le rendez-vous » that asks for the reason and a confirmation. onChanged gets the RDV as it is now
 * and the sentence that says what was done.
 */
export function StatusButtons({rdv, onChanged}: {rdv: app.RdvView; onChanged: (r: app.RdvView, message: string) => void}) {
  const {fail, changed} = useApp()
  const [cancelling, setCancelling] = useState(false)
  const who = rdv.usagers.join(', ')
  const done = (r: app.RdvView, message: string) => { onChanged(r, message); changed() }
  const set = (status: string) => SetStatus(rdv.id, status).then(r => done(r, statusMessage(status, who))).catch(fail)
  const arrive = () => MarkArrived(rdv.id).then(r => done(r, `Arrivée de ${who} enregistrée à ${heure(r.arrivedAt || new Date().toISOString())}.`)).catch(fail)
  const canArrive = rdv.status === 'unknown' && !rdv.arrivedAt && !rdv.past && rdv.transitions.some(t => t.status === 'seen')
  const cancels = rdv.transitions.filter(t => t.status === 'excused' || t.status === 'revoked').map(t => t.status)
  const others = rdv.transitions.filter(t => !cancels.includes(t.status))
  return (
    <div className="status-actions" role="group" aria-label={`Statut de ${who}`}>
      {canArrive && <button type="button" onClick={arrive}>Arrivé</button>}
      {others.map(t => (
        <button key={t.status} type="button" className={'status-' + t.status} onClick={() => set(t.status)}>{statusAction(t.status)}</button>
      ))}
      {cancels.length > 0 && <button type="button" onClick={() => setCancelling(true)}>Annuler le rendez-vous<span className="visually-hidden"> de {who}</span></button>}
      {cancelling && <CancelDialog rdv={rdv} reasons={cancels} onClose={() => setCancelling(false)} onConfirm={s => { setCancelling(false); set(s) }}/>}
    </div>
  )
}

/** « Annuler le rendez-vous »: the reason (excusé or annulé par le service), then a confirmation. */
function CancelDialog({rdv, reasons, onConfirm, onClose}: {rdv: app.RdvView; reasons: string[]; onConfirm: (status: string) => void; onClose: () => void}) {
  const [reason, setReason] = useState(reasons[0])
  const labels: Record<string, string> = {excused: 'À la demande de l’usager (excusé)', revoked: 'Par le service (annulé par le service)'}
  return (
    <ConfirmDialog title={`Annuler le rendez-vous de ${rdv.usagers.join(', ')} ?`} confirm="Annuler le rendez-vous" keep="Garder le rendez-vous"
      onConfirm={() => onConfirm(reason)} onClose={onClose}>
      <p>{quand(rdv.start)} — {rdv.motifName}. Le créneau redevient libre.</p>
      <fieldset>
        <legend>Annulé</legend>
        {reasons.map(s => (
          <label key={s} className="radio"><input type="radio" name="cancel-reason" value={s} checked={reason === s} onChange={() => setReason(s)}/> {labels[s]}</label>
        ))}
      </fieldset>
    </ConfirmDialog>
  )
}

/** The RDV panel: who, what, when, what to bring, the statuses, moving it, its messages and its history. */
export function RdvPanel({id, onClose, onMoved, onSaid}: {id: string; onClose: () => void; onMoved: (r: app.RdvView, message: string) => void; onSaid: (message: string) => void}) {
  const {fail, version, live} = useApp()
  const [detail, setDetail] = useState<app.RdvDetail>()
  const [moving, setMoving] = useState(false)
  const [refusal, setRefusal] = useState<app.BookResult>()
  const load = useCallback(() => RdvDetail(id).then(setDetail).catch(fail), [id, fail])
  useEffect(() => { load() }, [load, version, live])
  if (!detail) return <p aria-busy="true">Chargement…</p>
  const r = detail.rdv
  const move = (s: app.SlotView) => Move(r.id, s.start, s.agentId, false).then(res => {
    if (!res.rdv) { setRefusal(res); return }
    // The panel shows the RDV at its new time, not the search that moved it.
    setMoving(false)
    setRefusal(undefined)
    onMoved(res.rdv, `Rendez-vous déplacé au ${quand(res.rdv.start)}.`)
    load()
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
      <StatusButtons rdv={r} onChanged={(_, message) => { onSaid(message); load() }}/>
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
