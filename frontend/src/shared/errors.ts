/**
 * A bound Go method's refusal, as the frontend reads it. Go's door (app's userError) rejects the
 * promise with JSON: {"code": "slot_taken", "message": "Ce créneau vient d'être pris.", "fields":
 * [...]}. The screens switch on code, never on the text; message is the text to show, already in
 * the user's language. Anything else (Wails' own failures, a bug in TypeScript) is read as an
 * unexpected error whose message is its text.
 */
export type FieldError = {field: string; code?: string; message: string}

export type GoError = {code: string; message: string; fields?: FieldError[]}

/** The code of a failure that did not come from Go's door. */
export const UNEXPECTED = 'internal'

/** The code of a call made without a session (agenda.CodeSignedOut): the sign-in screen again. */
export const SIGNED_OUT = 'signed_out'

/** The code of a poste secondaire whose poste principal does not answer (agenda.CodePosteInjoignable). */
export const POSTE_UNREACHABLE = 'poste_injoignable'

export function parseError(e: unknown): GoError {
  const text = e instanceof Error ? e.message : typeof e === 'string' ? e : e == null ? '' : asText(e)
  const parsed = fromJSON(text) ?? (typeof e === 'object' && e !== null && !(e instanceof Error) ? fromObject(e) : undefined)
  return parsed ?? {code: UNEXPECTED, message: text || 'Erreur inattendue.'}
}

function fromJSON(text: string): GoError | undefined {
  const t = text.trim()
  if (!t.startsWith('{')) return undefined
  try {
    return fromObject(JSON.parse(t))
  } catch {
    return undefined
  }
}

function fromObject(o: unknown): GoError | undefined {
  if (typeof o !== 'object' || o === null) return undefined
  const {code, message, fields} = o as Record<string, unknown>
  if (typeof code !== 'string' || typeof message !== 'string') return undefined
  const out: GoError = {code, message}
  if (Array.isArray(fields)) {
    out.fields = fields.filter((f): f is FieldError => typeof f === 'object' && f !== null &&
      typeof (f as FieldError).field === 'string' && typeof (f as FieldError).message === 'string')
  }
  return out
}

function asText(e: unknown): string {
  try {
    return typeof e === 'object' ? JSON.stringify(e) : String(e)
  } catch {
    return String(e)
  }
}
