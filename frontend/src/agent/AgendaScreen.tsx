import {useCallback, useEffect, useMemo, useRef, useState} from 'react'
import FullCalendar from '@fullcalendar/react'
import type {EventDropArg, EventInput, EventSourceFuncArg} from '@fullcalendar/core'
import frLocale from '@fullcalendar/core/locales/fr'
import resourceTimeGridPlugin from '@fullcalendar/resource-timegrid'
import interactionPlugin from '@fullcalendar/interaction'
import {Agenda, Move} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {addDays, dateOf, heure, jour, scrollTimeNow} from '../shared/format'
import {DateInput} from '../shared/FrenchInputs'
import {isTyping} from './keys'
import {BookingPanel, type Preset} from './BookingPanel'
import {RdvPanel} from './RdvPanel'
import {Alternatives} from './SlotFinder'
import {useApp} from './session'
import {PlaceFilters} from './PlaceFilters'
import {parseError} from '../shared/errors'
import {FALLBACK_POLL_MS} from '../shared/live'

type ViewName = 'resourceTimeGridDay' | 'resourceTimeGridWeek'

type Panel =
  | {kind: 'book'; preset?: Preset; focus?: 'motif' | 'usager'; agentId?: string}
  | {kind: 'rdv'; id: string}
  | {kind: 'drop'; rdv: app.GridRdv; start: string; agentId: string; result: app.BookResult}
  | null

