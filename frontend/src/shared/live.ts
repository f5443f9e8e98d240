import {EventsOn} from '../../wailsjs/runtime/runtime'

/** The event Go emits when the office's data file changed, whoever wrote it (app/events.go). */
export const DATA_CHANGED = 'donnees-modifiees'

/** The event Go emits when the check run after start-up found the data file damaged (app/health.go). */
export const DATA_FAULT = 'anomalie-fichier'

/**
 * How long the screens wait after the last change before reloading: a burst of changes (a family
 * checked in, a sync page) is one reload.
 */
export const LIVE_DEBOUNCE_MS = 150

/**
 * The slow polling kept in case an event is lost (a window asleep, a watcher restarting): the
 * events bring changes within a second, this only bounds how stale a screen can get.
 */
export const FALLBACK_POLL_MS = 30_000

/** How often a poste secondaire whose poste principal does not answer tries again. */
export const RETRY_MS = 5000

/**
 * Calls onChange once per burst of data changes, LIVE_DEBOUNCE_MS after the last one. Returns the
 * function that stops listening (for a useEffect's clean-up).
 */
export function onDataChanged(onChange: () => void, debounceMs = LIVE_DEBOUNCE_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  const off = EventsOn(DATA_CHANGED, () => {
    clearTimeout(timer)
    timer = setTimeout(onChange, debounceMs)
  })
  return () => {
    off()
    clearTimeout(timer)
  }
}
