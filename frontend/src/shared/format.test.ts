import {describe, expect, it} from 'vitest'
import {addDays, attente, dateOf, heure, jour, quand, scrollTimeNow, telephone} from './format'

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

describe('attente', () => {
  it('says how long an usager has waited', () => {
    expect(attente(0)).toBe('vient d’arriver')
    expect(attente(4)).toBe('attend depuis 4\u202fmin')
    expect(attente(65)).toBe('attend depuis 1\u202fh\u202f05')
  })
})

describe('telephone', () => {
  it('writes French numbers by pairs', () => {
    expect(telephone('+33612345678')).toBe('06\u00a012\u00a034\u00a056\u00a078')
    expect(telephone('+32470123456')).toBe('+32470123456')
  })
})

describe('quand', () => {
  it('writes the day and the hour, with the year only when it differs', () => {
    expect(quand('2026-03-12T09:00:00Z', 'Europe/Paris', 2026)).toBe('jeudi 12 mars à 10\u202fh\u202f00')
    expect(quand('2027-01-05T09:00:00Z', 'Europe/Paris', 2026)).toBe('mardi 5 janvier 2027 à 10\u202fh\u202f00')
  })
})

describe('dateOf', () => {
  it('gives the civil date in the zone', () => {
    expect(dateOf('2026-03-09T23:30:00Z')).toBe('2026-03-10')
  })
})

describe('scrollTimeNow', () => {
  it('is the Paris hour before now, late in the day as in the morning', () => {
    expect(scrollTimeNow(new Date('2026-03-10T15:20:00Z'))).toBe('15:00:00') // 16 h 20 in Paris
    expect(scrollTimeNow(new Date('2026-03-10T07:45:00Z'))).toBe('07:00:00')
    expect(scrollTimeNow(new Date('2026-03-09T23:30:00Z'))).toBe('00:00:00') // 0 h 30
  })
  it('stops at the grid\'s last hour after closing', () => {
    expect(scrollTimeNow(new Date('2026-12-02T19:06:00Z'), 18)).toBe('18:00:00') // 20 h 06 in Paris
    expect(scrollTimeNow(new Date('2026-12-02T09:06:00Z'), 18)).toBe('09:00:00')
  })
})
