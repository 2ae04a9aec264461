// The one entry point of the core. The CLI calls it directly; the desktop and browser shells
// call it through the API contract. It knows labs by id, finds running labs by their Docker
// labels, and keeps step progress per running instance.
import Docker from 'dockerode';
import type { LabSummary, StepInfo } from '../../shared/api.js';
import type { LabStep } from '../../shared/lab-schema.js';
import type { PreflightReport } from '../../shared/preflight.js';
import type { ProgressEvent, ProgressListener } from '../../shared/progress.js';
import type { FaultInfo, FaultRunResult, StepCheckResult, StepRunResult } from '../../shared/results.js';
import type { LabInstanceStatus } from '../../shared/status.js';
import { connectEngine, dockerAt } from './docker/engine.js';
import type { ExecResult } from './docker/exec.js';
import { copyImage, ensureNodeImage } from './docker/images.js';
import { director, type Lab } from './lab/model.js';
import type { AppPaths } from './paths.js';
import { setLabBridging } from './preflight/bridging.js';
import { loadHostModules, type LoadModulesResult } from './preflight/load-modules.js';
import { runPreflight } from './preflight/preflight.js';
import path from 'node:path';
import { LabLibrary } from './library/lab-library.js';
import { UserLabActions } from './library/user-lab-actions.js';
import { lvsLabVersion } from './repro/report.js';
import { withLabLock, type LockHolder } from './lab-lock.js';
import { ProgressStore } from './progress-store.js';
import { errorText, LabError } from './errors.js';
import { LabRuntime } from './runtime/lab-runtime.js';
import { checkStep, runChecks, runStep, type NodeExec } from './engine/step-runner.js';
import { faultsForNode, labNode, resolveFault, runFault } from './faults/fault-runner.js';

export interface RunningLab {
  lab: Lab;
  status: LabInstanceStatus;
}

export class LabService {
  readonly runtime: LabRuntime;
  private readonly progress: ProgressStore;
  readonly library: LabLibrary;
  readonly userLabs: UserLabActions;

  constructor(
    readonly paths: AppPaths,
    readonly docker: Docker = connectEngine(),
  ) {
    this.runtime = new LabRuntime(docker, { imageContext: paths.imageContext });
    this.progress = new ProgressStore(paths.stateDir);
    this.library = new LabLibrary(paths);
    this.userLabs = new UserLabActions(
      this.library,
      paths.userLabsDir,
      lvsLabVersion(path.dirname(paths.labsDir)),
    );
  }

  /** The built-in labs and reproductions, then the user's own; each with what is wrong if it does not load. */
  listLabs(): Promise<LabSummary[]> {
    return this.library.list();
  }

  /** A lab by id (built-in or the user's) or by path (a trainer's own file). */
  resolveLab(ref: string): Promise<Lab> {
    return this.library.resolve(ref);
  }

  /** `endpoint` names the engine in the report, when it is not DOCKER_HOST's (the built-in kernel). */
  preflight(onProgress?: ProgressListener, endpoint?: string): Promise<PreflightReport> {
    return runPreflight(this.docker, {
      imageContext: this.paths.imageContext,
      onProgress,
      ...(endpoint === undefined ? {} : { endpoint }),
    });
  }

  /** The lab node image on this engine, built if missing. */
  nodeImage(onProgress?: ProgressListener): Promise<string> {
    return ensureNodeImage(this.docker, this.paths.imageContext, onProgress);
  }

  /** Copies an image to another engine, given as a DOCKER_HOST-style unix:// or tcp:// URL. */
  async copyNodeImage(image: string, target: string): Promise<void> {
    let engine: Docker;
    try {
      engine = dockerAt(target);
    } catch (error) {
      throw new LabError(`--copy-to: ${errorText(error)}`);
    }
    await copyImage(this.docker, engine, image);
  }

  async loadModules(): Promise<LoadModulesResult> {
    const image = await ensureNodeImage(this.docker, this.paths.imageContext);
    return loadHostModules(this.docker, image);
  }

  /** Adds or removes the host rule that lets lab bridges switch frames from other subnets. */
  async setLabBridging(allow: boolean): Promise<string> {
    const image = await ensureNodeImage(this.docker, this.paths.imageContext);
    return setLabBridging(this.docker, image, allow);
  }

