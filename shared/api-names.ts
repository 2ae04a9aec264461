// The names of the API's requests, sends and events, with no dependency: the Electron preload
// (a single sandboxed file) allows exactly these, and main checks them again with the schemas.

export const REQUEST_NAMES = [
  'labs.list',
  'labs.get',
  'labs.copy',
  'labs.import',
  'labs.export',
  'labs.remove',
  'engine.preflight',
  'lab.status',
  'lab.up',
  'lab.down',
  'lab.cleanup',
  'lab.steps',
  'lab.resetProgress',
  'step.run',
  'step.check',
  'fault.list',
  'fault.break',
  'fault.fix',
  'capture.start',
  'capture.stop',
  'capture.pcap',
  'repro.report',
  'ipvs.read',
  'flow.read',
  'terminal.open',
  'terminal.openHost',
  'terminal.close',
  'probe.start',
  'probe.stop',
  'app.features',
  'engine.info',
  'engine.use',
  'engine.stopBuiltin',
  'engine.logs',
] as const;

export const SEND_NAMES = ['terminal.input', 'terminal.resize', 'terminal.ack'] as const;

export const EVENT_NAMES = [
  'progress',
  'terminal.data',
  'terminal.exit',
  'probe.samples',
  'probe.end',
  'lab.changed',
  'labs.changed',
  'engine.changed',
  'capture.done',
] as const;

/** Electron IPC channels: one per direction, the API name travels as the first argument. */
export const IPC = { request: 'lvslab:request', send: 'lvslab:send', event: 'lvslab:event' } as const;
