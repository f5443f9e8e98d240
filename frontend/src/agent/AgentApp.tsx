import {useCallback, useEffect, useMemo, useRef, useState} from 'react'
import FullCalendar from '@fullcalendar/react'
import type {EventInput, EventSourceFuncArg} from '@fullcalendar/core'
import frLocale from '@fullcalendar/core/locales/fr'
import resourceTimeGridPlugin from '@fullcalendar/resource-timegrid'
import interactionPlugin from '@fullcalendar/interaction'
import {Agenda, Ready} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {addDays, heure, jour} from '../shared/format'
import './agent.css'

type ViewName = 'resourceTimeGridDay' | 'resourceTimeGridWeek'

/** Turns the Go agenda view into FullCalendar events: RDVs, plages as background, absences shaded. */
export function toEvents(v: app.AgendaView): EventInput[] {
  const out: EventInput[] = []
  for (const p of v.plages ?? []) {
    out.push({start: p.start, end: p.end, resourceId: p.agentId, display: 'background', classNames: ['plage-bg'], title: p.title})
  }
  for (const a of v.absences ?? []) {
    out.push({start: a.start, end: a.end, resourceId: a.agentId, display: 'background', classNames: ['absence-bg'], title: a.title})
  }
  for (const h of v.holidays ?? []) {
    out.push({start: h.date, allDay: true, display: 'background', classNames: ['absence-bg'], title: h.name})
  }
  for (const r of v.rdvs ?? []) {
    const cancelled = r.status === 'excused' || r.status === 'revoked'
    out.push({
      id: r.id, start: r.start, end: r.end, resourceIds: r.agentIds,
      title: `${(r.usagers ?? []).join(', ')} — ${r.motifName}`,
      backgroundColor: r.color + '33', borderColor: r.color,
      classNames: ['rdv-event', cancelled ? 'status-cancelled' : `status-${r.status}`],
      extendedProps: {rdv: r},
    })
  }
  return out
}

/**
 * FullCalendar 6's time grid has accessibility defects that axe reports: its scrollers cannot be
 * reached by keyboard (WCAG 2.1.1), and its layout tables claim grid roles around presentation
 * cells. The scrollers become labelled, focusable regions; the layout tables are marked as
 * layout. The RDVs themselves stay links reachable by Tab, with their full text as title.
 */
function fixGridAccessibility(root: HTMLElement) {
  root.querySelectorAll<HTMLElement>('.fc-scroller').forEach((el, i) => {
    el.tabIndex = 0
    el.setAttribute('role', 'region')
    el.setAttribute('aria-label', `Grille horaire, partie ${i + 1}`)
  })
  root.querySelectorAll<HTMLElement>('table, thead, tbody, tr, th, td').forEach(el => el.setAttribute('role', 'presentation'))
}

