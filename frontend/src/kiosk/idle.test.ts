import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {startIdleTimer} from './idle'

describe('startIdleTimer', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  const watch = () => {
    const warnings: (number | null)[] = []
    const onExpire = vi.fn()
    const timer = startIdleTimer({onWarning: s => warnings.push(s), onExpire})
    return {warnings, onExpire, timer}
  }

  it('warns after 60 s, counts 15 s down, then expires', () => {
    const {warnings, onExpire} = watch()
    vi.advanceTimersByTime(59_999)
    expect(warnings).toEqual([])
    vi.advanceTimersByTime(1)
    expect(warnings).toEqual([15])
    vi.advanceTimersByTime(14_000)
    expect(warnings.at(-1)).toBe(1)
    expect(onExpire).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1_000)
    expect(warnings.at(-1)).toBeNull()
    expect(onExpire).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(600_000)
    expect(onExpire).toHaveBeenCalledTimes(1)
  })

  it('starts the minute again at each touch', () => {
    const {warnings, onExpire, timer} = watch()
    vi.advanceTimersByTime(50_000)
    timer.touch()
    vi.advanceTimersByTime(50_000)
    expect(warnings).toEqual([])
    vi.advanceTimersByTime(10_000)
    expect(warnings).toEqual([15])
    expect(onExpire).not.toHaveBeenCalled()
  })

  it('« Oui, je continue » removes the warning and gives a new minute', () => {
    const {warnings, onExpire, timer} = watch()
    vi.advanceTimersByTime(65_000)
    expect(warnings.at(-1)).toBe(10)
    timer.touch()
    expect(warnings.at(-1)).toBeNull()
    vi.advanceTimersByTime(59_000)
    expect(onExpire).not.toHaveBeenCalled()
    vi.advanceTimersByTime(16_000)
    expect(onExpire).toHaveBeenCalledTimes(1)
  })

  it('stops', () => {
    const {warnings, onExpire, timer} = watch()
    vi.advanceTimersByTime(61_000)
    timer.stop()
    expect(warnings.at(-1)).toBeNull()
    vi.advanceTimersByTime(600_000)
    expect(onExpire).not.toHaveBeenCalled()
  })
})
