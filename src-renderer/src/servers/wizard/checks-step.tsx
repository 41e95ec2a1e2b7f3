import { Button } from '../../ui/button'
import { ErrorNote } from '../../ui/error-note'
import { StepRow } from '../../ui/step-row'
import { FactsList } from '../server-facts'
import { useServers } from '../servers-store'
import { StepTitle } from './step-title'
import { useWizard } from './wizard-store'

export function ChecksStep() {
  const added = useWizard((state) => state.added)
  const { name, where } = useWizard((state) => state.form)
  const facts = useServers((state) => (added?.status === 'done' ? state.facts[added.value.id] : undefined))
  const { connect, editAddress, go } = useWizard.getState()
  const retry = (
    <Button variant="primary" onClick={() => void connect()}>
      Retry
    </Button>
  )
  return (
    <section className="wizard-step">
      <StepTitle>Connect and check</StepTitle>
      <ol className="panel steps" aria-label="Checks">
        <StepRow
          state={added?.status ?? 'waiting'}
          label={where === 'ssh' ? `Save ${name} with the confirmed host key and sign in` : `Save ${name}`}
        >
          {added?.status === 'failed' && (
            <ErrorNote
              failure={added.failure}
              actions={
                <>
                  {retry}
                  <Button onClick={editAddress}>{where === 'ssh' ? 'Edit address' : 'Back'}</Button>
                </>
              }
            />
          )}
        </StepRow>
        <StepRow state={facts?.status ?? 'waiting'} label="Read its system, Docker and free resources">
          {facts?.status === 'failed' && <ErrorNote failure={facts.failure} actions={retry} />}
          {facts?.status === 'done' && <FactsList facts={facts.value} />}
        </StepRow>
      </ol>
      {facts?.status === 'done' && (
        <div className="wizard-actions">
          <Button variant="ghost" onClick={() => go('done')}>
            Skip provisioning
          </Button>
          <Button variant="primary" onClick={() => go('provision')}>
            Continue to provisioning
          </Button>
        </div>
      )}
    </section>
  )
}
