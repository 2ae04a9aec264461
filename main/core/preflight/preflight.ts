// Preflight: can this engine run LVS-TUN labs? It checks the engine, then probes the kernel's
// features from a short-lived container with no network, because config files lie (built-in
// modules, stub /proc/config.gz) and only a real ipvsadm call tells.
import type Docker from 'dockerode';
import type { Platform, PreflightItem, PreflightReport } from '../../../shared/preflight.js';
import type { ProgressListener } from '../../../shared/progress.js';
import { engineEndpoint } from '../docker/engine.js';
import { demuxLogs } from '../docker/demux.js';
import { ensureNodeImage } from '../docker/images.js';
import { LABEL } from '../docker/labels.js';
import { newMarker, parseSections, section, type Section } from '../docker/sections.js';
import { errorText } from '../errors.js';
import { detectIpvsUnavailable } from '../parsers/index.js';
import { NODE_CAPABILITIES, confinedProcSys } from '../runtime/plan.js';
import { probeLabBridging } from './bridging.js';
import { fixesFor } from './fixes.js';

export const SCHEDULERS_PROBED = ['rr', 'wrr', 'wlc'] as const;

/** Shell run in the probe container: one marked section per feature. 192.0.2.0/24 is a documentation range. */
export function probeScript(marker: string): string {
  return [
    section(marker, 'uname', 'uname -r'),
    section(marker, 'ipvs', 'ipvsadm -A -t 192.0.2.1:80 -s rr && ipvsadm -Ln'),
    ...SCHEDULERS_PROBED.map((s) =>
      section(
        marker,
        `sched-${s}`,
        `ipvsadm -A -t 192.0.2.2:80 -s ${s}; rc=$?; ipvsadm -D -t 192.0.2.2:80 >/dev/null 2>&1; exit $rc`,
      ),
    ),
    section(
      marker,
      'ipip',
      'ip link show tunl0 || { ip link add lvsprobe0 type ipip local 192.0.2.3 remote any && ip link show tunl0; }',
    ),
    section(
      marker,
      'arptables',
      'arptables -A INPUT -d 192.0.2.1 -j DROP && arptables -A OUTPUT -s 192.0.2.1 -j mangle --mangle-ip-s 192.0.2.4 && arptables -L -n',
    ),
    section(marker, 'sysctl', 'sysctl -w net.ipv4.conf.all.arp_ignore=1'),
    section(marker, 'rp_filter', 'sysctl -n net.ipv4.conf.all.rp_filter net.ipv4.conf.default.rp_filter'),
  ].join('\n');
}

/** The probe's sections, each trimmed. */
export function parseProbeSections(output: string, marker: string): Map<string, Section> {
  return new Map(
    [...parseSections(output, marker)].map(([name, s]) => [name, { rc: s.rc, text: s.text.trim() }]),
  );
}

export function classifyPlatform(info: {
  OperatingSystem?: string;
  KernelVersion?: string;
  Name?: string;
}): Platform {
  const os = (info.OperatingSystem ?? '').toLowerCase();
  const kernel = (info.KernelVersion ?? '').toLowerCase();
  if (os.includes('docker desktop')) return kernel.includes('microsoft') ? 'wsl2' : 'docker-desktop';
  if (kernel.includes('microsoft') || kernel.includes('wsl')) return 'wsl2';
  if (kernel.includes('orbstack')) return 'orbstack';
  if ((info.Name ?? '').toLowerCase().includes('colima')) return 'colima';
  if (os.includes('podman') || os.includes('fedora coreos')) return 'podman';
  return 'linux';
}

