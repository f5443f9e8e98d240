import {describe, expect, it} from 'vitest'
import {parseError, SIGNED_OUT} from './errors'

describe('parseError', () => {
  it('reads the JSON of Go\'s door', () => {
    expect(parseError('{"code":"slot_taken","message":"Ce créneau vient d’être pris."}'))
      .toEqual({code: 'slot_taken', message: 'Ce créneau vient d’être pris.'})
  })
  it('keeps the fields to correct', () => {
    const e = parseError('{"code":"invalid_field","message":"Certains champs sont à corriger.","fields":[{"field":"phone","message":"Numéro invalide."}]}')
    expect(e.code).toBe('invalid_field')
    expect(e.fields).toEqual([{field: 'phone', message: 'Numéro invalide.'}])
  })
  it('reads an Error whose message is the JSON, and an object already parsed', () => {
    expect(parseError(new Error('{"code":"signed_out","message":"Session terminée : reconnectez-vous."}')).code).toBe(SIGNED_OUT)
    expect(parseError({code: 'admin_only', message: 'Réservé.'})).toEqual({code: 'admin_only', message: 'Réservé.'})
  })
  it('turns anything else into an unexpected error with its text', () => {
    expect(parseError('méthode inconnue : Foo')).toEqual({code: 'internal', message: 'méthode inconnue : Foo'})
    expect(parseError(new Error('boom'))).toEqual({code: 'internal', message: 'boom'})
    expect(parseError('{pas du JSON')).toEqual({code: 'internal', message: '{pas du JSON'})
    expect(parseError('{"message":"sans code"}').code).toBe('internal')
    expect(parseError(undefined).message).not.toBe('')
    expect(parseError(42)).toEqual({code: 'internal', message: '42'})
  })
})
