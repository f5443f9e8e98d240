import {describe, expect, it} from 'vitest'
import {addDays, heure, jour} from './format'

describe('heure', () => {
  it('writes French hours with narrow no-break spaces, in Paris time', () => {
    expect(heure('2026-03-03T08:30:00Z')).toBe('9\u202fh\u202f30')
    expect(heure('2026-07-14T12:00:00Z')).toBe('14\u202fh\u202f00')
  })
  it('follows the DST switch', () => {
    expect(heure('2026-03-28T08:00:00Z')).toBe('9\u202fh\u202f00')
    expect(heure('2026-03-30T07:00:00Z')).toBe('9\u202fh\u202f00')
  })
})

describe('jour', () => {
  it('spells the day in French', () => {
    expect(jour('2026-03-03')).toBe('mardi 3 mars 2026')
  })
})

describe('addDays', () => {
  it('crosses months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })
})
