// The lab's networks and nodes as a diagram, with each node's state from the engine; it can be
// enlarged over the page.
import { useMemo, useState } from 'react';
import type { LabDetail } from '../../../../shared/api.js';
import type { LabInstanceStatus } from '../../../../shared/status.js';
import { TopologyDiagram } from './TopologyDiagram.js';
import { TopologyZoom } from './TopologyZoom.js';
import { layoutTopology } from './topology-layout.js';

export interface TopologyViewProps {
  detail: LabDetail;
  instance: LabInstanceStatus | null;
}

export function TopologyView({ detail, instance }: TopologyViewProps) {
  const layout = useMemo(() => layoutTopology(detail), [detail]);
  const [zoomed, setZoomed] = useState(false);
  const service = detail.service;
  return (
    <figure className="topology">
      <TopologyDiagram detail={detail} layout={layout} instance={instance} />
      <figcaption className="dim">
        <span>
          {`Service ${service.protocol.toUpperCase()} ${service.vip}:${service.port}, scheduler ${service.scheduler}`}
          {service.url === undefined ? '' : `, clients use ${service.url}`}
        </span>
        <button
          type="button"
          className="small"
          onClick={() => {
            setZoomed(true);
          }}
        >
          Enlarge
        </button>
      </figcaption>
      {zoomed ? (
        <TopologyZoom
          title={`Topology of ${detail.title}`}
          onClose={() => {
            setZoomed(false);
          }}
        >
          <TopologyDiagram detail={detail} layout={layout} instance={instance} natural={true} />
        </TopologyZoom>
      ) : null}
    </figure>
  );
}
