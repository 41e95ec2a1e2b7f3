import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app'
import { connect } from './connect'
import { useApp } from './store'
import './styles.css'

void useApp.getState().start(connect)

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
