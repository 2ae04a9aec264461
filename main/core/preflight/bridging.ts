// Do lab segments switch frames like a plain switch? LVS-TUN puts addresses from outside a
// segment's subnet on it: the outside client's address behind a NAT router (tun-sysctl), the VIP
// as the source of replies. When the host passes bridged frames through iptables
// (br_netfilter with bridge-nf-call-iptables=1, which Docker turns on), Docker's rules for
// internal networks drop every frame whose addresses are outside the network's subnet.
//
// The probe shows it directly: two containers on a throwaway lab-style segment ping each other
// on addresses outside its subnet. The fix is one host rule in DOCKER-USER, the chain Docker
// keeps for users: accept frames *switched* within a lab bridge (physdev-is-bridged). Routed
// traffic, the only way out of the machine, stays blocked.
import type Docker from 'dockerode';
import { BRIDGE_PREFIX } from '../docker/labels.js';
import { execScript } from '../docker/exec.js';
import { NODE_CAPABILITIES } from '../runtime/plan.js';
import { runOnHost } from './host-helper.js';

export const BRIDGING_RULE = `DOCKER-USER -i ${BRIDGE_PREFIX}+ -m physdev --physdev-is-bridged -j ACCEPT`;

const PROBE_NETWORK = 'lvslab-probe-bridging';
const PROBE_SUBNET = '198.51.100.0/24';

export async function probeLabBridging(
  docker: Docker,
  image: string,
): Promise<{ ok: boolean; detail: string }> {
  await removeProbeLeftovers(docker);
  const network = await docker.createNetwork({
    Name: PROBE_NETWORK,
    Internal: true,
    IPAM: { Config: [{ Subnet: PROBE_SUBNET, Gateway: '198.51.100.254' }] },
    Options: { 'com.docker.network.bridge.name': `${BRIDGE_PREFIX}probe` },
    Labels: { 'org.lvslab.probe': 'bridging' },
  });
  const containers: Docker.Container[] = [];
  try {
    for (const [i, ip] of ['198.51.100.10', '198.51.100.11'].entries()) {
      const container = await docker.createContainer({
        Image: image,
        Labels: { 'org.lvslab.probe': 'bridging' },
        HostConfig: { NetworkMode: PROBE_NETWORK, CapAdd: NODE_CAPABILITIES },
        NetworkingConfig: { EndpointsConfig: { [PROBE_NETWORK]: { IPAMConfig: { IPv4Address: ip } } } },
      });
      containers.push(container);
      await container.start();
      // Addresses from another documentation range: outside the segment's subnet on purpose.
      await execScript(container, `ip addr add 192.0.2.${10 + i}/24 dev eth0`, { timeoutMs: 10_000 });
    }
    const [first] = containers;
    if (!first) throw new Error('probe container missing');
    const ping = await execScript(first, 'ping -c 2 -W 1 192.0.2.11', { timeoutMs: 10_000 });
    return ping.exitCode === 0
      ? { ok: true, detail: 'lab segments switch frames whatever their addresses, like a plain switch' }
      : {
          ok: false,
          detail:
            'the host filters bridged frames with iptables (bridge-nf-call-iptables=1) and Docker drops those whose addresses are outside the segment: tun-sysctl (outside client behind NAT) cannot work until lab bridges are allowed to switch',
        };
  } finally {
    await Promise.all(containers.map((c) => c.remove({ force: true }).catch(() => undefined)));
    await network.remove().catch(() => undefined);
  }
}

/**
 * Adds (or removes) the DOCKER-USER rule on the engine's host, with the host's own iptables
 * (nsenter into PID 1), so that it lands in the same backend as Docker's rules. Root-equivalent:
 * only on the user's request.
 */
export async function setLabBridging(docker: Docker, image: string, allow: boolean): Promise<string> {
  const rule = BRIDGING_RULE;
  const script = allow
    ? `iptables -C ${rule} 2>/dev/null && echo present || { iptables -I ${rule} && echo added; }`
    : `if iptables -C ${rule} 2>/dev/null; then iptables -D ${rule} && echo removed; else echo absent; fi`;
  return runOnHost(
    docker,
    image,
    script,
    ['NET_ADMIN', 'NET_RAW'],
    `sudo iptables ${allow ? '-I' : '-D'} ${rule}`,
  );
}

/** A probe interrupted half-way (the app was killed) must not block the next one. */
async function removeProbeLeftovers(docker: Docker): Promise<void> {
  const filters = { label: ['org.lvslab.probe=bridging'] };
  for (const c of await docker.listContainers({ all: true, filters })) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  }
  for (const n of await docker.listNetworks({ filters }))
    await docker
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
}
