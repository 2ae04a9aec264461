// The live round-robin panel: requests from the client to the VIP, and which real server
// answered each, against the split the scheduler aims for.
import { useEffect, useMemo } from 'react';
import type { LabPanelProps } from '../lab/panel-props.js';
import { useIpvsStore } from '../../stores/ipvs-store.js';
import { expectedForLab, latencyPercentiles, rollingRate } from '../../stores/probe-stats.js';
import { useProbeStore } from '../../stores/probe-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { SectionHead } from '../common/SectionHead.js';
import { ProbeControls } from './ProbeControls.js';
import { ProbeSummary } from './ProbeSummary.js';
import { ResponseStrip, STRIP_LENGTH } from './ResponseStrip.js';
import { ServerShares } from './ServerShares.js';
import { serverColorClasses } from './server-colors.js';

export function RoundRobinPanel({ labId, detail, running }: LabPanelProps) {
  const version = useProbeStore((s) => s.version);
  const samples = useProbeStore((s) => s.samples);
  const phase = useProbeStore((s) => s.phase);
  const total = useProbeStore((s) => s.total);
  const answered = useProbeStore((s) => s.answered);
  const timeouts = useProbeStore((s) => s.timeouts);
  const errors = useProbeStore((s) => s.errors);
  const counts = useProbeStore((s) => s.counts);
  const errorKinds = useProbeStore((s) => s.errorKinds);
  const endReason = useProbeStore((s) => s.endReason);
  const error = useProbeStore((s) => s.error);
  const ipvs = useIpvsStore((s) => (s.labId === labId ? s.view : null));
  const readIpvs = useIpvsStore((s) => s.read);

  // The weights and the live scheduler come from the IPVS table: read it when the panel opens
  // and whenever a probe starts (a step may have switched rr to wrr).
  useEffect(() => {
    if (running && (phase === 'idle' || phase === 'running')) void readIpvs(labId);
  }, [labId, running, phase, readIpvs]);

  const colors = useMemo(() => serverColorClasses(detail), [detail]);
  const expected = useMemo(() => expectedForLab(detail, ipvs), [detail, ipvs]);
  // The ring buffer is mutated in place; `version` changes whenever it does, so it is a dependency.
  const stats = useMemo(() => {
    const all = samples.toArray();
    return { strip: all.slice(-STRIP_LENGTH), latency: latencyPercentiles(all), rate: rollingRate(all) };
  }, [samples, version]);
  const servers = detail.nodes.filter((n) => n.role === 'realserver').map((n) => n.name);

  return (
    <section className="rr-panel" aria-labelledby="rr-title">
      <SectionHead title="Live round robin" titleId="rr-title">
        <span className="dim">
          {`${detail.service.url ?? `http://${detail.service.vip}:${detail.service.port}/`} from the client`}
        </span>
      </SectionHead>
      <ProbeControls labId={labId} running={running} />
      {error ? <ErrorNotice title="The probe failed" error={error} /> : null}
      {endReason !== null && phase === 'idle' ? <p className="dim">{`Probe ended: ${endReason}`}</p> : null}
      <ResponseStrip samples={stats.strip} colors={colors} />
      <ServerShares
        servers={servers}
        counts={counts}
        answered={answered}
        expected={expected}
        colors={colors}
      />
      {expected.note === undefined ? null : <p className="dim">{`Expected split: ${expected.note}.`}</p>}
      <ProbeSummary
        total={total}
        answered={answered}
        timeouts={timeouts}
        errors={errors}
        errorKinds={errorKinds}
        p50={stats.latency.p50}
        p95={stats.latency.p95}
        rate={stats.rate}
      />
    </section>
  );
}
