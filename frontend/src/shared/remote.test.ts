import {describe, expect, it} from 'vitest'
import {installRemote} from './remote'

describe('installRemote', () => {
  it('fills window.go with forwarders to RemoteService.Call', async () => {
    const calls: [string, unknown[]][] = []
    const w = {go: {app: {RemoteService: {
      Methods: async () => ['app.KioskService.Home', 'app.KioskService.Book'],
      Call: async (name: string, args: unknown[]) => { calls.push([name, args]); return {ok: name} },
    }}}} as never as {go: Record<string, Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>>}
    await installRemote(w as never)
    expect(Object.keys(w.go.app.KioskService)).toEqual(['Home', 'Book'])
    expect(await w.go.app.KioskService.Book({motifId: 'm'}, 2)).toEqual({ok: 'app.KioskService.Book'})
    expect(calls).toEqual([['app.KioskService.Book', [{motifId: 'm'}, 2]]])
    expect(w.go.app.RemoteService).toBeDefined()
  })
  it('leaves a principal\'s window as it is', async () => {
    const w = {go: {app: {AgentService: {}}}}
    await installRemote(w as never)
    expect(w).toEqual({go: {app: {AgentService: {}}}})
  })
})
