// The director's IPVS table as ipvsadm -Ln --stats shows it: each virtual service, then its real
// servers with forwarding method, weight and counters.
import { Fragment } from 'react';
import type { IpvsCountersView, IpvsView } from '../../../../shared/api.js';

const COUNTERS: { key: keyof IpvsCountersView; label: string }[] = [
  { key: 'conns', label: 'Conns' },
  { key: 'inPkts', label: 'InPkts' },
  { key: 'outPkts', label: 'OutPkts' },
  { key: 'inBytes', label: 'InBytes' },
  { key: 'outBytes', label: 'OutBytes' },
];

function counterCells(stats: IpvsCountersView) {
  return COUNTERS.map(({ key }) => (
    <td
      key={key}
      className={`num${key === 'outPkts' || key === 'outBytes' ? ' col-out' : ''}`}
      data-col={key}
    >
      {stats[key].toLocaleString('en-US')}
    </td>
  ));
}

const FORWARD_NAMES: Record<string, string> = {
  tunnel: 'Tunnel',
  route: 'Route',
  masq: 'Masq',
  local: 'Local',
};

export function IpvsTable({ view }: { view: IpvsView }) {
  if (view.services.length === 0) {
    return (
      <p className="empty-panel">
        No virtual service yet: the director has an empty IPVS table. The step that runs ipvsadm -A adds one.
      </p>
    );
  }
  return (
    <table className="ipvs-table">
      <thead>
        <tr>
          <th scope="col">Service / real server</th>
          <th scope="col">Scheduler / forward</th>
          <th scope="col" className="num">
            Weight
          </th>
          {COUNTERS.map(({ key, label }) => (
            <th
              key={key}
              scope="col"
              className={`num${key === 'outPkts' || key === 'outBytes' ? ' col-out' : ''}`}
            >
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {view.services.map((service) => {
          const name = `${service.protocol.toUpperCase()} ${service.address}:${service.port}`;
          return (
            <Fragment key={name}>
              <tr className="ipvs-service">
                <th scope="row">{name}</th>
                <td>{service.scheduler}</td>
                <td className="num">{''}</td>
                {counterCells(service.stats)}
              </tr>
              {service.realServers.length === 0 ? (
                <tr className="ipvs-rs">
                  <td colSpan={8} className="dim">
                    no real servers
                  </td>
                </tr>
              ) : (
                service.realServers.map((rs) => (
                  <tr key={`${rs.address}:${rs.port}`} className="ipvs-rs">
                    <th scope="row">
                      {`→ ${rs.address}:${rs.port}`}
                      {rs.node === null ? null : <span className="node-tag">{rs.node}</span>}
                    </th>
                    <td>{FORWARD_NAMES[rs.forward] ?? rs.forward}</td>
                    <td className="num">{String(rs.weight)}</td>
                    {counterCells(rs.stats)}
                  </tr>
                ))
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