/** Turns the probe's sections into report items. Pure, so each verdict is unit-tested. */
export function kernelItems(
  sections: Map<string, { rc: number; text: string }>,
  platform: Platform,
): PreflightItem[] {
  const items: PreflightItem[] = [];
  const get = (name: string) => sections.get(name) ?? { rc: -1, text: 'the probe did not report this' };
  const kernel = sections.get('uname')?.text || 'unknown';

  const ipvs = get('ipvs');
  const ipvsMissing = detectIpvsUnavailable(ipvs.text);
  const ipvsOk = ipvs.rc === 0;
  items.push({
    id: 'ipvs',
    title: 'IPVS (ip_vs) in the engine kernel',
    status: ipvsOk ? 'ok' : 'fail',
    detail: ipvsOk
      ? `ipvsadm can create a virtual service (kernel ${kernel})`
      : `kernel ${kernel} has no IPVS: ${ipvsMissing ?? lastLine(ipvs.text)}. The director cannot balance.`,
    fixes: ipvsOk ? [] : fixesFor('ipvs', platform),
  });
  for (const scheduler of SCHEDULERS_PROBED) {
    const s = get(`sched-${scheduler}`);
    const ok = s.rc === 0;
    items.push({
      id: `ipvs-${scheduler}`,
      title: `IPVS scheduler ${scheduler}`,
      status: ok ? 'ok' : ipvsOk ? 'warn' : 'skipped',
      detail: ok
        ? `ipvsadm -s ${scheduler} works`
        : ipvsOk
          ? `the kernel lacks ip_vs_${scheduler}: ${lastLine(s.text)}`
          : 'not probed: needs IPVS',
      fixes: ok || !ipvsOk ? [] : fixesFor('scheduler', platform),
    });
  }
  // A feature the probe tried: its section passed, or here is what is missing and the fix.
  const feature = (
    id: 'ipip' | 'arptables' | 'sysctl',
    title: string,
    whenMissing: 'fail' | 'warn',
    ok: string,
    missing: (why: string) => string,
  ): PreflightItem => {
    const section = get(id);
    const passed = section.rc === 0;
    return {
      id,
      title,
      status: passed ? 'ok' : whenMissing,
      detail: passed ? ok : missing(lastLine(section.text)),
      fixes: passed ? [] : fixesFor(id, platform),
    };
  };
  items.push(
    feature(
      'ipip',
      'IP-in-IP tunnel (ipip, tunl0)',
      'fail',
      'tunl0 exists in a new network namespace',
      (why) => `kernel ${kernel} has no ipip: ${why}. Real servers cannot receive tunnelled requests.`,
    ),
    feature(
      'arptables',
      'arptables with the mangle target (legacy backend)',
      'warn',
      'arptables DROP and mangle rules can be added',
      (why) => `arptables failed: ${why}. The arptables labs cannot hide the VIP; tun-sysctl can.`,
    ),
    feature(
      'sysctl',
      'Writable network sysctls in containers',
      'fail',
      'sysctl -w net.ipv4.conf.all.arp_ignore=1 works without --privileged',
      (why) => `sysctl -w failed: ${why}`,
    ),
  );
  const rp = get('rp_filter');
  const [all, dflt] = rp.text.split('\n').map((v) => v.trim());
  items.push({
    id: 'rp_filter',
    title: 'Default rp_filter of new containers',
    status: rp.rc === 0 ? 'ok' : 'warn',
    detail:
      rp.rc === 0
        ? `new containers start with rp_filter all=${all ?? '?'} default=${dflt ?? '?'} (the labs set what they need)`
        : `could not read rp_filter: ${lastLine(rp.text)}`,
    fixes: [],
  });
  return items;
}

function lastLine(text: string): string {
  const line = text.trim().split('\n').filter(Boolean).slice(-1)[0] ?? 'no output';
  return line.replace(/\.+$/, '');
}

export interface PreflightOptions {
  imageContext: string;
  onProgress?: ProgressListener;
  /** How to name the engine in the report; default DOCKER_HOST or the local socket. */
  endpoint?: string;
}

