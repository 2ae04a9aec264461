// The opt-in fix for a Linux host whose kernel has the modules but has not loaded them: one
// short-lived privileged container runs the HOST's own modprobe (nsenter into PID 1's mount
// namespace), so the host's module tree and compression format are used. It is root-equivalent
// on the host, so it only ever runs when the user asks for it.
import type Docker from 'dockerode';
import { LABEL } from '../docker/labels.js';
import { demuxLogs } from './preflight.js';

export const LAB_MODULES = ['ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_wlc', 'ipip', 'arp_tables', 'arptable_filter', 'arpt_mangle'];

export interface LoadModulesResult {
  loaded: string[];
  failed: { module: string; message: string }[];
}

export async function loadHostModules(docker: Docker, image: string, modules = LAB_MODULES): Promise<LoadModulesResult> {
  // One modprobe per module so that one missing module does not hide the others.
  const script = modules
    .map((m) => `if nsenter -t 1 -m -- modprobe ${m} 2>/tmp/err; then echo "ok ${m}"; else echo "fail ${m} $(tr '\\n' ' ' </tmp/err)"; fi`)
    .join('\n');
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['sh', '-c', script],
    Labels: { [LABEL.managed]: 'true', 'org.lvslab.probe': 'load-modules' },
    HostConfig: { Privileged: true, PidMode: 'host', NetworkMode: 'none' },
  });
  try {
    await container.start();
    await container.wait();
    return parseLoadOutput(demuxLogs(await container.logs({ stdout: true, stderr: true })));
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

export function parseLoadOutput(output: string): LoadModulesResult {
  const result: LoadModulesResult = { loaded: [], failed: [] };
  for (const line of output.split('\n')) {
    const ok = /^ok (\S+)$/.exec(line);
    if (ok?.[1]) result.loaded.push(ok[1]);
    const failed = /^fail (\S+) ?(.*)$/.exec(line);
    if (failed?.[1]) result.failed.push({ module: failed[1], message: failed[2]?.trim() || 'modprobe failed' });
  }
  return result;
}
