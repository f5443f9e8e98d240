import {type FormEvent, useState} from 'react'
import {DateInput} from '../shared/FrenchInputs'
import {FindSlots} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {useApp} from './session'
import {PlaceFilters} from './PlaceFilters'

/** The slot's line in a list: « jeudi 12 mars 2026 à 10 h 00 — DR — Mairie ». */
export function slotText(s: app.SlotView): string {
  return [s.label, s.agentName, s.lieuName].filter(Boolean).join(' — ')
}

/**
 * « Trouver un créneau »: lieu, agenda and first day for a motif (and a number of documents) chosen
 * by the parent; the engine's next free slots come back as buttons.
 */
export function SlotFinder({motifId, documents, date, lieuId: initialLieu, agentId: initialAgent, onPick}: {
  motifId: string; documents: number; date: string; lieuId: string; agentId?: string; onPick: (s: app.SlotView) => void
}) {
  const {startup, fail} = useApp()
  const [lieuId, setLieuId] = useState(initialLieu)
  const [agentId, setAgentId] = useState(initialAgent ?? '')
  const [from, setFrom] = useState(date < startup.today ? startup.today : date)
  const [slots, setSlots] = useState<app.SlotView[]>()
  const [error, setError] = useState('')
  const search = (e: FormEvent) => {
    e.preventDefault()
    if (!motifId) { setError('Choisissez d’abord un motif.'); return }
    setError('')
    FindSlots({motifId, lieuId, agentId, from, documents, limit: 8}).then(setSlots).catch(fail)
  }
  return (
    <form className="slot-finder" onSubmit={search} aria-label="Recherche de créneaux">
      <div className="row">
        <PlaceFilters lieuId={lieuId} setLieuId={setLieuId} agentId={agentId} setAgentId={setAgentId}/>
        <label>À partir du
          <DateInput value={from} onChange={setFrom}/>
        </label>
      </div>
      <button type="submit">Chercher les prochains créneaux</button>
      {error && <p className="field-error" role="alert">{error}</p>}
      {slots && slots.length === 0 && <p role="status">Aucun créneau libre dans les 6 prochains mois pour ce motif : vérifiez les plages d’ouverture ou choisissez un autre lieu.</p>}
      {slots && slots.length > 0 && (
        <ul className="choices" aria-label="Créneaux libres">
          {slots.map(s => (
            <li key={s.start + s.agentId}>
              <button type="button" onClick={() => onPick(s)}>{slotText(s)}</button>
            </li>
          ))}
        </ul>
      )}
    </form>
  )
}

/** The next free slots after a refusal, each a button. */
export function Alternatives({slots, label, onPick}: {slots: app.SlotView[]; label: string; onPick: (s: app.SlotView) => void}) {
  if (!slots?.length) return null
  return (
    <ul className="choices" aria-label="Prochains créneaux libres">
      {slots.map(s => (
        <li key={s.start + s.agentId}>
          <button type="button" onClick={() => onPick(s)} title={label}>{slotText(s)}</button>
        </li>
      ))}
    </ul>
  )
}
