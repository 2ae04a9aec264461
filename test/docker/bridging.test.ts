// The bridge probe against the host's real firewall: whether lab segments switch frames from
// other subnets must follow bridge-nf-call-iptables and the DOCKER-USER rule, read
// independently from the host.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureNodeImage } from '../../main/core/docker/images.js';
import { BRIDGING_RULE, probeLabBridging, setLabBridging } from '../../main/core/preflight/bridging.js';
import { HostHelperError } from '../../main/core/preflight/host-helper.js';
import { docker, newService } from './helpers.js';

const service = newService();
const nfCallFile = '/proc/sys/net/bridge/bridge-nf-call-iptables';
const filtersBridged = existsSync(nfCallFile) && readFileSync(nfCallFile, 'utf8').trim() === '1';
const rule = BRIDGING_RULE.split(' ');

function hostRulePresent(): boolean {
  try {
    execFileSync('iptables', ['-C', ...rule], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
const hostIptables = (action: '-I' | '-D') => execFileSync('iptables', [action, ...rule], { stdio: 'pipe' });

describe.runIf(!process.env.DOCKER_HOST)('lab bridging on this host', () => {
  const hadRule = hostRulePresent();
  afterAll(() => {
    // Leave the host as it was.
    if (hostRulePresent() !== hadRule) hostIptables(hadRule ? '-I' : '-D');
  });

  it('the probe sees foreign-subnet frames dropped exactly when the host filters bridged frames without the rule', async () => {
    if (hadRule) hostIptables('-D');
    const image = await ensureNodeImage(docker, service.paths.imageContext);
    expect((await probeLabBridging(docker, image)).ok).toBe(!filtersBridged);

    hostIptables('-I');
    expect((await probeLabBridging(docker, image)).ok).toBe(true);

    hostIptables('-D');
    const again = await probeLabBridging(docker, image);
    expect(again.ok).toBe(!filtersBridged);
    if (!again.ok) expect(again.detail).toMatch(/tun-sysctl/);
  });

  /**
   * Whether this engine lets a container into the host's namespaces at all, asked with the
   * docker CLI rather than LVS Lab's code, so that the helper's outcome has something to match.
   */
  function engineAllowsHostAccess(image: string): boolean {
    for (const flags of [
      ['--privileged'],
      [
        '--cap-add',
        'SYS_ADMIN',
        '--cap-add',
        'SYS_PTRACE',
        '--security-opt',
        'apparmor=unconfined',
        '--security-opt',
        'seccomp=unconfined',
      ],
    ]) {
      try {
        execFileSync(
          'docker',
          [
            'run',
            '--rm',
            '--pid=host',
            '--network=none',
            ...flags,
            image,
            'nsenter',
            '-t',
            '1',
            '-m',
            '-n',
            'true',
          ],
          { stdio: 'pipe', timeout: 60_000 },
        );
        return true;
      } catch {
        // Try the narrower set, as the helper does.
      }
    }
    return false;
  }

  it('the opt-in helper adds and removes the rule where the engine allows host access, and otherwise says what to run by hand, changing nothing', async () => {
    const image = await ensureNodeImage(docker, service.paths.imageContext);
    if (hostRulePresent()) hostIptables('-D');
    const allowed = engineAllowsHostAccess(image);
    const outcome = await setLabBridging(docker, image, true).then(
      () => 'added',
      (error: unknown) => error,
    );
    if (allowed) {
      expect(outcome).toBe('added');
      expect(hostRulePresent()).toBe(true);
      await setLabBridging(docker, image, false);
      expect(hostRulePresent()).toBe(false);
    } else {
      expect(outcome).toBeInstanceOf(HostHelperError);
      expect((outcome as HostHelperError).manual).toBe(`sudo iptables -I ${BRIDGING_RULE}`);
      expect((outcome as HostHelperError).message).toMatch(/would not let a container act on its host/);
      expect(hostRulePresent()).toBe(false);
    }
  });

  it('leaves no probe network or container behind', async () => {
    const filters = { label: ['org.lvslab.probe'] };
    expect(await docker.listContainers({ all: true, filters })).toEqual([]);
    expect(await docker.listNetworks({ filters })).toEqual([]);
  });
});
