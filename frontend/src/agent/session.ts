import {createContext, useContext} from 'react'
import type {app} from '../../wailsjs/go/models'
import {parseError, SIGNED_OUT} from '../shared/errors'

export type AppContext = {
  startup: app.Startup
  session: app.SessionView
  /** Shows an unexpected error, or the sign-in screen when the session has ended. */
  fail: (e: unknown) => void
  /** Tells the other screens that RDVs changed (the agenda refetches, the lists reload). */
  changed: () => void
  version: number
  /**
   * Bumped when the data file changed, whoever wrote it (another counter, the kiosk, the sync):
   * screens reload what they show, without resetting what the agent is doing.
   */
  live: number
  /** Reloads the agendas, lieux and motifs after the settings changed them. */
  refresh: () => void
}

export const Ctx = createContext<AppContext | null>(null)

export function useApp(): AppContext {
  const c = useContext(Ctx)
  if (!c) throw new Error('useApp outside AgentApp')
  return c
}

/** The label of a status button, as the counter says it. */
export function statusAction(status: string): string {
  switch (status) {
    case 'seen': return 'Vu'
    case 'noshow': return 'Lapin (absence non excusée)'
    case 'excused': return 'Excusé (annulé à la demande de l’usager)'
    case 'revoked': return 'Annulé par le service'
    case 'unknown': return 'Réinitialiser'
  }
  return status
}

/**
 * A catch handler for a refusal shown beside the button that asked: show receives the message of
 * Go's refusal; the end of the session (code signed_out) still goes to fail (the sign-in screen).
 */
export function refusal(fail: (e: unknown) => void, show: (message: string) => void): (e: unknown) => void {
  return e => {
    const err = parseError(e)
    if (err.code === SIGNED_OUT) fail(e)
    else show(err.message)
  }
}
