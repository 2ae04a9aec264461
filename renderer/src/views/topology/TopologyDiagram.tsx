// The topology as SVG: network segments, the nodes' links to them, and the nodes.
import type { LabDetail } from '../../../../shared/api.js';
import type { LabInstanceStatus } from '../../../../shared/status.js';
import type { LiveFlow } from '../../stores/flow-store.js';
import { TopologyFlow } from './TopologyFlow.js';
import { TopologyNode } from './TopologyNode.js';
import type { TopologyLayout } from './topology-layout.js';

export interface TopologyDiagramProps {
  detail: LabDetail;
  layout: TopologyLayout;
  instance: LabInstanceStatus | null;
  /** Natural size (zoomed) rather than fitted to the column. */
  natural?: boolean;
  /** Live traffic from the counters, while the probe or a capture runs. */
  flow?: LiveFlow | null;
}

export function TopologyDiagram({
  detail,
  layout,
  instance,
  natural = false,
  flow = null,
}: TopologyDiagramProps) {
  return (
    <svg
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-label={`Topology of ${detail.title}`}
      preserveAspectRatio="xMidYMin meet"
      {...(natural ? { width: layout.width, height: layout.height } : {})}
    >
      {layout.segments.map((segment) => (
        <g key={segment.name} className="topo-segment">
          <line x1={segment.x1} x2={segment.x2} y1={segment.y} y2={segment.y} />
          <text className="topo-segment-label" x={segment.x1} y={segment.y - 6}>
            {`${segment.name} ${segment.subnet}`}
            {segment.description === undefined ? null : <title>{segment.description}</title>}
          </text>
        </g>
      ))}
      {layout.nodes.flatMap((node) =>
        node.links.map((link) => (
          <line
            key={`${node.node.name}-${link.network}`}
            className="topo-link"
            x1={link.x}
            x2={link.x}
            y1={link.y1}
            y2={link.y2}
          />
        )),
      )}
      {layout.nodes.map((node) => (
        <TopologyNode
          key={node.node.name}
          layout={node}
          status={instance?.nodes.find((n) => n.name === node.node.name)}
        />
      ))}
      {flow === null ? null : <TopologyFlow layout={layout} flow={flow} />}
    </svg>
  );
}
