// The kiosk's idle reset (WCAG 2.2.1, domain.md 11): after a minute without a touch, a warning with
// a countdown and « Oui, je continue »; when the countdown ends, everything typed is wiped and the
// home screen returns. Pure timing, without React, so that vitest drives it with fake timers.

/** No touch for this long: the warning. */
export const IDLE_MS = 60_000
/** The warning's countdown. */
export const COUNTDOWN_S = 15

export type IdleEvents = {
  /** The warning shows, or its countdown moves: seconds left. null: the warning is gone. */
  onWarning: (secondsLeft: number | null) => void
  /** Nobody answered: wipe and go home. */
  onExpire: () => void
}

export type IdleTimer = {
  /** Someone touched the screen or typed: the minute starts again, the warning goes. */
  touch: () => void
  /** Stops watching (the home screen, which holds nothing to wipe). */
  stop: () => void
}

/** Starts watching: the first warning comes IDLE_MS after the start or the last touch. */
export function startIdleTimer(events: IdleEvents, idleMs = IDLE_MS, countdownS = COUNTDOWN_S): IdleTimer {
  let idle: ReturnType<typeof setTimeout> | undefined
  let tick: ReturnType<typeof setInterval> | undefined
  let warning = false
  const clear = () => {
    clearTimeout(idle)
    clearInterval(tick)
    idle = tick = undefined
  }
  const warn = () => {
    let left = countdownS
    warning = true
    events.onWarning(left)
    tick = setInterval(() => {
      left--
      if (left > 0) {
        events.onWarning(left)
        return
      }
      clear()
      warning = false
      events.onWarning(null)
      events.onExpire()
    }, 1000)
  }
  const touch = () => {
    clear()
    if (warning) {
      warning = false
      events.onWarning(null)
    }
    idle = setTimeout(warn, idleMs)
  }
  touch()
  return {touch, stop: () => {
    clear()
    if (warning) {
      warning = false
      events.onWarning(null)
    }
  }}
}
