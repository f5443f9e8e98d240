// French date and time formatting as the trade writes it: « mardi 3 mars 2026 », « 9 h 30 »
// (with a narrow no-break space around the h).

const NNBSP = '\u202f'

const formats = new Map<string, Intl.DateTimeFormat>()

/**
 * The formatter for a locale and options, built once: each Intl.DateTimeFormat holds an ICU
 * formatter, and the agenda formats two times per RDV at every render — built each time, they
 * weighed about 10 MB in the window's web process once the day's agenda was shown (issue 16).
 */
export function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options)
  let f = formats.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options)
    formats.set(key, f)
  }
  return f
}

/** « 9 h 30 », « 14 h 00 » for an instant, in the given IANA zone. */
export function heure(iso: string, timeZone = 'Europe/Paris'): string {
  const parts = formatter('fr-FR', {hour: 'numeric', minute: '2-digit', hourCycle: 'h23', timeZone})
    .formatToParts(new Date(iso))
  const h = parts.find(p => p.type === 'hour')?.value ?? ''
  const m = parts.find(p => p.type === 'minute')?.value ?? ''
  return `${Number(h)}${NNBSP}h${NNBSP}${m}`
}

/** « mardi 3 mars 2026 » for a YYYY-MM-DD civil date. */
export function jour(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  return formatter('fr-FR', {weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC'})
    .format(new Date(Date.UTC(y, m - 1, d)))
}

/** The civil date n days after a YYYY-MM-DD date. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}

/** « attend depuis 4 min », « attend depuis 1 h 05 », « vient d'arriver » for a wait in minutes. */
export function attente(minutes: number): string {
  if (minutes < 1) return 'vient d’arriver'
  if (minutes < 60) return `attend depuis ${minutes}${NNBSP}min`
  const h = Math.floor(minutes / 60)
  const m = String(minutes % 60).padStart(2, '0')
  return `attend depuis ${h}${NNBSP}h${NNBSP}${m}`
}

/** « 06 12 34 56 78 » for a French E.164 number; other numbers unchanged. */
export function telephone(e164: string): string {
  if (!/^\+33\d{9}$/.test(e164)) return e164
  return ('0' + e164.slice(3)).replace(/(\d{2})(?=\d)/g, '$1\u00a0')
}

/** « jeudi 12 mars à 10 h 00 » for an instant (the year when it is not the current one). */
export function quand(iso: string, timeZone = 'Europe/Paris', currentYear = new Date().getFullYear()): string {
  const d = new Date(iso)
  const opts: Intl.DateTimeFormatOptions = {weekday: 'long', day: 'numeric', month: 'long', timeZone}
  const year = Number(formatter('fr-FR', {year: 'numeric', timeZone}).format(d))
  if (year !== currentYear) opts.year = 'numeric'
  return `${formatter('fr-FR', opts).format(d)} à ${heure(iso, timeZone)}`
}

/** The civil date (YYYY-MM-DD) of an instant in a zone. */
export function dateOf(iso: string, timeZone = 'Europe/Paris'): string {
  return formatter('en-CA', {year: 'numeric', month: '2-digit', day: '2-digit', timeZone}).format(new Date(iso))
}

/** « né le 3 avril 1980 » style date for a YYYY-MM-DD birth date, without the weekday. */
export function dateLongue(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  return formatter('fr-FR', {day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC'}).format(new Date(Date.UTC(y, m - 1, d)))
}

/**
 * The time to scroll the grid to on today: the hour before now, so the next RDVs are in view, and
 * at most lastHour — after closing, the end of the day rather than a time past the grid, which
 * FullCalendar ignores (the grid then stayed at its top). The hour is read from its part: French
 * formats it « 16 h », which is no number.
 */
export function scrollTimeNow(now: Date, lastHour = 23): string {
  const hour = formatter('fr-FR', {hour: 'numeric', hourCycle: 'h23', timeZone: 'Europe/Paris'}).formatToParts(now)
    .find(p => p.type === 'hour')?.value
  const h = Number(hour)
  return `${String(Math.min(lastHour, Math.max(0, h - 1))).padStart(2, '0')}:00:00`
}
