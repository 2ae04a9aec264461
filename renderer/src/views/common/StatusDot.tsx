// A small coloured dot with its meaning as text for screen readers and tooltips.

export type DotTone = 'ok' | 'warn' | 'fail' | 'busy' | 'off';

export function StatusDot({ tone, label }: { tone: DotTone; label: string }) {
  return <span className={`dot dot-${tone}`} title={label} role="img" aria-label={label} />;
}

/** A container state (running, exited, created, ...) as a tone. */
export function toneOfState(state: string | undefined): DotTone {
  if (state === undefined) return 'off';
  if (state === 'running') return 'ok';
  if (state === 'restarting' || state === 'created') return 'busy';
  return 'fail';
}
