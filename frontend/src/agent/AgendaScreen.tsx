import {useCallback, useEffect, useMemo, useRef, useState} from 'react'
import FullCalendar from '@fullcalendar/react'
import type {EventDropArg, EventInput, EventSourceFuncArg} from '@fullcalendar/core'
import frLocale from '@fullcalendar/core/locales/fr'
import resourceTimeGridPlugin from '@fullcalendar/resource-timegrid'
import interactionPlugin from '@fullcalendar/interaction'
import {Agenda, Move} from '../../wailsjs/go/app/AgentService'
import type {app} from '../../wailsjs/go/models'
import {addDays, dateOf, heure, jour} from '../shared/format'
import {isTyping} from './AgentApp'
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
  | {kind: 'drop'; rdv: app.RdvView; start: string; agentId: string; result: app.BookResult}
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
  for (const h of v.holidays ?? []) {
    out.push({start: h.date, allDay: true, display: 'background', classNames: ['absence-bg', 'holiday-bg'], title: h.name})
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
  const {startup, fail, changed, version, live} = useApp()
  const [date, setDate] = useState(startup.today)
  const [view, setView] = useState<ViewName>('resourceTimeGridDay')
  const [lieuId, setLieuId] = useState('')
  const [agentId, setAgentId] = useState('')
  const [showCancelled, setShowCancelled] = useState(false)
  const [panel, setPanel] = useState<Panel>(null)
  const [flash, setFlash] = useState('')
  const calendar = useRef<FullCalendar>(null)
  const main = useRef<HTMLElement>(null)
  const plages = useRef<app.BlockView[]>([])
  // Go's clock is the reference (tests freeze it): the grid's « now » follows it.
  const clockOffset = useMemo(() => Date.parse(startup.now) - Date.now(), [startup])

  useEffect(() => { calendar.current?.getApi().gotoDate(date) }, [date])
  useEffect(() => { calendar.current?.getApi().changeView(view) }, [view])
  useEffect(() => { calendar.current?.getApi().refetchEvents() }, [lieuId, agentId, showCancelled, version, live, waiting.length])
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
    Agenda({start: info.startStr.slice(0, 10), end: info.endStr.slice(0, 10), lieuId, agentIds: agentId ? [agentId] : [], includeCancelled: showCancelled})
      .then(v => { plages.current = v.plages; ok(toEvents(v)) })
      .catch(e => { fail(e); failure(new Error(parseError(e).message)) })
  }, [lieuId, agentId, showCancelled, fail])

  const resources = useMemo(() => startup.agents.filter(a => !agentId || a.id === agentId).map(a => ({id: a.id, title: a.name})), [startup, agentId])

  /** A click on free time opens the booking form at that time, with the lieu of the plage there. */
  const select = (start: Date, resourceId: string | undefined) => {
    calendar.current?.getApi().unselect()
    const t = start.getTime()
    const plage = plages.current.find(p => p.agentId === resourceId && Date.parse(p.start) <= t && t < Date.parse(p.end))
    setPanel({kind: 'book', preset: {start: start.toISOString(), agentId: resourceId ?? '', lieuId: plage?.lieuId ?? lieuId}})
  }

  const drop = (info: EventDropArg) => {
    const rdv = info.event.extendedProps.rdv as app.RdvView
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
      <nav className="toolbar" aria-label="Navigation de l'agenda">
        <button type="button" onClick={() => setDate(startup.today)} aria-keyshortcuts="t">Aujourd'hui</button>
        <button type="button" onClick={() => go(-step)} aria-label={view === 'resourceTimeGridDay' ? 'Jour précédent' : 'Semaine précédente'} aria-keyshortcuts="p">‹</button>
        <button type="button" onClick={() => go(step)} aria-label={view === 'resourceTimeGridDay' ? 'Jour suivant' : 'Semaine suivante'} aria-keyshortcuts="n">›</button>
        <span className="day" aria-live="polite" data-testid="current-day">{view === 'resourceTimeGridDay' ? jour(date) : 'semaine du ' + jour(mondayOf(date))}</span>
        <label>Aller au <input type="date" value={date} onChange={e => e.target.value && setDate(e.target.value)}/></label>
        <div role="group" aria-label="Vue" className="segmented">
          <button type="button" aria-pressed={view === 'resourceTimeGridDay'} onClick={() => setView('resourceTimeGridDay')} aria-keyshortcuts="j">Jour</button>
          <button type="button" aria-pressed={view === 'resourceTimeGridWeek'} onClick={() => setView('resourceTimeGridWeek')} aria-keyshortcuts="s">Semaine</button>
        </div>
        <PlaceFilters lieuId={lieuId} setLieuId={setLieuId} agentId={agentId} setAgentId={setAgentId}/>
        <label><input type="checkbox" checked={showCancelled} onChange={e => setShowCancelled(e.target.checked)}/> Afficher les annulés</label>
        <button type="button" className="primary" onClick={() => setPanel({kind: 'book', focus: 'motif'})} aria-keyshortcuts="r">Trouver un créneau</button>
      </nav>
      <p className="flash" role="status">{flash}</p>
      <div className="workspace">
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
            now={() => new Date(Date.now() + clockOffset)}
            selectable={true}
            selectMinDistance={0}
            select={info => select(info.start, info.resource?.id)}
            editable={true}
            eventDurationEditable={false}
            eventResourceEditable={true}
            eventInteractive={true}
            eventClick={info => { const r = info.event.extendedProps.rdv as app.RdvView | undefined; if (r) setPanel({kind: 'rdv', id: r.id}) }}
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
              const r = arg.event.extendedProps.rdv as app.RdvView | undefined
              if (!r) return null
              return (
                <div title={`${heure(r.start)} ${(r.usagers ?? []).join(', ')} — ${r.motifName} — ${r.statusLabel}${r.arrivedAt ? ' — arrivé' : ''}`}>
                  <span className="rdv-line"><strong>{heure(r.start)}</strong> {(r.usagers ?? []).join(', ')}</span>
                  <span className="rdv-line">
                    {r.arrivedAt && r.status === 'unknown' && <span className="badge badge-arrived">Arrivé</span>}
                    <span className="badge">{r.statusLabel}</span>{r.motifName}{r.documents > 1 ? ` · ${r.documents} titres` : ''}
                  </span>
                </div>
              )
            }}
          />
        </main>
        {panel && (
          <aside className="panel" aria-label={panel.kind === 'rdv' ? 'Rendez-vous' : panel.kind === 'book' ? 'Nouveau rendez-vous' : 'Déplacement refusé'}>
            {panel.kind === 'book' && <BookingPanel key={JSON.stringify(panel)} preset={panel.preset} focus={panel.focus} agentId={panel.agentId} date={date} lieuId={lieuId}
              onBooked={booked} onClose={() => setPanel(null)}/>}
            {panel.kind === 'rdv' && <RdvPanel key={panel.id} id={panel.id} onClose={() => setPanel(null)} onMoved={booked}/>}
            {panel.kind === 'drop' && (
              <DropRefused panel={panel} onDone={booked} onClose={() => setPanel(null)}/>
            )}
          </aside>
        )}
      </div>
    </>
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