/** Turns the Go agenda view into FullCalendar events: RDVs, plages as background, absences shaded. */
export function toEvents(v: app.AgendaView): EventInput[] {
  const out: EventInput[] = []
  for (const p of v.plages ?? []) {
    out.push({start: p.start, end: p.end, resourceId: p.agentId, display: 'background',
      classNames: ['plage-bg', p.canal === 'en_ligne' ? 'plage-en-ligne' : 'plage-guichet'], title: p.title})
  }
  for (const a of v.absences ?? []) {
    out.push({start: a.start, end: a.end, resourceId: a.agentId, display: 'background', classNames: ['absence-bg'], title: a.title})
  }
  // A holiday shades its whole day in the time grid: no all-day row that stays empty every other day.
  for (const h of v.holidays ?? []) {
    out.push({start: h.date, end: addDays(h.date, 1), allDay: false, display: 'background', classNames: ['absence-bg', 'holiday-bg'], title: h.name})
  }
  for (const r of v.rdvs ?? []) {
    const cancelled = r.status === 'excused' || r.status === 'revoked'
    out.push({
      id: r.id, start: r.start, end: r.end, resourceIds: r.agentIds,
      title: `${(r.usagers ?? []).join(', ')} — ${r.motifName}`,
      backgroundColor: r.color + '33', borderColor: r.color,
      editable: !cancelled,
      classNames: ['rdv-event', cancelled ? 'status-cancelled' : `status-${r.status}`, r.arrivedAt ? 'arrived' : ''],
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

export function AgendaScreen({waiting}: {waiting: app.WaitingView[]}) {
  const {startup, session, fail, changed, version, live} = useApp()
  const [date, setDate] = useState(startup.today)
  const [view, setView] = useState<ViewName>('resourceTimeGridDay')
  const [lieuId, setLieuId] = useState('')
  const [agentId, setAgentId] = useState('')
  const [showCancelled, setShowCancelled] = useState(false)
  const [panel, setPanel] = useState<Panel>(null)
  const [flash, setFlash] = useState('')
  const [shortest, setShortest] = useState(DEFAULT_SHORTEST_MIN)
  const [zoom, setZoom] = useStoredZoom()
  const calendar = useRef<FullCalendar>(null)
  const main = useRef<HTMLElement>(null)
  const plages = useRef<app.BlockView[]>([])
  // Go's clock is the reference (tests freeze it): the grid's « now » follows it.
  const clockOffset = useMemo(() => Date.parse(startup.now) - Date.now(), [startup])

  // The week shows one agenda at a time (7 legible columns at 1366 px, not 21): the one chosen,
  // else the agent's own, else the first.
  const week = view === 'resourceTimeGridWeek'
  const weekAgent = agentId || startup.agents.find(a => a.id === session.agentId)?.id || startup.agents[0]?.id || ''
  const shownAgent = week ? weekAgent : agentId

  useEffect(() => { calendar.current?.getApi().gotoDate(date) }, [date])
  useEffect(() => { calendar.current?.getApi().changeView(view) }, [view])
  const pxPerMin = scale(shortest, zoom)
  // The grid opens at the time the agent works at: the hour before now on today (its last hour after
  // closing), 8 h otherwise.
  // Chosen when the day or the view changes, not at every render (the grid does not jump at the hour).
  const openAt = useMemo(() => date === startup.today ? scrollTimeNow(new Date(Date.now() + clockOffset), GRID_LAST_HOUR) : '08:00:00',
    [date, view, startup.today, clockOffset])
  // FullCalendar scrolls a new view to its scrollTime once it has measured its slots (a request made
  // before that is lost: the grid then opened at 7 h whatever the time). A new scale, day or view
  // scrolls again, from the laid-out slots: the slots' height is CSS, FullCalendar measures it again.
  useEffect(() => {
    calendar.current?.getApi().updateSize()
    if (main.current) scrollGridTo(main.current, openAt)
  }, [pxPerMin, openAt, date, view])
  useEffect(() => { calendar.current?.getApi().refetchEvents() }, [lieuId, shownAgent, showCancelled, version, live, waiting.length])
  useEffect(() => {
    const t = window.setInterval(() => calendar.current?.getApi().refetchEvents(), FALLBACK_POLL_MS)
    return () => window.clearInterval(t)
  }, [])

  const step = view === 'resourceTimeGridDay' ? 1 : 7
  const go = useCallback((n: number) => setDate(d => addDays(d, n)), [])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && panel) { setPanel(null); return }
      if (isTyping(e)) return
      const actions: Record<string, () => void> = {
        t: () => setDate(startup.today),
        n: () => go(step), ArrowRight: () => go(step),
        p: () => go(-step), ArrowLeft: () => go(-step),
        j: () => setView('resourceTimeGridDay'), s: () => setView('resourceTimeGridWeek'),
        r: () => setPanel({kind: 'book', focus: 'motif'}),
        '/': () => setPanel({kind: 'book', focus: 'usager'}),
      }
      const action = actions[e.key]
      if (action) { e.preventDefault(); action() }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [startup, step, go, panel])

  const fetchEvents = useCallback((info: EventSourceFuncArg, ok: (e: EventInput[]) => void, failure: (e: Error) => void) => {
    Agenda({start: info.startStr.slice(0, 10), end: info.endStr.slice(0, 10), lieuId, agentIds: shownAgent ? [shownAgent] : [], includeCancelled: showCancelled})
      .then(v => { plages.current = v.plages; setShortest(shortestMinutes(v.rdvs ?? [])); ok(toEvents(v)) })
      .catch(e => { fail(e); failure(new Error(parseError(e).message)) })
  }, [lieuId, shownAgent, showCancelled, fail])

  const resources = useMemo(() => startup.agents.filter(a => !shownAgent || a.id === shownAgent).map(a => ({id: a.id, title: a.name})), [startup, shownAgent])

  /** A click on free time opens the booking form at that time, with the lieu of the plage there. */
  const select = (start: Date, resourceId: string | undefined) => {
    calendar.current?.getApi().unselect()
    const t = start.getTime()
    const plage = plages.current.find(p => p.agentId === resourceId && Date.parse(p.start) <= t && t < Date.parse(p.end))
    setPanel({kind: 'book', preset: {start: start.toISOString(), agentId: resourceId ?? '', lieuId: plage?.lieuId ?? lieuId}})
  }

  const drop = (info: EventDropArg) => {
    const rdv = info.event.extendedProps.rdv as app.GridRdv
    const start = info.event.start!.toISOString()
    const to = info.newResource?.id ?? ''
    Move(rdv.id, start, to, false).then(res => {
      if (res.rdv) { setFlash(`Rendez-vous déplacé au ${jour(dateOf(res.rdv.start))} à ${heure(res.rdv.start)}.`); changed(); return }
      info.revert()
      setPanel({kind: 'drop', rdv, start, agentId: to, result: res})
    }).catch(e => { info.revert(); fail(e) })
  }

  const booked = (rdv: app.RdvView, message: string) => {
    setFlash(message)
    setDate(dateOf(rdv.start))
    setPanel({kind: 'rdv', id: rdv.id})
    changed()
  }

  return (
    <>
      <nav className="toolbar agenda-toolbar" aria-label="Navigation de l’agenda">
        <button type="button" onClick={() => setDate(startup.today)} aria-keyshortcuts="t">Aujourd’hui</button>
        <button type="button" onClick={() => go(-step)} aria-label={view === 'resourceTimeGridDay' ? 'Jour précédent' : 'Semaine précédente'} aria-keyshortcuts="p">‹</button>
        <button type="button" onClick={() => go(step)} aria-label={view === 'resourceTimeGridDay' ? 'Jour suivant' : 'Semaine suivante'} aria-keyshortcuts="n">›</button>
        <DayLabel text={view === 'resourceTimeGridDay' ? jour(date) : 'semaine du ' + jour(mondayOf(date))}/>
        <label><span className="visually-hidden">Aller au</span><DateInput value={date} onChange={d => d && setDate(d)}/></label>
        <div role="group" aria-label="Vue" className="segmented">
          <button type="button" aria-pressed={view === 'resourceTimeGridDay'} onClick={() => setView('resourceTimeGridDay')} aria-keyshortcuts="j">Jour</button>
          <button type="button" aria-pressed={view === 'resourceTimeGridWeek'} onClick={() => setView('resourceTimeGridWeek')} aria-keyshortcuts="s">Semaine</button>
        </div>
        <PlaceFilters lieuId={lieuId} setLieuId={setLieuId} agentId={shownAgent} setAgentId={setAgentId} compact allAgents={!week}/>
        <label><input type="checkbox" checked={showCancelled} onChange={e => setShowCancelled(e.target.checked)}/> <span className="visually-hidden">Afficher les </span>Annulés</label>
        <div role="group" aria-label="Échelle de la grille" className="segmented">
          <button type="button" onClick={() => setZoom(zoom - 1)} disabled={zoom === 0} aria-label="Réduire l’échelle">−</button>
          <button type="button" onClick={() => setZoom(zoom + 1)} disabled={zoom === ZOOMS.length - 1} aria-label="Agrandir l’échelle">+</button>
        </div>
        <button type="button" className="primary" onClick={() => setPanel({kind: 'book', focus: 'motif'})} aria-keyshortcuts="r">Trouver un créneau</button>
      </nav>
      <p className="flash" role="status">{flash}</p>
      <div className="workspace">
        <main className="agenda" aria-label="Agenda" ref={main} style={{'--slot-h': `${pxPerMin * SLOT_MIN}px`} as React.CSSProperties}>
          <FullCalendar
            ref={calendar}
            plugins={[resourceTimeGridPlugin, interactionPlugin]}
            schedulerLicenseKey="GPL-My-Project-Is-Open-Source"
            locale={frLocale}
            initialView={view}
            initialDate={date}
            headerToolbar={false}
            height="100%"
            allDaySlot={false}
            slotMinTime="07:00:00"
            slotMaxTime={`${GRID_LAST_HOUR + 1}:00:00`}
            slotDuration={`00:${SLOT_MIN}:00`}
            scrollTime={openAt}
            scrollTimeReset={false}
            slotLabelInterval="01:00"
            slotLabelContent={arg => heure(arg.date.toISOString())}
            nowIndicator={true}
            now={() => new Date(Date.now() + clockOffset)}
            selectable={true}
            selectMinDistance={0}
            select={info => select(info.start, info.resource?.id)}
            editable={true}
            eventDurationEditable={false}
            eventResourceEditable={true}
            eventInteractive={true}
            eventClick={info => { const r = info.event.extendedProps.rdv as app.GridRdv | undefined; if (r) setPanel({kind: 'rdv', id: r.id}) }}
            eventDrop={drop}
            viewDidMount={arg => fixGridAccessibility(arg.el)}
            datesSet={() => requestAnimationFrame(() => main.current && fixGridAccessibility(main.current))}
            eventsSet={() => requestAnimationFrame(() => main.current && fixGridAccessibility(main.current))}
            resources={resources}
            resourceLabelContent={arg => (
              <span className="resource-label">
                {arg.resource.title}{' '}
                <button type="button" className="book-here" onClick={() => setPanel({kind: 'book', focus: 'motif', agentId: arg.resource.id})}>
                  Réserver<span className="visually-hidden"> dans l’agenda {arg.resource.title}</span>
                </button>
              </span>
            )}
            events={fetchEvents}
            eventContent={arg => {
              const r = arg.event.extendedProps.rdv as app.GridRdv | undefined
              if (!r) return null
              return <RdvContent r={r} lines={linesFor(r, pxPerMin)}/>
            }}
          />
        </main>
        {panel && (
          <aside className="panel" aria-label={panel.kind === 'rdv' ? 'Rendez-vous' : panel.kind === 'book' ? 'Nouveau rendez-vous' : 'Déplacement refusé'}>
            {panel.kind === 'book' && <BookingPanel key={JSON.stringify(panel)} preset={panel.preset} focus={panel.focus} agentId={panel.agentId} date={date} lieuId={lieuId}
              onBooked={booked} onClose={() => setPanel(null)}/>}
            {panel.kind === 'rdv' && <RdvPanel key={panel.id} id={panel.id} onClose={() => setPanel(null)} onMoved={booked} onSaid={setFlash}/>}
            {panel.kind === 'drop' && (
              <DropRefused panel={panel} onDone={booked} onClose={() => setPanel(null)}/>
            )}
          </aside>
        )}
      </div>
    </>
  )
}

/**
 * The day shown, « Mardi 10 mars »: its year is read, not shown (the « Aller au » field beside it
 * shows it), so that the toolbar keeps one line at 1366 px with its choices read in full.
 */
function DayLabel({text}: {text: string}) {
  const year = text.lastIndexOf(' ')
  return (
    <span className="day" aria-live="polite" data-testid="current-day">
      {text.slice(0, year)}<span className="visually-hidden">{text.slice(year)}</span>
    </span>
  )
}

function mondayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay()
  return addDays(date, -((wd + 6) % 7))
}

/** A drag and drop the engine refused: the reason, the next free slots, or « Déplacer quand même ». */
function DropRefused({panel, onDone, onClose}: {panel: Extract<Panel, {kind: 'drop'}>; onDone: (r: app.RdvView, m: string) => void; onClose: () => void}) {
  const {fail} = useApp()
  const [result, setResult] = useState(panel.result)
  const move = (start: string, agentId: string, override: boolean) =>
    Move(panel.rdv.id, start, agentId, override).then(res => {
      if (res.rdv) onDone(res.rdv, `Rendez-vous déplacé au ${jour(dateOf(res.rdv.start))} à ${heure(res.rdv.start)}.`)
      else setResult(res)
    }).catch(fail)
  return (
    <section aria-labelledby="drop-title">
      <h2 id="drop-title">Déplacement de {panel.rdv.usagers.join(', ')}</h2>
      <p className="error" role="alert">{result.message}</p>
      {result.warning && <button type="button" onClick={() => move(panel.start, panel.agentId, true)}>Déplacer quand même</button>}
      <Alternatives slots={result.alternatives} label="Déplacer à ce créneau" onPick={s => move(s.start, s.agentId, false)}/>
      <button type="button" onClick={onClose}>Fermer</button>
    </section>
  )
}

/** The grid's step: a click books at this precision. */
const SLOT_MIN = 10
/** The grid's last hour row (it ends at 19 h); today opens on it after closing time. */
const GRID_LAST_HOUR = 18
/** One line of an event's text (12 px type on 14 px lines, and its top padding), in px. */
const LINE_PX = 15
/** Without RDVs, the scale of 30-minute ones. */
const DEFAULT_SHORTEST_MIN = 30
/** The agent's zoom steps over the scale that keeps the shortest RDV legible. */
const ZOOMS = [1, 1.5, 2, 3]
const ZOOM_KEY = 'rdv-guichet.agenda.zoom'

/** The shortest RDV of a view, in minutes: the scale follows it. */
function shortestMinutes(rdvs: app.GridRdv[]): number {
  const d = rdvs.map(r => (Date.parse(r.end) - Date.parse(r.start)) / 60_000).filter(m => m > 0)
  return d.length ? Math.min(...d) : DEFAULT_SHORTEST_MIN
}

/**
 * Pixels per minute: the shortest RDV gets at least one line (its time and name, a pixel above its
 * neighbour), never less than 1 px a minute, times the agent's zoom. 10-minute RDVs: 1.6 px/min,
 * 6 ¼ hours in the 600 px a 1366 × 768 screen leaves to the grid.
 */
function scale(shortest: number, zoom: number): number {
  return Math.max(1, (LINE_PX + 1) / shortest) * ZOOMS[zoom]
}

/** How many lines of text an RDV's box holds at this scale. */
function linesFor(r: app.GridRdv, pxPerMin: number): number {
  return Math.max(1, Math.floor(((Date.parse(r.end) - Date.parse(r.start)) / 60_000 * pxPerMin - 1) / LINE_PX))
}

/** Scrolls the time grid so that the slot of time (HH:MM:SS) is its first visible row. */
function scrollGridTo(root: HTMLElement, time: string) {
  const lane = root.querySelector<HTMLElement>(`td.fc-timegrid-slot-lane[data-time="${time}"]`)
  const scroller = lane?.closest<HTMLElement>('.fc-scroller')
  if (!lane || !scroller) return
  scroller.scrollTop += lane.getBoundingClientRect().top - scroller.getBoundingClientRect().top
}

/** The zoom index, kept between sessions on this poste. */
function useStoredZoom(): [number, (z: number) => void] {
  const [zoom, setZoom] = useState(() => Math.min(ZOOMS.length - 1, Math.max(0, Number(localStorage.getItem(ZOOM_KEY)) || 0)))
  return [zoom, z => { localStorage.setItem(ZOOM_KEY, String(z)); setZoom(z) }]
}

/**
 * An RDV in the grid: its time and usagers on the first line; its status (one badge: « Arrivé »
 * replaces « À venir ») and motif on the second when the box holds two lines, after the name
 * otherwise. The full text is its title.
 */
function RdvContent({r, lines}: {r: app.GridRdv; lines: number}) {
  const names = (r.usagers ?? []).join(', ')
  const motif = `${r.motifName}${r.documents > 1 ? ` · ${r.documents} titres` : ''}`
  const arrived = !!r.arrivedAt && r.status === 'unknown'
  const badge = <span className={'badge' + (arrived ? ' badge-arrived' : '')}>{arrived ? 'Arrivé' : r.statusLabel}</span>
  return (
    <div className="rdv-text" title={`${heure(r.start)} ${names} — ${r.motifName} — ${arrived ? 'arrivé' : r.statusLabel}`}>
      <span className="rdv-line"><strong>{heure(r.start)}</strong> {names}{lines < 2 && <span className="rdv-motif"> · {motif}</span>}</span>
      {lines >= 2 && <span className="rdv-line">{badge}{motif}</span>}
    </div>
  )
}
