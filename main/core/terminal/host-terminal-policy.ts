// Whether this shell of the app opens shells on the host. The desktop app is the local user's
// own window, so it does. Browser mode serves whoever holds the token, and a host shell runs as
// the user who started the server, so it does only when `lvs-lab serve --host-terminal` says so.
import type { AppFeatures } from '../../../shared/api.js';
import { hostUser } from './host-shell.js';

/** The `serve` flag that turns the host terminal on in browser mode. */
export const HOST_TERMINAL_FLAG = '--host-terminal';

export const HOST_TERMINAL_OFF_REASON = `the host terminal is off: start with \`lvs-lab serve ${HOST_TERMINAL_FLAG}\` to turn it on`;

export function hostTerminalFeatures(
  enabled: boolean,
  platform: NodeJS.Platform = process.platform,
): AppFeatures {
  if (!enabled) return { hostTerminal: false, hostTerminalReason: HOST_TERMINAL_OFF_REASON };
  // The host shell is started through /bin/sh (host-shell.ts).
  if (platform === 'win32') {
    return {
      hostTerminal: false,
      hostTerminalReason: 'the host terminal needs a Unix shell: Linux or macOS',
    };
  }
  return { hostTerminal: true, hostUser: hostUser() };
}
