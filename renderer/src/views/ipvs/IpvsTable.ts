// The director's IPVS table as ipvsadm -Ln --stats shows it: each virtual service, then its real
// servers with forwarding method, weight and counters.
import { createElement as h, Fragment } from 'react';
import type { IpvsCountersView, IpvsView } from '../../../../shared/api.js';

const COUNTERS: { key: keyof IpvsCountersView; label: string }[] = [
  { key: 'conns', label: 'Conns' },
  { key: 'inPkts', label: 'InPkts' },
  { key: 'outPkts', label: 'OutPkts' },
  { key: 'inBytes', label: 'InBytes' },
  { key: 'outBytes', label: 'OutBytes' },
];

function counterCells(stats: IpvsCountersView) {
  return COUNTERS.map(({ key }) =>
    h(
      'td',
      { key, className: `num${key === 'outPkts' || key === 'outBytes' ? ' col-out' : ''}`, 'data-col': key },
      stats[key].toLocaleString('en-US'),
    ),
  );
}

const FORWARD_NAMES: Record<string, string> = {
  tunnel: 'Tunnel',
  route: 'Route',
  masq: 'Masq',
  local: 'Local',
};

export function IpvsTable({ view }: { view: IpvsView }) {
  if (view.services.length === 0) {
    return h(
      'p',
      { className: 'empty-panel' },
      'No virtual service yet: the director has an empty IPVS table. The step that runs ipvsadm -A adds one.',
    );
  }
  return h(
    'table',
    { className: 'ipvs-table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'Service / real server'),
        h('th', { scope: 'col' }, 'Scheduler / forward'),
        h('th', { scope: 'col', className: 'num' }, 'Weight'),
        COUNTERS.map(({ key, label }) =>
          h(
            'th',
            {
              key,
              scope: 'col',
              className: `num${key === 'outPkts' || key === 'outBytes' ? ' col-out' : ''}`,
            },
            label,
          ),
        ),
      ),
    ),
    h(
      'tbody',
      null,
      view.services.map((service) => {
        const name = `${service.protocol.toUpperCase()} ${service.address}:${service.port}`;
        return h(
          Fragment,
          { key: name },
          h(
            'tr',
            { className: 'ipvs-service' },
            h('th', { scope: 'row' }, name),
            h('td', null, service.scheduler),
            h('td', { className: 'num' }, ''),
            counterCells(service.stats),
          ),
          service.realServers.length === 0
            ? h('tr', { className: 'ipvs-rs' }, h('td', { colSpan: 8, className: 'dim' }, 'no real servers'))
            : service.realServers.map((rs) =>
                h(
                  'tr',
                  { key: `${rs.address}:${rs.port}`, className: 'ipvs-rs' },
                  h(
                    'th',
                    { scope: 'row' },
                    `→ ${rs.address}:${rs.port}`,
                    rs.node === null ? null : h('span', { className: 'node-tag' }, rs.node),
                  ),
                  h('td', null, FORWARD_NAMES[rs.forward] ?? rs.forward),
                  h('td', { className: 'num' }, String(rs.weight)),
                  counterCells(rs.stats),
                ),
              ),
        );
      }),
    ),
  );
}
