import {useApp} from './session'

/** The « Lieu » and « Agenda » choices that the agenda, the day list and the slot search share. */
export function PlaceFilters({lieuId, setLieuId, agentId, setAgentId}: {
  lieuId: string, setLieuId: (id: string) => void, agentId: string, setAgentId: (id: string) => void,
}) {
  const {startup} = useApp()
  return (
    <>
      <label>Lieu
        <select value={lieuId} onChange={e => setLieuId(e.target.value)}>
          <option value="">Tous les lieux</option>
          {startup.lieux.map(l => <option key={l.id} value={l.id}>{l.name}</option>)}
        </select>
      </label>
      <label>Agenda
        <select value={agentId} onChange={e => setAgentId(e.target.value)}>
          <option value="">Tous les agendas</option>
          {startup.agents.map(a => <option key={a.id} value={a.id}>{a.name}</option>)}
        </select>
      </label>
    </>
  )
}
