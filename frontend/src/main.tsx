import React from 'react'
import {createRoot} from 'react-dom/client'
import './shared/base.css'
import AgentApp from './agent/AgentApp'

createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <AgentApp/>
  </React.StrictMode>,
)
