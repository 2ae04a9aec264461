// One node in the topology: role colour and label, name, state, addresses, and the VIP on the
// director.
import type { NodeStatus } from '../../../../shared/status.js';
import type { NodeLayout } from './topology-layout.js';

const ROLE_LABELS: Record<string, string> = {
  director: 'director',
  realserver: 'real server',
  client: 'client',
  router: 'router',
};

function stateClass(status: NodeStatus | undefined): string {
  if (!status) return 'state-none';
  return status.state === 'running' ? 'state-running' : 'state-stopped';
}

export function TopologyNode({ layout, status }: { layout: NodeLayout; status: NodeStatus | undefined }) {
  const { node, x, y, width, height } = layout;
  const role = node.role;
  const stateText = status ? status.state : 'not started';
  let lineY = y + 52;
  return (
    <g className={`topo-node role-${role} ${stateClass(status)}`} data-node={node.name}>
      <title>{`${node.name} (${ROLE_LABELS[role] ?? role}): ${status ? status.status : 'not started'}`}</title>
      <rect className="topo-box" x={x} y={y} width={width} height={height} rx={8} />
      <rect className="topo-band" x={x} y={y} width={6} height={height} rx={3} />
      <text className="topo-name" x={x + 16} y={y + 19}>
        {node.name}
      </text>
      <circle className="topo-state" cx={x + width - 14} cy={y + 14} r={5} />
      <text className="topo-role" x={x + 16} y={y + 35}>
        {`${ROLE_LABELS[role] ?? role} · ${stateText}`}
      </text>
      {layout.addresses.map((line) => {
        const text = (
          <text key={line} className="topo-address" x={x + 16} y={lineY}>
            {line}
          </text>
        );
        lineY += 15;
        return text;
      })}
      {layout.vip === null ? null : (
        <text className="topo-vip" x={x + 16} y={lineY}>
          {`VIP ${layout.vip}`}
        </text>
      )}
    </g>
  );
}
