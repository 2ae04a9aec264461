// Start and stop the probe, its rate and how long it runs.
import { DURATION_LIMITS, RATE_LIMITS, useProbeStore } from '../../stores/probe-store.js';

export function ProbeControls({ labId, running }: { labId: string; running: boolean }) {
  const phase = useProbeStore((s) => s.phase);
  const rate = useProbeStore((s) => s.ratePerSecond);
  const duration = useProbeStore((s) => s.durationSeconds);
  const setRate = useProbeStore((s) => s.setRate);
  const setDuration = useProbeStore((s) => s.setDuration);
  const start = useProbeStore((s) => s.start);
  const stop = useProbeStore((s) => s.stop);
  const clear = useProbeStore((s) => s.clear);
  const active = phase !== 'idle';
  return (
    <div className="probe-controls">
      <label>
        {'Rate '}
        <input
          type="range"
          min={RATE_LIMITS.min}
          max={RATE_LIMITS.max}
          value={rate}
          disabled={active}
          aria-label="Requests per second (slider)"
          onChange={(event) => {
            setRate(Number(event.target.value));
          }}
        />
        <input
          type="number"
          className="narrow"
          min={RATE_LIMITS.min}
          max={RATE_LIMITS.max}
          value={rate}
          disabled={active}
          aria-label="Requests per second"
          onChange={(event) => {
            setRate(Number(event.target.value));
          }}
        />
        {' req/s'}
      </label>
      <label>
        {'for '}
        <input
          type="number"
          className="narrow"
          min={DURATION_LIMITS.min}
          max={DURATION_LIMITS.max}
          value={duration}
          disabled={active}
          aria-label="Duration in seconds"
          onChange={(event) => {
            setDuration(Number(event.target.value));
          }}
        />
        {' s'}
      </label>
      {active ? (
        <button type="button" className="danger" disabled={phase !== 'running'} onClick={() => void stop()}>
          {phase === 'starting' ? 'Starting…' : phase === 'stopping' ? 'Stopping…' : 'Stop'}
        </button>
      ) : (
        <button
          type="button"
          className="primary"
          disabled={!running}
          title={running ? 'Send requests to the VIP from the client' : 'Start the lab first'}
          onClick={() => void start(labId)}
        >
          Start
        </button>
      )}
      <button type="button" disabled={active} onClick={clear}>
        Clear
      </button>
    </div>
  );
}
