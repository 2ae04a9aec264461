// Breaks and fixes faults on the nodes of a running lab. Which faults a node can take comes from
// its role; the commands run in one exec on the node (or on the director, for a real server's
// weight), with the fault's variables set and its state directory made.
import type { LabFault } from '../../../shared/lab-schema.js';
import type { FaultRunResult } from '../../../shared/results.js';
import { LabError } from '../errors.js';
import { director, nodeByName, primaryAddress, type Lab, type LabNodeModel } from '../lab/model.js';
import { shellQuote } from '../parsers/index.js';
import { runNodeCommands, type NodeExec } from '../engine/step-runner.js';
import { BUILTIN_FAULTS, FAULT_STATE_ROOT } from './catalog.js';

export interface LabFaultEntry {
  fault: LabFault;
  origin: 'builtin' | 'lab';
}

/** Every fault of a lab: LVS Lab's own, then the lab's. */
export function faultsOf(lab: Lab): LabFaultEntry[] {
  return [
    ...BUILTIN_FAULTS.map((fault) => ({ fault, origin: 'builtin' as const })),
    ...lab.faults.map((fault) => ({ fault, origin: 'lab' as const })),
  ];
}

/** The faults that apply to one node, by its role. */
export function faultsForNode(lab: Lab, node: LabNodeModel): LabFaultEntry[] {
  return faultsOf(lab).filter((entry) => entry.fault.roles.includes(node.role));
}

export interface FaultTarget {
  fault: LabFault;
  /** The node the fault is for. */
  node: LabNodeModel;
  /** The node its commands run on. */
  runsOn: LabNodeModel;
}

/** The lab's node of that name, or an error that lists the nodes there are. */
export function labNode(lab: Lab, nodeName: string): LabNodeModel {
  const node = nodeByName(lab, nodeName);
  if (!node) {
    throw new LabError(
      `lab ${lab.id} has no node "${nodeName}" (nodes: ${lab.nodes.map((n) => n.name).join(', ')})`,
    );
  }
  return node;
}

/** Finds a fault for a node, or says what the node and lab offer instead. */
export function resolveFault(lab: Lab, nodeName: string, faultId: string): FaultTarget {
  const node = labNode(lab, nodeName);
  const entry = faultsOf(lab).find((e) => e.fault.id === faultId);
  const offered = faultsForNode(lab, node)
    .map((e) => e.fault.id)
    .join(', ');
  if (!entry) {
    throw new LabError(`no fault "${faultId}" (faults for ${node.name}: ${offered || 'none'})`);
  }
  if (!entry.fault.roles.includes(node.role)) {
    throw new LabError(
      `fault ${faultId} is for a ${entry.fault.roles.join(' or ')}, and ${node.name} is the ${node.role}`,
      offered ? `faults for ${node.name}: ${offered}` : undefined,
    );
  }
  return { fault: entry.fault, node, runsOn: entry.fault.runOn === 'director' ? director(lab) : node };
}

/** Where a fault keeps what it changed, on the node that runs it. */
export function faultStateDir(target: FaultTarget): string {
  return `${FAULT_STATE_ROOT}/${target.fault.id}/${target.node.name}`;
}

/** The shell lines that set the fault's variables (see faultSchema) and make its state directory. */
export function faultPreamble(lab: Lab, target: FaultTarget): string {
  const { vip, port, protocol, scheduler } = lab.service;
  const vars: [string, string][] = [
    ['NODE', target.node.name],
    ['RIP', primaryAddress(target.node)],
    ['VIP', vip],
    ['PORT', String(port)],
    ['PROTO', protocol],
    ['IPVS_SERVICE', `${protocol === 'udp' ? '-u' : '-t'} ${vip}:${port}`],
    ['SCHED', scheduler],
    ['STATE', faultStateDir(target)],
  ];
  return [
    `export ${vars.map(([key, value]) => `${key}=${shellQuote(value)}`).join(' ')}`,
    'mkdir -p "$STATE"',
  ].join('\n');
}

/**
 * Runs a fault's `break` or `fix` commands. A break that fails after changing something runs the
 * fix, so that a failed break leaves the node as it was; the result says whether that worked.
 */
export async function runFault(
  lab: Lab,
  target: FaultTarget,
  action: 'break' | 'fix',
  exec: NodeExec,
): Promise<FaultRunResult> {
  const preamble = faultPreamble(lab, target);
  const commands = action === 'break' ? target.fault.break : target.fault.fix;
  const { ran, skipped } = await runNodeCommands(target.runsOn.name, commands, exec, preamble);
  const ok = skipped.length === 0 && ran.every((c) => c.exitCode === 0 || c.alreadyDone);
  const result: FaultRunResult = {
    node: target.node.name,
    fault: target.fault.id,
    action,
    ok,
    commands: ran,
    skipped,
  };
  // A command that succeeded before the one that failed may have changed the node: put it back.
  if (action === 'break' && !ok && ran.length > 1) {
    const undo = await runNodeCommands(target.runsOn.name, target.fault.fix, exec, preamble);
    result.rolledBack = undo.skipped.length === 0 && undo.ran.every((c) => c.exitCode === 0);
  }
  return result;
}
