// The fix for each missing kernel feature, per platform. Facts from
// ../shared/research/kernel-platforms.md: where IPVS, ipip and arptables live on each engine.
import type { Platform, PreflightFix } from '../../../shared/preflight.js';

const LOAD_HELPER = 'or let LVS Lab do it once: lvs-lab preflight --load-modules';

export const FIXES: Record<
  'ipvs' | 'scheduler' | 'ipip' | 'arptables' | 'sysctl' | 'rootless' | 'bridging',
  PreflightFix[]
> = {
  bridging: [
    {
      platform: 'linux',
      text: 'lvs-lab preflight --allow-lab-bridging adds one rule on the Docker host: iptables -I DOCKER-USER -i lvslab+ -m physdev --physdev-is-bridged -j ACCEPT (frames switched inside lab bridges only; routed traffic stays blocked). --disallow-lab-bridging removes it.',
    },
    {
      platform: 'docker-desktop',
      text: "lvs-lab preflight --allow-lab-bridging adds the rule inside Docker Desktop's VM; it is gone after Docker Desktop restarts.",
    },
    {
      platform: 'wsl2',
      text: 'lvs-lab preflight --allow-lab-bridging adds the rule where the engine runs; repeat after `wsl --shutdown`.',
    },
  ],
  ipvs: [
    {
      platform: 'linux',
      text: `sudo modprobe -a ip_vs ip_vs_rr ip_vs_wrr ip_vs_wlc (${LOAD_HELPER}); to keep it across reboots, list the modules in /etc/modules-load.d/lvs-lab.conf`,
    },
    {
      platform: 'docker-desktop',
      text: 'IPVS is built into Docker Desktop kernels since 2.5; update Docker Desktop. With Enhanced Container Isolation on, IPVS cannot be configured: turn it off for the lab.',
    },
    {
      platform: 'wsl2',
      text: 'WSL 6.6 kernels ship ip_vs as a module: run `wsl -u root modprobe -a ip_vs ip_vs_rr ip_vs_wrr` in any WSL distro (all share one kernel), or `wsl --update` on older kernels.',
    },
    { platform: 'orbstack', text: 'OrbStack kernels have IPVS built in; update OrbStack.' },
    {
      platform: 'colima',
      text: `colima ssh -- sudo modprobe -a ip_vs ip_vs_rr ip_vs_wrr ip_vs_wlc (${LOAD_HELPER})`,
    },
  ],
  scheduler: [
    { platform: 'linux', text: 'sudo modprobe ip_vs_<scheduler>' },
    {
      platform: 'wsl2',
      text: 'WSL 5.15 kernels have no wlc scheduler; the labs always pass -s rr or -s wrr. `wsl --update` brings the 6.6 kernel with all schedulers.',
    },
  ],
  ipip: [
    {
      platform: 'linux',
      text: `sudo modprobe ipip (${LOAD_HELPER}). If ipip is loaded but tunl0 is missing, the host sets net.core.fb_tunnels_only_for_init_net (Cilium does): set it to 0.`,
    },
    {
      platform: 'docker-desktop',
      text: 'ipip is built into Docker Desktop kernels; restart Docker Desktop, then run preflight again.',
    },
    {
      platform: 'wsl2',
      text: 'WSL 5.15 kernels have no ipip module at all: run `wsl --update` to get the 6.6 kernel, then `wsl -u root modprobe ipip`.',
    },
    { platform: 'orbstack', text: 'ipip is built into OrbStack kernels; update OrbStack.' },
    { platform: 'colima', text: 'colima ssh -- sudo modprobe ipip' },
  ],
  arptables: [
    {
      platform: 'linux',
      text: `sudo modprobe -a arp_tables arptable_filter arpt_mangle (${LOAD_HELPER}); or do the tun-sysctl lab, which hides the VIP with arp_ignore/arp_announce instead`,
    },
    {
      platform: 'wsl2',
      text: 'WSL 5.15 has arptables built in; on 6.6 run `wsl -u root modprobe -a arp_tables arptable_filter arpt_mangle`.',
    },
    {
      platform: 'docker-desktop',
      text: 'arptables is built into Docker Desktop kernels; do the tun-sysctl lab if it still fails.',
    },
  ],
  sysctl: [
    {
      platform: 'linux',
      text: "The engine keeps /proc/sys read-only in containers. LVS Lab asks it to make only /proc/sys/net writable (the node's own network namespace); where AppArmor runs, load LVS Lab's profile once: `sudo apparmor_parser -r -W lab-images/apparmor/lvs-lab-node`. A rootless engine or user-namespace remapping refuses the writes: use the rootful engine.",
    },
  ],
  rootless: [
    {
      platform: 'linux',
      text: 'IPVS needs CAP_NET_ADMIN in the initial user namespace, which a rootless engine cannot give. Use the rootful engine: `docker context use default` with `sudo systemctl start docker`; for Podman, `podman machine set --rootful`.',
    },
    { platform: 'podman', text: 'podman machine set --rootful, then restart the machine.' },
  ],
};

/** Fixes for the engine's platform first, then the rest. */
export function fixesFor(kind: keyof typeof FIXES, platform: Platform): PreflightFix[] {
  const all = FIXES[kind];
  return [...all.filter((f) => f.platform === platform), ...all.filter((f) => f.platform !== platform)];
}
