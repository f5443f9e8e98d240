// The kiosk's languages (issue 15, #1): the catalogues (locales/*.json, ICU messages read by
// react-intl) and the dates and times written in each language. Only the kiosk speaks them: the
// agents' window, tickets and convocations stay French.
import {formatter} from '../shared/format'
import ar from './locales/ar.json'
import en from './locales/en.json'
import es from './locales/es.json'
import fr from './locales/fr.json'
import pt from './locales/pt.json'
import tr from './locales/tr.json'

export type Lang = 'fr' | 'en' | 'ar' | 'es' | 'pt' | 'tr'

export type LangInfo = {
  code: Lang
  /** The language named in itself, as its button shows it. */
  name: string
  dir: 'ltr' | 'rtl'
  /** The locale of numbers, plurals, dates: Arabic with Western digits, as in France and the Maghreb. */
  locale: string
  /** The speech synthesiser's language; any voice whose language starts with it will do. */
  voice: string
}

export const LANGS: LangInfo[] = [
  {code: 'fr', name: 'Français', dir: 'ltr', locale: 'fr-FR', voice: 'fr'},
  {code: 'en', name: 'English', dir: 'ltr', locale: 'en-GB', voice: 'en'},
  {code: 'ar', name: 'العربية', dir: 'rtl', locale: 'ar-u-nu-latn', voice: 'ar'},
  {code: 'es', name: 'Español', dir: 'ltr', locale: 'es-ES', voice: 'es'},
  {code: 'pt', name: 'Português', dir: 'ltr', locale: 'pt-PT', voice: 'pt'},
  {code: 'tr', name: 'Türkçe', dir: 'ltr', locale: 'tr-TR', voice: 'tr'},
]

export const FRENCH: Lang = 'fr'

export const catalogues: Record<Lang, Record<string, string>> = {fr, en, ar, es, pt, tr}

export const langInfo = (lang: Lang) => LANGS.find(l => l.code === lang)!

/**
 * The wall-clock date and time of an RFC 3339 instant as the office wrote it (its own offset), so
 * that the kiosk shows the office's time whatever the machine's zone.
 */
function wallClock(rfc: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(rfc)
  if (!m) return new Date(NaN)
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0)))
}

/** « 11 h 20 » in French (the project's typography), « 11:20 » in the others. */
export function timeLabel(lang: Lang, rfc: string): string {
  const d = wallClock(rfc)
  if (lang === 'fr') return `${d.getUTCHours()}\u202fh\u202f${String(d.getUTCMinutes()).padStart(2, '0')}`
  return formatter(langInfo(lang).locale, {hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC'}).format(d)
}

/** « mardi 10 mars », « Tuesday 10 March »: the year only when it is not this year. */
export function dayLabel(lang: Lang, date: string, thisYear = new Date().getFullYear()): string {
  const d = wallClock(date)
  return formatter(langInfo(lang).locale, {weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC',
    year: d.getUTCFullYear() === thisYear ? undefined : 'numeric'}).format(d)
}
