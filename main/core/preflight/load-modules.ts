// The opt-in fix for a Linux host whose kernel has the modules but has not loaded them: the
// host's own modprobe, run through a one-shot host helper container (host-helper.ts).
import type Docker from 'dockerode';
import { runOnHost } from './host-helper.js';

export const LAB_MODULES = [
  'ip_vs',
  'ip_vs_rr',
  'ip_vs_wrr',
  'ip_vs_wlc',
  'ipip',
  'arp_tables',
  'arptable_filter',
  'arpt_mangle',
];

export interface LoadModulesResult {
  loaded: string[];
  failed: { module: string; message: string }[];
}

export async function loadHostModules(
  docker: Docker,
  image: string,
  modules = LAB_MODULES,
): Promise<LoadModulesResult> {
  // One modprobe per module, so that one missing module does not hide the others.
  const script = modules
    .map(
      (m) =>
        `if modprobe ${m} 2>/tmp/err; then echo "ok ${m}"; else echo "fail ${m} $(tr '\\n' ' ' </tmp/err)"; fi`,
    )
    .join('\n');
  const output = await runOnHost(
    docker,
    image,
    script,
    ['SYS_MODULE'],
    `sudo modprobe -a ${modules.join(' ')}`,
  );
  return parseLoadOutput(output);
}

export function parseLoadOutput(output: string): LoadModulesResult {
  const result: LoadModulesResult = { loaded: [], failed: [] };
  for (const line of output.split('\n')) {
    const ok = /^ok (\S+)$/.exec(line);
    if (ok?.[1]) result.loaded.push(ok[1]);
    const failed = /^fail (\S+) ?(.*)$/.exec(line);
    if (failed?.[1])
      result.failed.push({ module: failed[1], message: failed[2]?.trim() || 'modprobe failed' });
  }
  return result;
}
