// ipvsadm(8): the operations that change the director's IPVS table (services, real servers, clear),
// the forwarding method a real server gets, and ipvsadm's defaults.
import type { Scheduler } from '../../../../shared/lab-schema.js';

export interface IpvsadmCommand {
  operation: 'add-service' | 'edit-service' | 'clear' | 'add-server' | 'edit-server' | 'delete-server';
  argv: string[];
}

const IPVSADM_OPERATIONS: Record<string, IpvsadmCommand['operation']> = {
  '-A': 'add-service',
  '--add-service': 'add-service',
  '-E': 'edit-service',
  '--edit-service': 'edit-service',
  '-C': 'clear',
  '--clear': 'clear',
  '-a': 'add-server',
  '--add-server': 'add-server',
  '-e': 'edit-server',
  '--edit-server': 'edit-server',
  '-d': 'delete-server',
  '--delete-server': 'delete-server',
};

export function ipvsadmCommand(argv: string[]): IpvsadmCommand | null {
  if (argv[0] !== 'ipvsadm') return null;
  const operation = argv.map((w) => IPVSADM_OPERATIONS[w]).find((o) => o !== undefined);
  return operation ? { operation, argv } : null;
}

export const FORWARDING: Record<string, 'tunnel' | 'route' | 'masq'> = {
  '-i': 'tunnel',
  '--ipip': 'tunnel',
  '-g': 'route',
  '--gatewaying': 'route',
  '-m': 'masq',
  '--masquerading': 'masq',
};

/** ipvsadm's defaults, for -A without -s and -a/-e without -w (ipvsadm.c: DEF_SCHED, weight 1). */
export const DEFAULT_SCHEDULER: Scheduler = 'wlc';
export const DEFAULT_WEIGHT = 1;
