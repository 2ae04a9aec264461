// Starts and stops labs on a Docker Engine. Everything it creates carries the lab's labels;
// `up` either creates the whole lab or removes everything it created, and `down` removes only
// resources that carry the lab's labels.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import type { ProgressListener } from '../../../shared/progress.js';
import type { LabInstanceStatus, NodeStatus } from '../../../shared/status.js';
import { parseCidr, subnetsOverlap } from '../lab/ipv4.js';
import type { Lab, LabNodeModel } from '../lab/model.js';
import { errorText, LabError } from '../errors.js';
import { writeTar } from '../bundle/tar.js';
import { execScript, type ExecOptions, type ExecResult } from '../docker/exec.js';
import { ensureNodeImage, isNotFound } from '../docker/images.js';
import { containerName, LABEL, labelFilter, networkName } from '../docker/labels.js';
import {
  containerCreateOptions,
  interfaceSetupScript,
  networkCreateOptions,
  NODE_APPARMOR_PROFILE,
  type EngineTraits,
  type InstanceInfo,
} from './plan.js';

/** What to do when a node will not start: on AppArmor hosts, most often our profile is not loaded yet. */
function startFailureHint(error: unknown, traits: EngineTraits): string | undefined {
  if (!traits.apparmor || !/apparmor/i.test(errorText(error))) return undefined;
  return `load LVS Lab's AppArmor profile on the Docker host once: sudo apparmor_parser -r -W lab-images/apparmor/${NODE_APPARMOR_PROFILE}`;
}

export interface RuntimeOptions {
  /** Build context of the node image (lab-images/node). */
  imageContext: string;
}

interface Created {
  networks: Docker.Network[];
  containers: Docker.Container[];
}

export class LabRuntime {
  constructor(
    readonly docker: Docker,
    private readonly options: RuntimeOptions,
  ) {}

  async up(lab: Lab, onProgress: ProgressListener = () => undefined): Promise<LabInstanceStatus> {
    // Independent reads, run together: each would otherwise add a round trip to every start.
    // Their failures are reported in this order, so "already running" wins over the clash it implies.
    const [present, clashes, traitsResult, imageResult] = await Promise.allSettled([
      this.refuseIfPresent(lab),
      this.refuseAddressClashes(lab),
      this.engineTraits(),
      this.imageFor(lab, onProgress),
    ]);
    for (const result of [present, clashes, traitsResult, imageResult]) {
      if (result.status === 'rejected') throw result.reason;
    }
    const traits = (traitsResult as PromiseFulfilledResult<EngineTraits>).value;
    const image = (imageResult as PromiseFulfilledResult<string>).value;
    const instance: InstanceInfo = { id: randomUUID().slice(0, 8), startedAt: new Date().toISOString() };
    const created: Created = { networks: [], containers: [] };
    try {
      await settleAll(
        lab.networks.map(async (network) => {
          onProgress({ phase: 'network', name: network.name, state: 'working', message: network.subnet });
          const created_ = await this.docker.createNetwork(networkCreateOptions(lab, network.name, instance));
          created.networks.push(created_);
          onProgress({ phase: 'network', name: network.name, state: 'done', message: network.subnet });
        }),
      );
      await settleAll(
        lab.nodes.map(async (node) => {
          onProgress({ phase: 'node', name: node.name, state: 'working', message: 'creating' });
          const container = await this.docker.createContainer(
            containerCreateOptions(lab, node, node.image ?? image, instance, traits),
          );
          created.containers.push(container);
          await placeAssets(container, node);
          // Further networks are attached before start, in the lab's order.
          for (const iface of node.interfaces.slice(1)) {
            await this.docker.getNetwork(networkName(lab.id, iface.network)).connect({
              Container: container.id,
              EndpointConfig: { IPAMConfig: { IPv4Address: iface.ip } },
            });
          }
          await container.start();
          onProgress({ phase: 'node', name: node.name, state: 'done', message: 'running' });
          // Each node is set up as soon as it runs, while the others are still starting.
          await this.setUpNode(lab, node, container, onProgress);
        }),
      );
    } catch (error) {
      const leftovers = await this.rollback(created, onProgress);
      const message = `starting lab ${lab.id} failed: ${errorText(error)}`;
      throw new LabError(
        leftovers.length === 0
          ? `${message}. Everything it had created was removed.`
          : `${message}. Could not remove: ${leftovers.join('; ')}`,
        leftovers.length === 0
          ? startFailureHint(error, traits)
          : 'run `lvs-lab cleanup` to remove what is left',
      );
    }
    const status = (await this.instances()).find((s) => s.instance === instance.id);
    if (!status) throw new LabError(`lab ${lab.id} started but its containers cannot be found`);
    return status;
  }

