import {useApp} from './session'

/**
 * The « Lieu » and « Agenda » choices that the agenda, the day list and the slot search share.
 * compact: the labels are read, not shown (the choices name themselves; the agenda's toolbar keeps
 * one line at 1366 px). allAgents: whether « Tous les agendas » is offered (not in the week view).
 */
export function PlaceFilters({lieuId, setLieuId, agentId, setAgentId, compact = false, allAgents = true}: {
  lieuId: string, setLieuId: (id: string) => void, agentId: string, setAgentId: (id: string) => void, compact?: boolean, allAgents?: boolean,
}) {
  const {startup} = useApp()
  const label = (text: string) => compact ? <span className="visually-hidden">{text}</span> : text
  return (
    <>
      <label>{label('Lieu')}
        <select value={lieuId} onChange={e => setLieuId(e.target.value)}>
          <option value="">Tous les lieux</option>
          {startup.lieux.map(l => <option key={l.id} value={l.id}>{l.name}</option>)}
        </select>
      </label>
      <label>{label('Agenda')}
        <select value={agentId} onChange={e => setAgentId(e.target.value)}>
          {allAgents && <option value="">Tous les agendas</option>}
          {startup.agents.map(a => <option key={a.id} value={a.id}>{a.name}</option>)}
        </select>
      </label>
    </>
  )
}
