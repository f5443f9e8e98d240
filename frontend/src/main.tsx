import React, {lazy, Suspense} from 'react'
import {createRoot} from 'react-dom/client'
import './shared/base.css'
import {installRemote} from './shared/remote'

// One frontend, two rooms: the desktop binds either the agents' services or, with --borne, the
// KioskService alone. The room is chosen by what is bound, so the lobby never loads the agents'
// screens (nor their code: each room is its own chunk). A poste secondaire binds RemoteService
// alone: installRemote first puts its role's services in place (shared/remote.ts).
async function start() {
  await installRemote()
  const kiosk = Boolean((window as unknown as {go?: {app?: {KioskService?: unknown}}}).go?.app?.KioskService)
  const Room = kiosk ? lazy(() => import('./kiosk/KioskApp')) : lazy(() => import('./agent/AgentApp'))
  createRoot(document.getElementById('root')!).render(
    <React.StrictMode>
      <Suspense fallback={null}>
        <Room/>
      </Suspense>
    </React.StrictMode>,
  )
}

start()
