// French date and time formatting as the trade writes it: « mardi 3 mars 2026 », « 9 h 30 »
// (with a narrow no-break space around the h).

const NNBSP = '\u202f'

/** « 9 h 30 », « 14 h 00 » for an instant, in the given IANA zone. */
export function heure(iso: string, timeZone = 'Europe/Paris'): string {
  const parts = new Intl.DateTimeFormat('fr-FR', {hour: 'numeric', minute: '2-digit', hourCycle: 'h23', timeZone})
    .formatToParts(new Date(iso))
  const h = parts.find(p => p.type === 'hour')?.value ?? ''
  const m = parts.find(p => p.type === 'minute')?.value ?? ''
  return `${Number(h)}${NNBSP}h${NNBSP}${m}`
}

/** « mardi 3 mars 2026 » for a YYYY-MM-DD civil date. */
export function jour(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Intl.DateTimeFormat('fr-FR', {weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC'})
    .format(new Date(Date.UTC(y, m - 1, d)))
}

/** The civil date n days after a YYYY-MM-DD date. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}
