// Switching engines ends the page's terminals and probes (they belong to the old engine), and a
// lab keeps running on the engine it was started on, out of the app's sight: ask first when a
// lab runs. Stopping the built-in kernel stops the labs on it.
import { useLabStore } from '../../stores/lab-store.js';

function runningLabs(): string[] {
  const instances = useLabStore.getState().instances ?? [];
  return instances.filter((i) => i.health !== 'orphaned').map((i) => i.labId);
}

function named(labs: string[]): string {
  return labs.length === 1 ? `${labs[0] ?? ''} is running` : `${labs.join(', ')} are running`;
}

export function confirmSwitch(): boolean {
  const labs = runningLabs();
  if (labs.length === 0) return true;
  return window.confirm(
    `${named(labs)}. Switching engines ends this lab's terminals; the lab stays on the old engine.`,
  );
}

export function confirmStopBuiltin(): boolean {
  const labs = runningLabs();
  if (labs.length === 0) return true;
  return window.confirm(`${named(labs)}. Stopping the built-in kernel stops the labs running on it.`);
}
