// Results of running and checking lab steps, as every shell shows them.

export interface CheckResult {
  kind: string;
  /** What is checked, in words: "tunl0 on server2 is up". */
  label: string;
  ok: boolean;
  /** Why it failed, for a person: "tunl0 on server2 is down". */
  reason?: string;
}

export interface CommandResult {
  node: string;
  command: string;
  exitCode: number;
  output: string;
  /** Failed only because the change is already there ("File exists"): re-running a step is safe. */
  alreadyDone: boolean;
  /** For a failure with a known cause outside the lab (the host kernel, the engine): what to do. */
  hint?: string;
}

export interface StepRunResult {
  stepId: string;
  ok: boolean;
  commands: CommandResult[];
  /** Commands that never ran because an earlier one on the same node failed. */
  skipped: { node: string; command: string }[];
}

export interface StepCheckResult {
  stepId: string;
  ok: boolean;
  checks: CheckResult[];
}

/** A fault of the lab, as it applies to one node. */
export interface FaultInfo {
  id: string;
  node: string;
  title: string;
  symptom: string;
  /** Where its commands run: the node itself, or the director (a real server's weight). */
  runsOn: string;
  /** Shipped with LVS Lab, or the lab's own. */
  origin: 'builtin' | 'lab';
  /** When it was broken, while it is on; absent once fixed. */
  brokenAt?: string;
}

export interface FaultRunResult {
  node: string;
  fault: string;
  action: 'break' | 'fix';
  ok: boolean;
  commands: CommandResult[];
  /** Commands that never ran because an earlier one failed. */
  skipped: string[];
  /** For a break that failed half-way: whether what it had changed was put back. */
  rolledBack?: boolean;
}

/**
 * One thing done to a running lab, in order: what a repro file replays. Typing in a terminal is
 * not recorded (a shell's state cannot be replayed faithfully); `lvs-lab exec` is.
 */
export type JournalEntry =
  | { at: string; kind: 'step'; stepId: string }
  | { at: string; kind: 'break' | 'fix'; node: string; fault: string }
  | { at: string; kind: 'exec'; node: string; command: string };