export async function runPreflight(docker: Docker, options: PreflightOptions): Promise<PreflightReport> {
  const endpoint = options.endpoint ?? engineEndpoint().url;
  const items: PreflightItem[] = [];
  let info: { OperatingSystem?: string; KernelVersion?: string; Name?: string; SecurityOptions?: string[] };
  let version: { Version?: string; ApiVersion?: string };
  try {
    [info, version] = await Promise.all([docker.info() as Promise<typeof info>, docker.version()]);
  } catch (error) {
    items.push(engineUnreachable(endpoint, error));
    return { endpoint, engine: null, items, ok: false };
  }
  const platform = classifyPlatform(info);
  const security = info.SecurityOptions ?? [];
  const rootless = security.some((o) => o.includes('name=rootless'));
  const userns = security.some((o) => o.includes('name=userns'));
  const engine = {
    version: version.Version ?? '?',
    apiVersion: version.ApiVersion ?? '?',
    os: info.OperatingSystem ?? '?',
    kernel: info.KernelVersion ?? '?',
    platform,
    rootless,
  };
  items.push({
    id: 'engine',
    title: 'Docker Engine',
    status: 'ok',
    detail: `Docker ${engine.version} (API ${engine.apiVersion}) on ${engine.os}, kernel ${engine.kernel}, at ${endpoint}`,
    fixes: [],
  });
  items.push({
    id: 'rootful',
    title: 'Rootful engine',
    status: rootless || userns ? 'fail' : 'ok',
    detail: rootless
      ? 'this engine is rootless: IPVS and module loading need the initial user namespace'
      : userns
        ? 'this engine remaps user namespaces (userns-remap): IPVS configuration will be refused'
        : 'containers get CAP_NET_ADMIN in the initial user namespace',
    fixes: rootless || userns ? fixesFor('rootless', platform) : [],
  });

  let image: string;
  try {
    image = await ensureNodeImage(docker, options.imageContext, options.onProgress);
  } catch (error) {
    items.push({ id: 'image', title: 'Lab node image', status: 'fail', detail: errorText(error), fixes: [] });
    return { endpoint, engine, items, ok: false };
  }

  const marker = newMarker();
  try {
    const output = await runProbeContainer(
      docker,
      image,
      probeScript(marker),
      security.some((o) => o.includes('name=apparmor')),
    );
    items.push(...kernelItems(parseProbeSections(output, marker), platform));
  } catch (error) {
    items.push({
      id: 'probe',
      title: 'Kernel probe',
      status: 'fail',
      detail: `the probe container failed: ${errorText(error)}`,
      fixes: [],
    });
  }
  items.push(await bridgingItem(docker, image, platform));
  return { endpoint, engine, items, ok: items.every((i) => i.status !== 'fail') };
}

async function bridgingItem(docker: Docker, image: string, platform: Platform): Promise<PreflightItem> {
  const title = 'Lab segments switch every frame';
  try {
    const { ok, detail } = await probeLabBridging(docker, image);
    return {
      id: 'bridging',
      title,
      status: ok ? 'ok' : 'warn',
      detail,
      fixes: ok ? [] : fixesFor('bridging', platform),
    };
  } catch (error) {
    return { id: 'bridging', title, status: 'skipped', detail: `not probed: ${errorText(error)}`, fixes: [] };
  }
}

async function runProbeContainer(
  docker: Docker,
  image: string,
  script: string,
  apparmor: boolean,
): Promise<string> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['timeout', '30', 'sh', '-c', script],
    Labels: { [LABEL.managed]: 'true', 'org.lvslab.probe': 'true' },
    HostConfig: {
      // No network at all: the probe touches only its own namespace.
      NetworkMode: 'none',
      CapAdd: NODE_CAPABILITIES,
      ...confinedProcSys({ apparmor }),
    },
  });
  try {
    await container.start();
    await container.wait();
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    return demuxLogs(logs);
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

function engineUnreachable(endpoint: string, error: unknown): PreflightItem {
  const code = (error as NodeJS.ErrnoException).code;
  const socket = endpoint.replace('unix://', '');
  const detail =
    code === 'ENOENT'
      ? `no Docker Engine socket at ${socket}: Docker is not running`
      : code === 'EACCES'
        ? `permission denied on ${socket}: this user may not use Docker`
        : code === 'ECONNREFUSED'
          ? `nothing answers at ${endpoint}: Docker is not running there`
          : `cannot reach the Docker Engine at ${endpoint}: ${errorText(error)}`;
  return {
    id: 'engine',
    title: 'Docker Engine',
    status: 'fail',
    detail,
    fixes:
      code === 'EACCES'
        ? [{ platform: 'linux', text: 'sudo usermod -aG docker $USER, then log in again' }]
        : [
            {
              platform: 'linux',
              text: 'sudo systemctl start docker (or, where there is no systemd: sudo bash scripts/ensure-dockerd.sh)',
            },
            {
              platform: 'docker-desktop',
              text: 'start Docker Desktop and wait until it says "Engine running"',
            },
            {
              platform: 'wsl2',
              text: 'start Docker Desktop with the WSL 2 backend, or `sudo service docker start` inside the WSL distro',
            },
            {
              platform: 'linux',
              text: 'if the engine is elsewhere, set DOCKER_HOST (for example tcp://169.254.77.2:2375)',
            },
          ],
  };
}