  /** Names the node's interfaces as the lab says, sets its addresses, removes Docker's default route. */
  private async setUpNode(
    lab: Lab,
    node: LabNodeModel,
    container: Docker.Container,
    onProgress: ProgressListener,
  ) {
    // MAC addresses are needed only to tell several interfaces apart.
    let macs: Record<string, string> = {};
    if (node.interfaces.length > 1) {
      const info = await container.inspect();
      macs = Object.fromEntries(
        node.interfaces.map((i) => [
          i.network,
          info.NetworkSettings.Networks[networkName(lab.id, i.network)]?.MacAddress ?? '',
        ]),
      );
    }
    onProgress({ phase: 'setup', name: node.name, state: 'working', message: 'interfaces and routes' });
    const result = await execScript(container, interfaceSetupScript(node, macs), { timeoutMs: 30_000 });
    if (result.exitCode !== 0) {
      throw new Error(
        `setting up the interfaces of ${node.name} failed: ${result.stderr.trim() || result.stdout.trim()}`,
      );
    }
    onProgress({ phase: 'setup', name: node.name, state: 'done' });
  }

  /** Removes every container and network labelled with this lab, and nothing else. */
  async down(
    labId: string,
    onProgress: ProgressListener = () => undefined,
  ): Promise<{ containers: number; networks: number }> {
    return this.removeByLabels({ [LABEL.managed]: 'true', [LABEL.lab]: labId }, onProgress);
  }

  /** Removes one instance: what `cleanup` uses for labs orphaned by a crash. */
  async removeInstance(instanceId: string, onProgress: ProgressListener = () => undefined) {
    return this.removeByLabels({ [LABEL.managed]: 'true', [LABEL.instance]: instanceId }, onProgress);
  }

  /** Every lab instance present on the engine, complete or not. */
  async instances(): Promise<LabInstanceStatus[]> {
    const filters = labelFilter({ [LABEL.managed]: 'true' });
    const [containers, networks] = await Promise.all([
      this.docker.listContainers({ all: true, filters }),
      this.docker.listNetworks({ filters }),
    ]);
    const byInstance = new Map<string, LabInstanceStatus>();
    const entry = (labels: Record<string, string>): LabInstanceStatus | null => {
      const instance = labels[LABEL.instance];
      const labId = labels[LABEL.lab];
      if (!instance || !labId) return null;
      let status = byInstance.get(instance);
      if (!status) {
        status = {
          labId,
          instance,
          source: labels[LABEL.source] ?? '',
          sourceHash: labels[LABEL.sourceHash] ?? '',
          topologyHash: labels[LABEL.topologyHash] ?? '',
          startedAt: labels[LABEL.startedAt] ?? '',
          nodes: [],
          networks: [],
          health: 'running',
          problems: [],
        };
        byInstance.set(instance, status);
      }
      return status;
    };
    for (const c of containers) {
      const status = entry(c.Labels);
      if (!status) continue;
      const node: NodeStatus = {
        name: c.Labels[LABEL.node] ?? c.Names[0] ?? c.Id,
        role: c.Labels[LABEL.role] ?? '',
        containerId: c.Id,
        state: c.State,
        status: c.Status,
        addresses: Object.fromEntries(
          Object.entries(c.NetworkSettings.Networks).map(([name, n]) => [name, n.IPAddress]),
        ),
      };
      status.nodes.push(node);
    }
    for (const n of networks) {
      const status = entry(n.Labels ?? {});
      if (!status) continue;
      status.networks.push({
        name: n.Labels?.[LABEL.network] ?? n.Name,
        dockerName: n.Name,
        subnet: n.IPAM?.Config?.[0]?.Subnet ?? '',
      });
    }
    return [...byInstance.values()];
  }

  async instancesOf(labId: string): Promise<LabInstanceStatus[]> {
    return (await this.instances()).filter((s) => s.labId === labId);
  }

  /** The container of a node of a running lab, found by label, never by a raw id from a caller. */
  async nodeContainer(labId: string, node: string): Promise<Docker.Container> {
    const list = await this.docker.listContainers({
      all: true,
      filters: {
        label: [
          ...labelFilter({ [LABEL.managed]: 'true', [LABEL.lab]: labId, [LABEL.node]: node }).label,
          LABEL.instance,
        ],
      },
    });
    const found = list[0];
    if (!found) throw new LabError(`lab ${labId} has no node "${node}"`);
    if (found.State !== 'running') {
      throw new LabError(
        `node ${node} of lab ${labId} is ${found.State} (${found.Status})`,
        `see its log with: docker logs ${found.Names[0]?.slice(1) ?? found.Id}`,
      );
    }
    return this.docker.getContainer(found.Id);
  }

  async exec(labId: string, node: string, script: string, options?: ExecOptions): Promise<ExecResult> {
    return execScript(await this.nodeContainer(labId, node), script, options);
  }

  async engineTraits(): Promise<EngineTraits> {
    const info = (await this.docker.info()) as { SecurityOptions?: string[] };
    return { apparmor: (info.SecurityOptions ?? []).some((o) => o.includes('name=apparmor')) };
  }