export default function AgentApp() {
  const [startup, setStartup] = useState<app.Startup>()
  const [error, setError] = useState('')
  const [date, setDate] = useState('')
  const [view, setView] = useState<ViewName>('resourceTimeGridDay')
  const [lieuId, setLieuId] = useState('')
  const [showCancelled, setShowCancelled] = useState(false)
  const calendar = useRef<FullCalendar>(null)
  const main = useRef<HTMLElement>(null)

  useEffect(() => {
    Ready().then(s => { setStartup(s); setDate(s.today) }).catch(e => setError(String(e)))
  }, [])

  useEffect(() => { if (date) calendar.current?.getApi().gotoDate(date) }, [date])
  useEffect(() => { calendar.current?.getApi().changeView(view) }, [view])
  useEffect(() => { calendar.current?.getApi().refetchEvents() }, [lieuId, showCancelled])

  const step = view === 'resourceTimeGridDay' ? 1 : 7
  const go = useCallback((n: number) => setDate(d => addDays(d, n)), [])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.altKey || e.ctrlKey) return
      if (e.key === 't' && startup) setDate(startup.today)
      if (e.key === 'n' || e.key === 'ArrowRight') go(step)
      if (e.key === 'p' || e.key === 'ArrowLeft') go(-step)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [startup, step, go])

  const fetchEvents = useCallback((info: EventSourceFuncArg, ok: (e: EventInput[]) => void, fail: (e: Error) => void) => {
    Agenda({start: info.startStr.slice(0, 10), end: info.endStr.slice(0, 10), lieuId, agentIds: [], includeCancelled: showCancelled})
      .then(v => ok(toEvents(v)))
      .catch(e => { setError(String(e)); fail(new Error(String(e))) })
  }, [lieuId, showCancelled])

  const resources = useMemo(() => (startup?.agents ?? []).map(a => ({id: a.id, title: a.name})), [startup])

  if (error && !startup) return <p className="error" role="alert">{error}</p>
  if (!startup) return <p aria-busy="true">Chargement…</p>

  return (
    <div className="shell" style={{'--accent': startup.organisation.accentColor} as React.CSSProperties}>
      <header className="topbar">
        <h1>RDV Guichet</h1>
        <span className="org">{startup.organisation.name}</span>
      </header>
      <nav className="toolbar" aria-label="Navigation de l'agenda">
        <button onClick={() => setDate(startup.today)} title="Aujourd'hui (t)">Aujourd'hui</button>
        <button onClick={() => go(-step)} aria-label={view === 'resourceTimeGridDay' ? 'Jour précédent' : 'Semaine précédente'} title="Précédent (p)">‹</button>
        <button onClick={() => go(step)} aria-label={view === 'resourceTimeGridDay' ? 'Jour suivant' : 'Semaine suivante'} title="Suivant (n)">›</button>
        <span className="day" aria-live="polite" data-testid="current-day">{date && jour(date)}</span>
        <label>Vue
          <select value={view} onChange={e => setView(e.target.value as ViewName)}>
            <option value="resourceTimeGridDay">Jour</option>
            <option value="resourceTimeGridWeek">Semaine</option>
          </select>
        </label>
        <label>Lieu
          <select value={lieuId} onChange={e => setLieuId(e.target.value)}>
            <option value="">Tous les lieux</option>
            {startup.lieux.map(l => <option key={l.id} value={l.id}>{l.name}</option>)}
          </select>
        </label>
        <label><input type="checkbox" checked={showCancelled} onChange={e => setShowCancelled(e.target.checked)}/> Afficher les annulés</label>
      </nav>
      {error && <p className="error" role="alert">{error}</p>}
      <main className="agenda" aria-label="Agenda" ref={main}>
        <FullCalendar
          ref={calendar}
          plugins={[resourceTimeGridPlugin, interactionPlugin]}
          schedulerLicenseKey="GPL-My-Project-Is-Open-Source"
          locale={frLocale}
          initialView={view}
          initialDate={date}
          headerToolbar={false}
          height="100%"
          allDaySlot={true}
          allDayText="Jour"
          slotMinTime="07:30:00"
          slotMaxTime="19:00:00"
          slotDuration="00:10:00"
          slotLabelInterval="01:00"
          slotLabelContent={arg => heure(arg.date.toISOString())}
          nowIndicator={true}
          viewDidMount={arg => fixGridAccessibility(arg.el)}
          datesSet={() => requestAnimationFrame(() => main.current && fixGridAccessibility(main.current))}
          resources={resources}
          events={fetchEvents}
          eventContent={arg => {
            const r = arg.event.extendedProps.rdv as app.RdvView | undefined
            if (!r) return null
            return (
              <div title={`${heure(r.start)} ${r.motifName} — ${r.statusLabel}`}>
                <span className="rdv-line"><strong>{heure(r.start)}</strong> {(r.usagers ?? []).join(', ')}</span>
                <span className="rdv-line">{r.arrivedAt && <span className="badge">Arrivé</span>}<span className="badge">{r.statusLabel}</span>{r.motifName}</span>
              </div>
            )
          }}
        />
      </main>
    </div>
  )
}
