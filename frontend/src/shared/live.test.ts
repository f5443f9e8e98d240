import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {DATA_CHANGED, onDataChanged} from './live'

/** The Wails runtime as the window has it: listeners by name, each with its remover. */
function fakeRuntime() {
  const listeners = new Map<string, ((...a: unknown[]) => void)[]>()
  return {
    emit: (name: string) => (listeners.get(name) ?? []).forEach(l => l()),
    count: (name: string) => (listeners.get(name) ?? []).length,
    runtime: {
      EventsOnMultiple(name: string, cb: (...a: unknown[]) => void) {
        listeners.set(name, [...(listeners.get(name) ?? []), cb])
        return () => listeners.set(name, (listeners.get(name) ?? []).filter(l => l !== cb))
      },
    },
  }
}

describe('onDataChanged', () => {
  let rt: ReturnType<typeof fakeRuntime>
  beforeEach(() => {
    vi.useFakeTimers()
    rt = fakeRuntime()
    vi.stubGlobal('window', {runtime: rt.runtime})
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('reloads once per burst, after the last event', () => {
    const reload = vi.fn()
    onDataChanged(reload, 150)
    rt.emit(DATA_CHANGED)
    vi.advanceTimersByTime(100)
    rt.emit(DATA_CHANGED)
    vi.advanceTimersByTime(100)
    expect(reload).not.toHaveBeenCalled()
    vi.advanceTimersByTime(50)
    expect(reload).toHaveBeenCalledTimes(1)
    rt.emit(DATA_CHANGED)
    vi.advanceTimersByTime(150)
    expect(reload).toHaveBeenCalledTimes(2)
  })

  it('ignores other events, and stops listening when asked, a pending reload included', () => {
    const reload = vi.fn()
    const off = onDataChanged(reload, 150)
    rt.emit('autre')
    vi.advanceTimersByTime(500)
    expect(reload).not.toHaveBeenCalled()
    rt.emit(DATA_CHANGED)
    off()
    expect(rt.count(DATA_CHANGED)).toBe(0)
    vi.advanceTimersByTime(500)
    expect(reload).not.toHaveBeenCalled()
  })
})
