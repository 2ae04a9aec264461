// How the views name engines and the built-in kernel's states, in one place so that the badge,
// the panel and the banner say the same thing.
import type { BuiltinState, EngineChoice, EngineInfo } from '../../../../shared/engine.js';
import type { DotTone } from '../common/StatusDot.js';

export const CHOICE_LABELS: Record<EngineChoice, string> = {
  auto: 'Automatic',
  host: 'Host engine',
  builtin: 'Built-in kernel',
};

/** "Built-in kernel · Linux 6.1.176 (user-mode)", "Host engine · Linux 6.18.44-…". */
export function engineLabel(info: EngineInfo): string {
  return `${info.kind === 'builtin' ? 'Built-in kernel' : 'Host engine'} · ${info.kernel}`;
}

export const BUILTIN_TONES: Record<BuiltinState, DotTone> = {
  absent: 'off',
  starting: 'busy',
  running: 'ok',
  stopped: 'fail',
  failed: 'fail',
};

const BUILTIN_WORDS: Record<BuiltinState, string> = {
  absent: 'not started',
  starting: 'starting',
  running: 'running',
  stopped: 'stopped',
  failed: 'failed',
};

/** "running", "failed: dockerd did not answer". */
export function builtinStateText(builtin: EngineInfo['builtin']): string {
  const words = BUILTIN_WORDS[builtin.state];
  return builtin.detail === null ? words : `${words}: ${builtin.detail}`;
}

/** What a switch under way is doing, before and while its progress arrives. */
export function switchingText(choice: EngineChoice | null, startingKernel: boolean): string {
  if (startingKernel || choice === 'builtin') return 'Starting the built-in kernel…';
  if (choice === 'host') return 'Switching to the host engine…';
  return 'Choosing the engine…';
}
