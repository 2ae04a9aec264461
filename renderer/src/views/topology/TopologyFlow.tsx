// The live path over the topology, drawn from the nodes' packet counters while the probe or a
// capture runs: requests from the client into the director, the tunnel from the director into
// each real server, and the replies each real server sends straight to the client. An arrow is
// drawn only where packets were counted since the last read.
import type { LiveFlow } from '../../stores/flow-store.js';
import type { NodeLayout, TopologyLayout } from './topology-layout.js';

interface Arrow {
  key: string;
  kind: 'request' | 'tunnel' | 'reply';
  from: NodeLayout;
  to: NodeLayout;
  label: string;
  /** How far the curve bends, so that arrows between the same boxes stay apart. */
  bend: number;
}

function centre(node: NodeLayout): [number, number] {
  return [node.x + node.width / 2, node.y + node.height / 2];
}

/** Where the line from a box's centre towards a point leaves the box: arrows start at edges. */
export function edgeTowards(node: NodeLayout, [tx, ty]: [number, number]): [number, number] {
  const [cx, cy] = centre(node);
  const dx = tx - cx;
  const dy = ty - cy;
  if (dx === 0 && dy === 0) return [cx, cy];
  const scale = Math.min(
    dx === 0 ? Infinity : node.width / 2 / Math.abs(dx),
    dy === 0 ? Infinity : node.height / 2 / Math.abs(dy),
  );
  return [cx + dx * Math.min(scale, 1), cy + dy * Math.min(scale, 1)];
}

export function flowArrows(layout: TopologyLayout, flow: LiveFlow): Arrow[] {
  const byRole = (role: string) => layout.nodes.filter((n) => n.node.role === role);
  const director = byRole('director')[0];
  const client = byRole('client')[0];
  if (!director || !client) return [];
  const arrows: Arrow[] = [];
  if (flow.intoDirector > 0) {
    arrows.push({
      key: 'request',
      kind: 'request',
      from: client,
      to: director,
      label: `requests ${flow.intoDirector}/s`,
      bend: 0,
    });
  }
  for (const server of byRole('realserver')) {
    const tunnel = flow.tunnel[server.node.name] ?? 0;
    const replies = flow.replies[server.node.name] ?? 0;
    if (tunnel > 0) {
      arrows.push({
        key: `tunnel-${server.node.name}`,
        kind: 'tunnel',
        from: director,
        to: server,
        label: `IPIP ${tunnel}/s`,
        bend: 18,
      });
    }
    if (replies > 0) {
      arrows.push({
        key: `reply-${server.node.name}`,
        kind: 'reply',
        from: server,
        to: client,
        label: `replies ${replies}/s`,
        bend: -40,
      });
    }
  }
  return arrows;
}

export function TopologyFlow({ layout, flow }: { layout: TopologyLayout; flow: LiveFlow }) {
  const arrows = flowArrows(layout, flow);
  return (
    <g className="topo-flow" aria-label="Live traffic">
      <defs>
        {(['request', 'tunnel', 'reply'] as const).map((kind) => (
          <marker
            key={kind}
            id={`topo-arrow-${kind}`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" className={`topo-arrowhead flow-${kind}`} />
          </marker>
        ))}
      </defs>
      {arrows.map((arrow) => {
        const [x1, y1] = edgeTowards(arrow.from, centre(arrow.to));
        const [x2, y2] = edgeTowards(arrow.to, centre(arrow.from));
        // A quadratic curve bent sideways from the straight line, by `bend` pixels.
        const length = Math.hypot(x2 - x1, y2 - y1) || 1;
        const cx = (x1 + x2) / 2 + ((y2 - y1) / length) * arrow.bend;
        const cy = (y1 + y2) / 2 - ((x2 - x1) / length) * arrow.bend;
        return (
          <g key={arrow.key} className={`topo-flow-arrow flow-${arrow.kind}`} data-flow={arrow.key}>
            <path
              d={`M ${x1} ${y1} Q ${cx} ${cy} ${x2} ${y2}`}
              markerEnd={`url(#topo-arrow-${arrow.kind})`}
            />
            <text x={cx} y={cy}>
              {arrow.label}
            </text>
          </g>
        );
      })}
    </g>
  );
}
