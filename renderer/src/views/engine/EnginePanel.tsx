// The engine: which one runs the labs and why, the setting that chooses it, the built-in
// kernel's start (with its progress), stop and logs. In the picker beside the preflight, and in
// the lab view as a dialog.
import { useId, useState, type ChangeEvent } from 'react';
import type { EngineChoice } from '../../../../shared/engine.js';
import { engineSwitching, useEngineStore } from '../../stores/engine-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { SectionHead } from '../common/SectionHead.js';
import { confirmStopBuiltin, confirmSwitch } from './confirm-switch.js';
import { EngineBadge } from './EngineBadge.js';
import { EngineProgress, FirstStartNote } from './EngineProgress.js';
import { builtinStateText, CHOICE_LABELS } from './engine-text.js';

const CHOICES: EngineChoice[] = ['auto', 'host', 'builtin'];

function isChoice(value: string): value is EngineChoice {
  return (CHOICES as string[]).includes(value);
}

function EngineSetting({ disabled }: { disabled: boolean }) {
  const id = useId();
  const info = useEngineStore((s) => s.info);
  const setting = useEngineStore((s) => s.setting);
  const pendingChoice = useEngineStore((s) => s.pendingChoice);
  const use = useEngineStore((s) => s.use);
  // What is being switched to, else what the core was asked for (kept across restarts).
  const value = pendingChoice ?? info?.choice ?? setting ?? 'auto';
  const change = (event: ChangeEvent<HTMLSelectElement>) => {
    const choice = event.target.value;
    if (isChoice(choice) && confirmSwitch()) void use(choice);
  };
  return (
    <div className="engine-setting">
      <label htmlFor={id}>Engine</label>
      <select id={id} value={value} disabled={disabled} onChange={change}>
        {CHOICES.map((choice) => (
          <option key={choice} value={choice}>
            {CHOICE_LABELS[choice]}
          </option>
        ))}
      </select>
      <span className="dim">Automatic uses the host engine when its kernel has IPVS and IPIP.</span>
    </div>
  );
}

function EngineLogs() {
  const logs = useEngineStore((s) => s.logs);
  const loading = useEngineStore((s) => s.logsLoading);
  const error = useEngineStore((s) => s.logsError);
  const load = useEngineStore((s) => s.loadLogs);
  const [open, setOpen] = useState(false);
  const show = () => {
    setOpen(true);
    void load();
  };
  return (
    <div className="engine-logs">
      <div className="card-actions">
        <button type="button" onClick={show} disabled={loading}>
          {loading ? 'Reading the logs…' : open ? 'Show logs again' : 'Show logs'}
        </button>
        {open ? (
          <button
            type="button"
            onClick={() => {
              setOpen(false);
            }}
          >
            Hide logs
          </button>
        ) : null}
      </div>
      {open && error ? <ErrorNotice title="The logs could not be read" error={error} onRetry={show} /> : null}
      {open && logs !== null ? (
        <pre className="engine-log" tabIndex={0} aria-label="Built-in kernel log">
          {logs === '' ? '(empty)' : logs}
        </pre>
      ) : null}
    </div>
  );
}

export function EnginePanel({ onClose }: { onClose?: () => void }) {
  const titleId = useId();
  const info = useEngineStore((s) => s.info);
  const infoError = useEngineStore((s) => s.infoError);
  const busy = useEngineStore((s) => s.busy);
  const switching = useEngineStore(engineSwitching);
  const progress = useEngineStore((s) => s.progress);
  const error = useEngineStore((s) => s.error);
  const refresh = useEngineStore((s) => s.refresh);
  const use = useEngineStore((s) => s.use);
  const stopBuiltin = useEngineStore((s) => s.stopBuiltin);
  const dismissError = useEngineStore((s) => s.dismissError);

  const working = switching || busy !== null;
  const builtin = info?.builtin ?? null;
  const builtinUp = builtin?.state === 'running' || builtin?.state === 'starting';
  const inUse = info?.kind === 'builtin' && builtinUp;
  const start = () => {
    if (confirmSwitch()) void use('builtin');
  };
  const stop = () => {
    if (info?.kind !== 'builtin' || confirmStopBuiltin()) void stopBuiltin();
  };
  const showProgress = switching || (error?.action === 'use' && progress.order.length > 0);

  return (
    <section className="card engine-panel" aria-labelledby={titleId}>
      <SectionHead title="Engine" titleId={titleId}>
        {onClose === undefined ? null : (
          <button type="button" onClick={onClose}>
            Close
          </button>
        )}
      </SectionHead>
      <EngineBadge />
      {info ? (
        <>
          <p className="engine-reason">{info.reason}</p>
          <p className="dim engine-line">{`at ${info.endpoint}`}</p>
        </>
      ) : null}
      {infoError ? (
        <ErrorNotice title="The engine could not be asked" error={infoError} onRetry={() => void refresh()} />
      ) : null}
      <EngineSetting disabled={working} />
      {builtin ? (
        <p className="engine-builtin-state">
          {'Built-in kernel: '}
          <span className="dim">{builtinStateText(builtin)}</span>
        </p>
      ) : null}
      {error ? (
        <ErrorNotice
          title={
            error.action === 'use'
              ? 'The engine could not be switched'
              : 'The built-in kernel could not be stopped'
          }
          error={error.error}
          onDismiss={dismissError}
        />
      ) : null}
      {showProgress ? <EngineProgress /> : null}
      <div className="card-actions">
        {inUse ? null : (
          <button type="button" className="primary" disabled={working} onClick={start}>
            Start built-in kernel
          </button>
        )}
        {builtinUp ? (
          <button type="button" className="danger" disabled={working} onClick={stop}>
            {busy === 'stop' ? 'Stopping…' : 'Stop built-in kernel'}
          </button>
        ) : null}
      </div>
      {inUse && !switching ? null : <FirstStartNote />}
      <EngineLogs />
    </section>
  );
}
