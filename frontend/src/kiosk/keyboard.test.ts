import {describe, expect, it} from 'vitest'
import {ACCENTS, BACKSPACE, SHORT_ALPHABET, SPACE, applyKey, clean, layout, spacedPhone} from './keyboard'

const type = (kind: Parameters<typeof applyKey>[0], keys: string[]) => keys.reduce((v, k) => applyKey(kind, v, k), '')

describe('layouts', () => {
  it('is AZERTY with the accents of French names', () => {
    const name = layout('name')
    expect(name[1].join('')).toBe('azertyuiop')
    expect(name[2].join('')).toBe('qsdfghjklm')
    for (const a of ['é', 'è', 'ê', 'à', 'ç', 'ï', 'ô', 'œ']) expect(name.flat()).toContain(a)
    expect(name.flat()).toEqual(expect.arrayContaining(['-', '\'']))
  })
  it('offers only the characters of a short code', () => {
    const keys = layout('code').flat()
    expect([...keys].sort().join('')).toBe([...SHORT_ALPHABET].sort().join(''))
    expect(keys).not.toContain('O')
    expect(keys).not.toContain('1')
    expect(layout('code')[1].join('')).toBe('AZERTYUP')
  })
  it('has every letter and digit for a pré-demande, and a phone pad', () => {
    expect(layout('predemande').flat()).toHaveLength(36)
    expect(layout('phone').flat().sort().join('')).toBe('0123456789')
  })
})

describe('applyKey', () => {
  it('capitalises each word of a name', () => {
    expect(type('name', ['h', 'é', 'l', 'è', 'n', 'e'])).toBe('Hélène')
    expect(type('name', ['j', 'e', 'a', 'n', '-', 'p', 'i', 'e', 'r', 'r', 'e', SPACE, 'd', '\'', 'a', 'r'])).toBe('Jean-Pierre D\'Ar')
    expect(type('name', ['œ', 'i', 'l'])).toBe('Œil')
    expect(ACCENTS.map(a => applyKey('name', 'X', a))).toEqual(ACCENTS.map(a => 'X' + a))
  })
  it('erases one character, accents included', () => {
    expect(applyKey('name', 'Lefèvre', BACKSPACE)).toBe('Lefèvr')
    expect(applyKey('name', 'È', BACKSPACE)).toBe('')
    expect(applyKey('code', '', BACKSPACE)).toBe('')
  })
  it('refuses a leading or double space', () => {
    expect(type('name', [SPACE, 'a', SPACE, SPACE, 'b'])).toBe('A B')
  })
  it('stops at each field\'s length', () => {
    expect(type('code', 'K7PQ3XMAB'.split(''))).toBe('K7PQ3XMA')
    expect(type('phone', '06123456789'.split(''))).toBe('0612345678')
    expect(type('predemande', 'AB12CD34EFG'.split(''))).toBe('AB12CD34EF')
  })
})

describe('clean', () => {
  it('keeps what a real keyboard typed, in the field\'s case', () => {
    expect(clean('code', 'k7pq 3xma')).toBe('K7PQ3XMA')
    expect(clean('code', 'O1I0')).toBe('')
    expect(clean('predemande', 'ab12-cd34 ef')).toBe('AB12CD34EF')
    expect(clean('phone', '06 12 34 56 78')).toBe('0612345678')
    expect(clean('name', 'lefèvre')).toBe('Lefèvre')
    // Typed on a real keyboard in another script: only Latin letters stay (names as on French papers).
    expect(clean('name', 'محمد Ben-Ali')).toBe('Ben-Ali')
    expect(clean('name', 'Çelik Öztürk')).toBe('Çelik Öztürk')
  })
  it('spaces a phone number as it is read', () => {
    expect(spacedPhone('0612345')).toBe('06 12 34 5')
  })
})
