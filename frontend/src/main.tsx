import React from 'react'
import {createRoot} from 'react-dom/client'
import './shared/base.css'
import {installRemote} from './shared/remote'

// One frontend, two rooms: the desktop binds either the agents' services or, with --borne, the
// KioskService alone. The room is chosen by what is bound, so the lobby never loads the agents'
// screens (nor their code: each room is its own chunk). A poste secondaire binds RemoteService
// alone: installRemote first puts its role's services in place (shared/remote.ts).
//
// The room's chunk is imported before the first render rather than through React.lazy: Suspense
// holds a revealed fallback for at least 300 ms (React's throttle), which was most of the gap
// between this window and a bare one at start-up (docs/benchmarks.md).
async function start() {
  await installRemote()
  const kiosk = Boolean((window as unknown as {go?: {app?: {KioskService?: unknown}}}).go?.app?.KioskService)
  const {default: Room} = kiosk ? await import('./kiosk/KioskApp') : await import('./agent/AgentApp')
  createRoot(document.getElementById('root')!).render(
    <React.StrictMode>
      <Room/>
    </React.StrictMode>,
  )
}

start()
