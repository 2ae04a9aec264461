// A one-shot container that acts on the engine's host (or Docker Desktop's VM) through
// `nsenter -t 1`: the host's own modprobe and iptables, so the host's module tree and firewall
// backend are used. Root-equivalent, so it only ever runs when the user asks for it.
import type Docker from 'dockerode';
import { demuxLogs } from '../docker/demux.js';
import { LABEL } from '../docker/labels.js';
import { errorText } from '../errors.js';

export class HostHelperError extends Error {
  constructor(
    message: string,
    /** What to run on the host by hand instead. */
    readonly manual: string,
  ) {
    super(`${message}. Run it on the Docker host yourself: ${manual}`);
    this.name = 'HostHelperError';
  }
}

/**
 * Runs `script` in the host's mount and network namespaces. `--privileged` is the usual way;
 * an engine whose own capability set is short of one (some sandboxes lack CAP_SYS_RESOURCE)
 * cannot start such a container, so it retries with only the capabilities the script needs.
 */
export async function runOnHost(
  docker: Docker,
  image: string,
  script: string,
  capabilities: string[],
  manual: string,
): Promise<string> {
  const configs: Docker.HostConfig[] = [
    { Privileged: true, PidMode: 'host', NetworkMode: 'none' },
    {
      PidMode: 'host',
      NetworkMode: 'none',
      CapAdd: ['SYS_ADMIN', 'SYS_PTRACE', ...capabilities],
      SecurityOpt: ['apparmor=unconfined', 'seccomp=unconfined'],
    },
  ];
  let lastError = '';
  for (const hostConfig of configs) {
    const container = await docker.createContainer({
      Image: image,
      Cmd: ['nsenter', '-t', '1', '-m', '-n', '--', 'sh', '-c', script],
      Labels: { [LABEL.managed]: 'true', 'org.lvslab.probe': 'host-helper' },
      HostConfig: hostConfig,
    });
    try {
      try {
        await container.start();
      } catch (error) {
        lastError = errorText(error);
        continue;
      }
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      const output = demuxLogs(await container.logs({ stdout: true, stderr: true })).trim();
      if (/nsenter: cannot open/.test(output)) {
        lastError = output;
        continue;
      }
      if (StatusCode !== 0)
        throw new HostHelperError(`the host command failed (exit ${StatusCode}): ${output}`, manual);
      return output;
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  }
  throw new HostHelperError(`the engine would not let a container act on its host (${lastError})`, manual);
}
