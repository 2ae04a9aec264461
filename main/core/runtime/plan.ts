// Turns a lab into the exact Docker objects to create. Pure: no engine calls, so the address
// plan and the security settings are unit-tested without Docker.
import type Docker from 'dockerode';
import { highestFreeHost, ipToNumber, parseCidr } from '../lab/ipv4.js';
import type { Lab, LabNodeModel } from '../lab/model.js';
import { bridgeName, containerName, LABEL, networkName } from '../docker/labels.js';

export interface InstanceInfo {
  id: string;
  startedAt: string;
}

export interface EngineTraits {
  /** The engine confines containers with AppArmor, which blocks /proc/sys writes by default. */
  apparmor: boolean;
}

/** The capabilities a lab node needs: ip, ipvsadm, arptables, iptables (NET_ADMIN); ping, tcpdump (NET_RAW). */
export const NODE_CAPABILITIES = ['NET_ADMIN', 'NET_RAW'];

export function labLabels(lab: Lab, instance: InstanceInfo): Record<string, string> {
  return {
    [LABEL.managed]: 'true',
    [LABEL.lab]: lab.id,
    [LABEL.instance]: instance.id,
    [LABEL.source]: lab.source,
    [LABEL.sourceHash]: lab.sourceHash,
    [LABEL.topologyHash]: lab.topologyHash,
    [LABEL.startedAt]: instance.startedAt,
  };
}

/**
 * Docker keeps one address of each network for its bridge. The seed labs put the director at
 * .1, Docker's usual choice, so the gateway must be an address no lab node and no VIP uses:
 * the one the lab declares, or the highest free host address.
 */
export function dockerGateway(lab: Lab, networkNameInLab: string): string {
  const network = lab.networks.find((n) => n.name === networkNameInLab);
  if (!network) throw new Error(`no network ${networkNameInLab} in lab ${lab.id}`);
  if (network.gateway !== undefined) return network.gateway;
  const used = new Set<number>([ipToNumber(lab.service.vip)]);
  for (const node of lab.nodes) {
    for (const i of node.interfaces) for (const a of [i, ...i.extra]) used.add(ipToNumber(a.ip));
  }
  const free = highestFreeHost(parseCidr(network.subnet), used);
  if (free !== null) return free;
  throw new Error(`network ${network.name} (${network.subnet}) has no free address for Docker's gateway`);
}

export function networkCreateOptions(lab: Lab, networkNameInLab: string, instance: InstanceInfo) {
  const network = lab.networks.find((n) => n.name === networkNameInLab);
  if (!network) throw new Error(`no network ${networkNameInLab} in lab ${lab.id}`);
  return {
    Name: networkName(lab.id, network.name),
    Driver: 'bridge',
    // A predictable bridge name, so that one host rule can cover every lab bridge (see
    // preflight's bridge check).
    Options: { 'com.docker.network.bridge.name': bridgeName(lab.id, network.name) },
    // Internal: no route out of the machine. Lab traffic stays between the lab's containers.
    Internal: true,
    CheckDuplicate: true,
    EnableIPv6: false,
    IPAM: {
      Driver: 'default',
      Config: [{ Subnet: network.subnet, Gateway: dockerGateway(lab, network.name) }],
    },
    Labels: { ...labLabels(lab, instance), [LABEL.network]: network.name },
  } satisfies Docker.NetworkCreateOptions;
}

export function containerCreateOptions(
  lab: Lab,
  node: LabNodeModel,
  image: string,
  instance: InstanceInfo,
  traits: EngineTraits,
): Docker.ContainerCreateOptions {
  const [first] = node.interfaces;
  if (!first) throw new Error(`node ${node.name} has no network`);
  return {
    name: containerName(lab.id, node.name),
    Hostname: node.name,
    Image: image,
    Env: node.page === undefined ? [] : [`LVS_LAB_PAGE=${node.page}`],
    Labels: { ...labLabels(lab, instance), [LABEL.node]: node.name, [LABEL.role]: node.role },
    HostConfig: {
      NetworkMode: networkName(lab.id, first.network),
      CapAdd: NODE_CAPABILITIES,
      ...confinedProcSys(traits),
      Sysctls: Object.fromEntries(Object.entries(node.sysctls ?? {}).map(([k, v]) => [k, String(v)])),
      RestartPolicy: { Name: 'no' },
      // Lab nodes are tiny; this stops a runaway command in one node from starving the desktop.
      Memory: 256 * 1024 * 1024,
      PidsLimit: 512,
    },
    NetworkingConfig: {
      EndpointsConfig: { [networkName(lab.id, first.network)]: { IPAMConfig: { IPv4Address: first.ip } } },
    },
  };
}

