// The kiosk's in-page keyboards (the Windows touch keyboard is unreliable in WebView2, domain.md
// 11): what each one shows and what a key does to the field it types into. Pure, so that vitest
// checks the layouts and the typing rules.

/** What a field holds, and so which keyboard it gets. */
export type KeyboardKind = 'name' | 'code' | 'predemande' | 'phone'

/** Keys that are not characters. */
export const BACKSPACE = 'Effacer'
export const SPACE = 'Espace'

const AZERTY = [
  ['a', 'z', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p'],
  ['q', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm'],
  ['w', 'x', 'c', 'v', 'b', 'n'],
]
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0']
/** The accented letters of French names (SCENARIOS.md: é è ê à ç ï ô œ), plus ë and â. */
export const ACCENTS = ['é', 'è', 'ê', 'ë', 'à', 'â', 'ç', 'ï', 'ô', 'œ']

/** The characters of a check-in short code: no 0/O nor 1/I (backend/checkin ShortAlphabet). */
export const SHORT_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'
export const SHORT_LENGTH = 8
export const PREDEMANDE_LENGTH = 10
export const PHONE_LENGTH = 10
const NAME_LENGTH = 60
/** What a name may hold: Latin letters with their accents, spaces, hyphens, apostrophes. */
const LATIN = /^[\p{Script=Latin}\s'’-]$/u

/** The rows of character keys of a keyboard; every keyboard also has BACKSPACE. */
export function layout(kind: KeyboardKind): string[][] {
  switch (kind) {
  case 'name':
    return [ACCENTS, ...AZERTY.slice(0, 2), [...AZERTY[2], '-', '\'']]
  case 'code':
    return [DIGITS.filter(d => SHORT_ALPHABET.includes(d)), ...AZERTY.map(row => row.map(k => k.toUpperCase()).filter(k => SHORT_ALPHABET.includes(k)))]
  case 'predemande':
    return [DIGITS, ...AZERTY.map(row => row.map(k => k.toUpperCase()))]
  case 'phone':
    return [['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9'], ['0']]
  }
}

/** Whether the keyboard has a space bar. */
export const hasSpace = (kind: KeyboardKind) => kind === 'name'

/**
 * The field's value after a key: a character of the layout, SPACE or BACKSPACE. Names take a
 * capital at the start of each word (« Hélène », « Jean-Pierre », « D'Artagnan ») so that the
 * usager need not find a shift key; codes are upper case; every field has its maximum length.
 */
export function applyKey(kind: KeyboardKind, value: string, key: string): string {
  if (key === BACKSPACE) return Array.from(value).slice(0, -1).join('')
  return clean(kind, value + (key === SPACE ? ' ' : key))
}

/**
 * What a field keeps of what was typed, on screen or on a real keyboard: the characters its
 * keyboard has, in its case, up to its length.
 */
export function clean(kind: KeyboardKind, typed: string): string {
  switch (kind) {
  case 'name': {
    let out = ''
    for (const ch of Array.from(typed)) {
      if (out.length >= NAME_LENGTH) break
      if (!LATIN.test(ch)) continue // names as on French papers: Latin letters (the screen says so)
      if (ch === ' ' && (out === '' || out.endsWith(' '))) continue
      const start = out === '' || /[\s\-']$/.test(out)
      out += start ? ch.toLocaleUpperCase('fr-FR') : ch
    }
    return out
  }
  case 'code':
    return typed.toUpperCase().split('').filter(c => SHORT_ALPHABET.includes(c)).join('').slice(0, SHORT_LENGTH)
  case 'predemande':
    return typed.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, PREDEMANDE_LENGTH)
  case 'phone':
    return typed.replace(/\D/g, '').slice(0, PHONE_LENGTH)
  }
}

/** « 06 12 34 56 78 » while the phone is typed. */
export function spacedPhone(digits: string): string {
  return digits.replace(/(\d{2})(?=\d)/g, '$1 ')
}
