// The lab's networks and nodes as a diagram, with each node's state from the engine; it can be
// enlarged over the page.
import { useEffect, useMemo, useState } from 'react';
import type { LabDetail } from '../../../../shared/api.js';
import type { LabInstanceStatus } from '../../../../shared/status.js';
import { useCaptureStore } from '../../stores/capture-store.js';
import { FLOW_INTERVAL_MS, useFlowStore, type LiveFlow } from '../../stores/flow-store.js';
import { useProbeStore } from '../../stores/probe-store.js';
import { TopologyDiagram } from './TopologyDiagram.js';
import { TopologyZoom } from './TopologyZoom.js';
import { layoutTopology } from './topology-layout.js';

export interface TopologyViewProps {
  detail: LabDetail;
  instance: LabInstanceStatus | null;
}

/** Reads the counters once a second while the probe or a capture runs; the flow, or null. */
function useLiveFlow(detail: LabDetail, running: boolean): LiveFlow | null {
  const probing = useProbeStore((s) => s.phase === 'running');
  const capturing = useCaptureStore((s) => s.captureId !== null);
  const active = running && (probing || capturing);
  const flow = useFlowStore((s) => (s.labId === detail.id ? s.flow : null));
  useEffect(() => {
    if (!active) return undefined;
    const { sample, clear } = useFlowStore.getState();
    void sample(detail.id, detail);
    const timer = setInterval(() => void sample(detail.id, detail), FLOW_INTERVAL_MS);
    return () => {
      clearInterval(timer);
      clear();
    };
  }, [active, detail]);
  return active ? flow : null;
}

export function TopologyView({ detail, instance }: TopologyViewProps) {
  const layout = useMemo(() => layoutTopology(detail), [detail]);
  const [zoomed, setZoomed] = useState(false);
  const flow = useLiveFlow(detail, instance?.health === 'running');
  const service = detail.service;
  return (
    <figure className="topology">
      <TopologyDiagram detail={detail} layout={layout} instance={instance} flow={flow} />
      {flow === null ? null : <FlowCaption flow={flow} />}
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
          <TopologyDiagram detail={detail} layout={layout} instance={instance} natural={true} flow={flow} />
        </TopologyZoom>
      ) : null}
    </figure>
  );
}

/** The same numbers in words: the director sends only the tunnel, the replies go around it. */
function FlowCaption({ flow }: { flow: LiveFlow }) {
  const list = (record: Record<string, number>) =>
    Object.entries(record)
      .map(([node, n]) => `${node} ${n}/s`)
      .join(', ');
  return (
    <p className="topo-flow-caption dim" role="status">
      {`Live, from the counters: requests into the director ${flow.intoDirector}/s · IPIP to ${list(flow.tunnel)} · ` +
        `replies from ${list(flow.replies)} · the director sends ${flow.outOfDirector}/s`}
    </p>
  );
}
