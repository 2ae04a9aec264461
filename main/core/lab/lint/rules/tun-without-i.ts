// LVS-TUN needs every real server added or edited with -i (IPIP): without a method ipvsadm
// forwards by direct routing (-g, its default), and -g/-m forward another way than the tunnel.
import type { SemanticIssue } from '../../semantics.js';
import type { LintContext } from '../context.js';
import { FORWARDING, ipvsadmCommand } from '../ipvsadm-commands.js';
import { clip, warning } from './warning.js';

export function tunWithoutI({ lines }: LintContext): SemanticIssue[] {
  return lines.flatMap((line) =>
    line.simple.flatMap((argv) => {
      const command = ipvsadmCommand(argv);
      if (command?.operation !== 'add-server' && command?.operation !== 'edit-server') return [];
      const flag = argv.find((w) => FORWARDING[w] !== undefined);
      if (flag !== undefined && FORWARDING[flag] === 'tunnel') return [];
      const shown = `"${clip(argv.join(' '))}"`;
      const message =
        flag !== undefined
          ? `${shown} uses ${flag}: this lab is LVS-TUN; -g/-m forward differently (direct routing, NAT). Use -i (--ipip)`
          : command.operation === 'add-server'
            ? `${shown} has no -i: ipvsadm then forwards by direct routing (-g, its default), not through the IPIP tunnel. Add -i (--ipip)`
            : `${shown} has no -i: ipvsadm -e resets the real server to direct routing (-g, its default) when no method is given. Add -i (--ipip)`;
      return [warning('tun-without-i', line.path, message)];
    }),
  );
}
