import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app'
import { connect } from './connect'
import { useSession } from './session-store'
import './theme/tokens.css'
import './ui/ui.css'
import './ui/fields.css'
import './ui/notes.css'
import './ui/facts.css'
import './ui/steps.css'
import './ui/dialog.css'
import './ui/code.css'
import './shell/shell.css'
import './servers/servers.css'
import './apps/apps.css'

void useSession.getState().start(connect)

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
