import {describe, expect, it} from 'vitest'
import {IntlMessageFormat} from 'intl-messageformat'
import {catalogues, dayLabel, LANGS, timeLabel} from './i18n'

describe('kiosk catalogues', () => {
  it('every language has every text of the French catalogue, and each one parses', () => {
    const ids = Object.keys(catalogues.fr).sort()
    for (const {code, locale} of LANGS) {
      expect(Object.keys(catalogues[code]).sort(), code).toEqual(ids)
      for (const [id, text] of Object.entries(catalogues[code])) {
        expect(() => new IntlMessageFormat(text, locale), `${code} ${id}`).not.toThrow()
        expect(text.trim(), `${code} ${id}`).not.toBe('')
      }
    }
  })
  it('keeps the params of the French text', () => {
    const params = (s: string) => [...s.matchAll(/\{(\w+)[,}]/g)].map(m => m[1]).filter((p, i, a) => a.indexOf(p) === i).sort()
    for (const {code} of LANGS) {
      for (const [id, text] of Object.entries(catalogues.fr)) {
        expect(params(catalogues[code][id]), `${code} ${id}`).toEqual(params(text))
      }
    }
  })
})

describe('dates and times', () => {
  it('writes the office\'s wall clock in each language', () => {
    const start = '2026-03-10T11:20:00+01:00'
    expect(timeLabel('fr', start)).toBe('11\u202fh\u202f20')
    expect(timeLabel('en', start)).toBe('11:20')
    expect(timeLabel('ar', start)).toBe('11:20')
    expect(dayLabel('fr', '2026-03-10', 2026)).toBe('mardi 10 mars')
    expect(dayLabel('en', '2026-03-10', 2026)).toBe('Tuesday 10 March')
    expect(dayLabel('tr', '2026-03-10', 2026)).toBe('10 Mart Salı')
    expect(dayLabel('fr', '2027-01-05', 2026)).toBe('mardi 5 janvier 2027')
  })
})
