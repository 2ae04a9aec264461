// The built-in kernel the labs run on is gone (crashed, killed, removed): the lab's nodes went
// with it. Says so above every view, with a restart.
import { builtinDied, engineSwitching, useEngineStore } from '../../stores/engine-store.js';

export function EngineDiedBanner() {
  const info = useEngineStore((s) => s.info);
  const busy = useEngineStore((s) => s.busy);
  const switching = useEngineStore(engineSwitching);
  const error = useEngineStore((s) => (s.error?.action === 'use' ? s.error.error : null));
  const use = useEngineStore((s) => s.use);
  if (info === null || !builtinDied(info)) return null;
  const restarting = switching;
  const detail = info.builtin.detail ?? (info.builtin.state === 'absent' ? 'its container is gone' : null);
  return (
    <div className="banner banner-fail" role="alert" aria-label="Built-in kernel stopped">
      <span>
        {`LVS Lab's built-in kernel stopped${detail === null ? '.' : `: ${detail}`}`}
        {restarting ? ' Restarting it…' : ''}
        {!restarting && error ? ` The restart failed: ${error.message}` : ''}
      </span>
      <button
        type="button"
        className="primary"
        disabled={switching || busy !== null}
        onClick={() => {
          // No confirmation: what it would protect went down with the kernel.
          void use('builtin');
        }}
      >
        Restart it
      </button>
    </div>
  );
}