  /** Starts a lab; one start or stop of a lab at a time, across every LVS Lab process. */
  async up(ref: string, onProgress?: ProgressListener): Promise<LabInstanceStatus> {
    const lab = await this.resolveLab(ref);
    return withLabLock(this.paths.stateDir, lab.id, 'starting', () => this.runtime.up(lab, onProgress), {
      onWait: (holder) => {
        onProgress?.(waitingFor(lab.id, holder));
      },
    });
  }

  /** Every lab on the engine, with its health judged against its lab file. */
  async status(): Promise<LabInstanceStatus[]> {
    const instances = await this.runtime.instances();
    return Promise.all(instances.map((instance) => this.judge(instance)));
  }

  private async judge(instance: LabInstanceStatus): Promise<LabInstanceStatus> {
    const problems: string[] = [];
    // Orphaned: a part of the lab is gone (a crash during up or down), or nothing says what it was.
    let incomplete = instance.nodes.length === 0;
    let lab: Lab | null = null;
    let topologyChanged = false;
    try {
      lab = await this.library.load(instance.source);
    } catch {
      problems.push(`its lab file ${instance.source} is gone or no longer valid`);
      incomplete = true;
    }
    if (lab) {
      // Steps, checks and faults are read from the file each time: only the topology needs a restart.
      if (instance.topologyHash !== '' && lab.topologyHash !== instance.topologyHash) {
        problems.push('its lab file changed its networks, nodes or service: restart the lab to apply them');
        topologyChanged = true;
      } else if (instance.topologyHash === '' && lab.sourceHash !== instance.sourceHash) {
        problems.push('its lab file changed since the lab was started');
      }
      const missing = [
        ...lab.nodes
          .filter((node) => !instance.nodes.some((n) => n.name === node.name))
          .map((n) => `node ${n.name} is missing`),
        ...lab.networks
          .filter((network) => !instance.networks.some((n) => n.name === network.name))
          .map((n) => `network ${n.name} is missing`),
      ];
      problems.push(...missing);
      incomplete ||= missing.length > 0;
    }
    const stopped = instance.nodes.filter((node) => node.state !== 'running');
    problems.push(...stopped.map((node) => `node ${node.name} is ${node.state} (${node.status})`));
    const health: LabInstanceStatus['health'] = incomplete
      ? 'orphaned'
      : stopped.length > 0
        ? 'degraded'
        : 'running';
    return { ...instance, health, problems, ...(topologyChanged ? { topologyChanged } : {}) };
  }

  /** The running lab with this id, or the only running lab when no id is given. */
  async running(labId?: string): Promise<RunningLab> {
    const all = (await this.status()).filter((s) => s.health !== 'orphaned');
    const matching = labId === undefined ? all : all.filter((s) => s.labId === labId);
    if (matching.length === 0) {
      throw new LabError(
        labId ? `lab ${labId} is not running` : 'no lab is running',
        'start one with: lvs-lab up <lab>',
      );
    }
    const status = matching[0];
    if (matching.length > 1 || !status) {
      throw new LabError(
        `several labs are running (${matching.map((s) => s.labId).join(', ')})`,
        'say which with --lab <id>',
      );
    }
    return { lab: await this.library.load(status.source), status };
  }

  async down(labId?: string, onProgress?: ProgressListener) {
    const id = labId ?? (await this.running()).status.labId;
    const removed = await withLabLock(
      this.paths.stateDir,
      id,
      'stopping',
      async () => {
        const instances = await this.runtime.instancesOf(id);
        const result = await this.runtime.down(id, onProgress);
        await Promise.all(instances.map((i) => this.progress.reset(i.instance)));
        return result;
      },
      {
        onWait: (holder) => {
          onProgress?.(waitingFor(id, holder));
        },
      },
    );
    if (removed.containers === 0 && removed.networks === 0)
      throw new LabError(`lab ${id} is not on this engine`);
    return removed;
  }

  async steps(labId?: string): Promise<StepInfo[]> {
    const { lab, status } = await this.running(labId);
    const progress = await this.progress.read(status.instance);
    return lab.steps.map((step) => ({
      id: step.id,
      title: step.title,
      explain: step.explain,
      commands: step.commands,
      checks: step.checks.length,
      progress: progress.steps[step.id] ?? {},
    }));
  }