/**
 * /proc/sys entries that are not per network namespace. A write to any of them from a node would
 * change the Docker host's kernel (core_pattern alone runs a program as root on the host), so
 * they stay read-only. Entries a kernel lacks are skipped by the runtime.
 */
export const HOST_WIDE_PROC_SYS = [
  '/proc/sys/abi',
  '/proc/sys/crypto',
  '/proc/sys/debug',
  '/proc/sys/dev',
  '/proc/sys/fs',
  '/proc/sys/kernel',
  '/proc/sys/sunrpc',
  '/proc/sys/user',
  '/proc/sys/vm',
];

/** Docker's own read-only /proc paths, less /proc/sys itself, which is narrowed to HOST_WIDE_PROC_SYS. */
const DOCKER_READONLY_PROC = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sysrq-trigger'];

/** The AppArmor profile shipped in lab-images/apparmor/: docker-default's rules, with /proc/sys/net writable. */
export const NODE_APPARMOR_PROFILE = 'lvs-lab-node';

/**
 * Lets the lab's sysctl steps write /proc/sys/net, which belongs to the node's own network
 * namespace, and nothing else of /proc/sys. Docker mounts all of /proc/sys read-only by default;
 * this replaces that one entry of its read-only list with the host-wide subtrees, and leaves
 * MaskedPaths unset so that Docker's default masks (kcore, keys, timer_list, ...) stay.
 * On AppArmor hosts the docker-default profile denies every /proc/sys write, so nodes run under
 * LVS Lab's own profile instead, which differs from it only there.
 */
export function confinedProcSys(traits: EngineTraits) {
  return {
    ReadonlyPaths: [...DOCKER_READONLY_PROC, ...HOST_WIDE_PROC_SYS],
    SecurityOpt: ['no-new-privileges', ...(traits.apparmor ? [`apparmor=${NODE_APPARMOR_PROFILE}`] : [])],
  };
}

/**
 * Shell script run once in each node after start: give every interface the name the lab uses
 * (Docker does not promise an order for a container's second network), then set the addresses
 * the lab declares beyond the one Docker assigns. `macs` maps lab network name to the MAC Docker gave it.
 */
export function interfaceSetupScript(node: LabNodeModel, macs: Record<string, string>): string {
  // Docker gives containers on internal networks a default route via its bridge. A lab node
  // starts like a host on an isolated segment, with no default route: the lab's steps add the
  // ones the seed adds, and nothing can leave the lab by accident.
  const lines = ['set -e', 'ip route del default 2>/dev/null || true'];
  if (node.interfaces.length > 1) {
    // Two passes through temporary names, so that swapping eth0 and eth1 cannot collide.
    node.interfaces.forEach((iface, index) => {
      const mac = macs[iface.network];
      if (!mac) throw new Error(`no MAC address for ${node.name} on ${iface.network}`);
      lines.push(
        `dev=$(ip -o link | awk -v mac=${mac} '$0 ~ mac {sub(/@.*/, "", $2); sub(/:$/, "", $2); print $2; exit}')`,
        `[ -n "$dev" ] || { echo "no interface with MAC ${mac}" >&2; exit 1; }`,
        `ip link set "$dev" down`,
        `ip link set "$dev" name lvstmp${index}`,
      );
    });
    node.interfaces.forEach((iface, index) => {
      lines.push(`ip link set lvstmp${index} name ${iface.device}`, `ip link set ${iface.device} up`);
    });
  }
  for (const iface of node.interfaces) {
    // Docker gives the address the network's prefix; the lab may narrow it, so that one segment
    // carries several subnets as in the seeds.
    if (iface.prefix !== iface.networkPrefix) {
      lines.push(
        `ip addr del ${iface.ip}/${iface.networkPrefix} dev ${iface.device}`,
        `ip addr add ${iface.ip}/${iface.prefix} dev ${iface.device}`,
      );
    }
    for (const extra of iface.extra)
      lines.push(`ip addr add ${extra.ip}/${extra.prefix} dev ${iface.device}`);
  }
  return lines.join('\n');
}