  private async imageFor(lab: Lab, onProgress: ProgressListener): Promise<string> {
    if (lab.nodes.every((n) => n.image !== undefined)) return '';
    onProgress({ phase: 'image', name: 'lvs-lab/node', state: 'working', message: 'checking' });
    const tag = await ensureNodeImage(this.docker, this.options.imageContext, onProgress);
    onProgress({ phase: 'image', name: tag, state: 'done' });
    return tag;
  }

  private async refuseIfPresent(lab: Lab): Promise<void> {
    const present = await this.instancesOf(lab.id);
    const first = present[0];
    if (first) {
      throw new LabError(
        `lab ${lab.id} is already on this engine (instance ${first.instance}, started ${first.startedAt})`,
        `stop it first with: lvs-lab down ${lab.id}`,
      );
    }
    // A container or network with our name but without our labels belongs to someone else.
    const names = new Set(lab.nodes.map((n) => `/${containerName(lab.id, n.name)}`));
    const clashing = (await this.docker.listContainers({ all: true })).find((c) =>
      c.Names.some((n) => names.has(n)),
    );
    if (clashing) {
      throw new LabError(
        `a container named ${clashing.Names[0]?.slice(1) ?? ''} already exists and was not created by LVS Lab`,
        'rename or remove that container',
      );
    }
  }

  private async refuseAddressClashes(lab: Lab): Promise<void> {
    const existing = await this.docker.listNetworks();
    for (const network of lab.networks) {
      const mine = parseCidr(network.subnet);
      for (const other of existing) {
        for (const config of other.IPAM?.Config ?? []) {
          if (!config.Subnet || config.Subnet.includes(':')) continue;
          if (subnetsOverlap(mine, parseCidr(config.Subnet))) {
            const owner = other.Labels?.[LABEL.lab];
            throw new LabError(
              `network "${network.name}" (${network.subnet}) of lab ${lab.id} overlaps Docker network "${other.Name}" (${config.Subnet})` +
                (owner ? `, which belongs to the running lab ${owner}` : ''),
              owner
                ? `stop that lab first: lvs-lab down ${owner}`
                : `remove that network (docker network rm ${other.Name}) or change the lab's subnet`,
            );
          }
        }
      }
    }
  }

  private async rollback(created: Created, onProgress: ProgressListener): Promise<string[]> {
    const leftovers: string[] = [];
    await Promise.all(
      created.containers.map(async (c) => {
        onProgress({ phase: 'rollback', name: c.id.slice(0, 12), state: 'working' });
        try {
          await c.remove({ force: true, v: true });
        } catch (error) {
          if (!isNotFound(error)) leftovers.push(`container ${c.id.slice(0, 12)}: ${errorText(error)}`);
        }
      }),
    );
    await Promise.all(
      created.networks.map(async (n) => {
        try {
          await n.remove();
        } catch (error) {
          if (!isNotFound(error)) leftovers.push(`network ${n.id.slice(0, 12)}: ${errorText(error)}`);
        }
      }),
    );
    onProgress({ phase: 'rollback', name: 'lab', state: leftovers.length === 0 ? 'done' : 'failed' });
    return leftovers;
  }

  private async removeByLabels(labels: Record<string, string>, onProgress: ProgressListener) {
    // Only `up` sets the instance label, so it is required too: a look-alike resource made by
    // hand with our other labels is still left alone.
    const filters = { label: [...labelFilter(labels).label, LABEL.instance] };
    const containers = await this.docker.listContainers({ all: true, filters });
    await Promise.all(
      containers.map(async (c) => {
        const name = c.Labels[LABEL.node] ?? c.Id.slice(0, 12);
        onProgress({ phase: 'remove', name, state: 'working' });
        await removeIgnoringGone(() => this.docker.getContainer(c.Id).remove({ force: true, v: true }));
        onProgress({ phase: 'remove', name, state: 'done' });
      }),
    );
    const networks = await this.docker.listNetworks({ filters });
    await Promise.all(
      networks.map(async (n) => {
        const name = n.Labels?.[LABEL.network] ?? n.Name;
        onProgress({ phase: 'remove', name, state: 'working' });
        await removeIgnoringGone(() => this.docker.getNetwork(n.Id).remove());
        onProgress({ phase: 'remove', name, state: 'done' });
      }),
    );
    return { containers: containers.length, networks: networks.length };
  }
}

/** Like Promise.all, but waits for every promise, so that all created resources are recorded before a rollback. */
async function settleAll(promises: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function removeIgnoringGone(remove: () => Promise<unknown>): Promise<void> {
  try {
    await remove();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/**
 * The files the lab places in a node (`files:`), copied in before it starts so that its web
 * server and its steps find them. Docker creates the parent folders.
 */
async function placeAssets(container: Docker.Container, node: LabNodeModel): Promise<void> {
  if (node.assets.length === 0) return;
  const entries = await Promise.all(
    node.assets.map(async (asset) => ({
      name: asset.target.replace(/^\/+/, ''),
      data: await readFile(asset.path),
      mode: asset.mode,
    })),
  );
  await container.putArchive(writeTar(entries), { path: '/' });
}