  /** Forgets the learner's progress on the running lab (the lab itself is not touched). */
  async resetProgress(labId?: string): Promise<void> {
    const { status } = await this.running(labId);
    await this.progress.reset(status.instance);
  }

  /** Applies a step's commands without checking it (a replay checks everything at the end). */
  async applyStep(stepId: string, labId?: string): Promise<StepRunResult> {
    const running = await this.running(labId);
    return this.apply(
      running,
      findStep(running.lab, stepId),
      this.progress.generation(running.status.instance),
    );
  }

  private async apply(
    { lab, status }: RunningLab,
    step: LabStep,
    generation: number,
  ): Promise<StepRunResult> {
    const run = await runStep(step, this.nodeExec(lab.id));
    const appliedAt = new Date().toISOString();
    await this.progress.update(status.instance, step.id, { appliedAt }, generation);
    await this.progress.record(status.instance, { at: appliedAt, kind: 'step', stepId: step.id }, generation);
    return run;
  }

  async runStep(stepId: string, labId?: string): Promise<{ run: StepRunResult; check: StepCheckResult }> {
    const running = await this.running(labId);
    const { lab, status } = running;
    const step = findStep(lab, stepId);
    const exec = this.nodeExec(lab.id);
    // A reset while the step runs wins: its results are not written into the fresh record.
    const generation = this.progress.generation(status.instance);
    const run = await this.apply(running, step, generation);
    const check = await checkStep(lab, step, exec);
    await this.progress.update(
      status.instance,
      step.id,
      { checkedAt: new Date().toISOString(), checksOk: check.ok },
      generation,
    );
    return { run, check };
  }

  /** Applies every step in order, checking each; goes on after a failure so every result is seen. */
  async runAll(labId?: string, onStep?: (r: { run: StepRunResult; check: StepCheckResult }) => void) {
    const { lab } = await this.running(labId);
    const results = [];
    for (const step of lab.steps) {
      const result = await this.runStep(step.id, lab.id);
      onStep?.(result);
      results.push(result);
    }
    return results;
  }

  async check(stepId?: string, labId?: string): Promise<StepCheckResult[]> {
    const { lab, status } = await this.running(labId);
    const steps = stepId === undefined ? lab.steps : [findStep(lab, stepId)];
    const exec = this.nodeExec(lab.id);
    const generation = this.progress.generation(status.instance);
    const results: StepCheckResult[] = [];
    for (const step of steps) {
      const checks = await runChecks(lab, step.checks, exec);
      const result = { stepId: step.id, ok: checks.every((c) => c.ok), checks };
      await this.progress.update(
        status.instance,
        step.id,
        { checkedAt: new Date().toISOString(), checksOk: result.ok },
        generation,
      );
      results.push(result);
    }
    return results;
  }

  /** Every fault each node of the running lab can take, with those that are on. */
  async faults(labId?: string): Promise<FaultInfo[]> {
    const { lab, status } = await this.running(labId);
    const active = (await this.progress.read(status.instance)).faults ?? {};
    return lab.nodes.flatMap((node) =>
      faultsForNode(lab, node).map(({ fault, origin }): FaultInfo => {
        const brokenAt = active[`${node.name}/${fault.id}`]?.brokenAt;
        return {
          id: fault.id,
          node: node.name,
          title: fault.title,
          symptom: fault.symptom,
          runsOn: fault.runOn === 'director' ? director(lab).name : node.name,
          origin,
          ...(brokenAt === undefined ? {} : { brokenAt }),
        };
      }),
    );
  }

  /** Breaks one thing on a node; recorded with the lab's progress until it is fixed. */
  async breakFault(nodeName: string, faultId: string, labId?: string): Promise<FaultRunResult> {
    const { lab, status } = await this.running(labId);
    const target = resolveFault(lab, nodeName, faultId);
    const active = (await this.progress.read(status.instance)).faults ?? {};
    // A second break would save the broken state over the good one, and fix could not restore it.
    if (active[`${target.node.name}/${faultId}`]) {
      throw new LabError(
        `${faultId} is already broken on ${target.node.name}`,
        `fix it first: lvs-lab fix ${target.node.name} ${faultId}`,
      );
    }
    const result = await runFault(lab, target, 'break', this.nodeExec(lab.id));
    // A break that failed and could not be put back is recorded, so that fix can try again.
    if (result.ok || result.rolledBack === false) {
      const at = new Date().toISOString();
      const node = target.node.name;
      await this.progress.setFault(status.instance, node, faultId, { node, fault: faultId, brokenAt: at });
      await this.progress.record(status.instance, { at, kind: 'break', node, fault: faultId });
    }
    return result;
  }

