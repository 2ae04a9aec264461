// In the preflight, when the engine's kernel has no IPVS or IPIP: LVS Lab's own kernel has
// both, one click away. The preflight runs again after the switch (see app/wiring.ts).
import { engineSwitching, useEngineStore } from '../../stores/engine-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { confirmSwitch } from './confirm-switch.js';
import { EngineProgress, FirstStartNote } from './EngineProgress.js';

export function BuiltinKernelOffer() {
  const switching = useEngineStore(engineSwitching);
  const busy = useEngineStore((s) => s.busy);
  const error = useEngineStore((s) => (s.error?.action === 'use' ? s.error.error : null));
  const failedProgress = useEngineStore((s) => s.progress.failed);
  const use = useEngineStore((s) => s.use);
  const dismiss = useEngineStore((s) => s.dismissError);
  return (
    <section className="notice notice-warn builtin-offer" aria-label="LVS Lab's built-in kernel">
      <p className="builtin-offer-text">
        <strong>This kernel cannot run LVS-TUN.</strong>{' '}
        {"LVS Lab's built-in kernel can: Linux 6.12 with IPVS and IPIP, in one container."}
      </p>
      <div className="notice-actions">
        <button
          type="button"
          className="primary"
          disabled={switching || busy !== null}
          onClick={() => {
            if (confirmSwitch()) void use('builtin');
          }}
        >
          Use the built-in kernel
        </button>
      </div>
      {switching || (error !== null && failedProgress) ? <EngineProgress /> : <FirstStartNote />}
      {error ? (
        <ErrorNotice title="The built-in kernel could not be started" error={error} onDismiss={dismiss} />
      ) : null}
    </section>
  );
}