  /** Fixes one fault on a node, or, with no fault named, every fault on it, latest first. */
  async fixFault(nodeName: string, faultId?: string, labId?: string): Promise<FaultRunResult[]> {
    const { lab, status } = await this.running(labId);
    const active = Object.values((await this.progress.read(status.instance)).faults ?? {});
    const onNode = active.filter((f) => f.node === nodeName);
    const toFix = faultId === undefined ? onNode.reverse() : onNode.filter((f) => f.fault === faultId);
    if (toFix.length === 0) {
      // An unknown node or fault gets the same answer as a break would give, before "not broken".
      if (faultId === undefined) labNode(lab, nodeName);
      else resolveFault(lab, nodeName, faultId);
      const broken = active.map((f) => `${f.fault} on ${f.node}`).join(', ');
      throw new LabError(
        faultId === undefined
          ? `nothing is broken on ${nodeName}`
          : `${faultId} is not broken on ${nodeName}`,
        broken ? `broken now: ${broken}` : undefined,
      );
    }
    const results: FaultRunResult[] = [];
    for (const entry of toFix) {
      const result = await runFault(
        lab,
        resolveFault(lab, entry.node, entry.fault),
        'fix',
        this.nodeExec(lab.id),
      );
      if (result.ok) {
        await this.progress.setFault(status.instance, entry.node, entry.fault, null);
        const at = new Date().toISOString();
        await this.progress.record(status.instance, {
          at,
          kind: 'fix',
          node: entry.node,
          fault: entry.fault,
        });
      }
      results.push(result);
    }
    return results;
  }

  async exec(node: string, command: string, labId?: string): Promise<ExecResult> {
    const { lab, status } = await this.running(labId);
    const at = new Date().toISOString();
    const result = await this.runtime.exec(lab.id, node, command, { timeoutMs: 600_000 });
    await this.progress.record(status.instance, { at, kind: 'exec', node, command });
    return result;
  }

  /** What was done to the running lab, in order, and the faults on now. */
  async journal(labId?: string) {
    const { status } = await this.running(labId);
    const progress = await this.progress.read(status.instance);
    return { instance: status.instance, journal: progress.journal ?? [], faults: progress.faults ?? {} };
  }

  async orphans(): Promise<LabInstanceStatus[]> {
    return (await this.status()).filter((s) => s.health === 'orphaned');
  }

  async cleanup(instances: string[], onProgress?: ProgressListener) {
    let containers = 0;
    let networks = 0;
    for (const instance of instances) {
      const removed = await this.runtime.removeInstance(instance, onProgress);
      await this.progress.reset(instance);
      containers += removed.containers;
      networks += removed.networks;
    }
    return { containers, networks };
  }

  /** The image the lab's nodes run (the director's): what a repro file pins. */
  async runningNodeImage(lab: Lab): Promise<string> {
    const container = await this.runtime.nodeContainer(lab.id, director(lab).name);
    return (await container.inspect()).Config.Image;
  }

  nodeExec(labId: string): NodeExec {
    return (node, script, timeoutMs) => this.runtime.exec(labId, node, script, { timeoutMs });
  }
}

function waitingFor(labId: string, holder: LockHolder): ProgressEvent {
  return {
    phase: 'lock',
    name: labId,
    state: 'working',
    message: `waiting for LVS Lab process ${holder.pid}, which is ${holder.action} this lab`,
  };
}

function findStep(lab: Lab, stepId: string): LabStep {
  const byId = lab.steps.find((s) => s.id === stepId);
  // Steps can also be named by their number, as `lvs-lab steps` prints them.
  const byNumber = /^\d+$/.test(stepId) ? lab.steps[Number(stepId) - 1] : undefined;
  const step = byId ?? byNumber;
  if (!step)
    throw new LabError(
      `lab ${lab.id} has no step "${stepId}" (steps: ${lab.steps.map((s) => s.id).join(', ')})`,
    );
  return step;
}
