// A lab: on the left its state, topology and step guide; on the right the terminals, the live
// round-robin panel or the IPVS table. Each part has its own error boundary.
import { useEffect } from 'react';
import { instanceOf, useLabStore } from '../../stores/lab-store.js';
import { useLabsStore } from '../../stores/labs-store.js';
import { useStepsStore } from '../../stores/steps-store.js';
import { useUiStore } from '../../stores/ui-store.js';
import { emptyProgress } from '../../stores/progress-log.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { ViewBoundary } from '../common/ViewBoundary.js';
import { CapturePanel } from '../capture/CapturePanel.js';
import { IpvsPanel } from '../ipvs/IpvsPanel.js';
import { RoundRobinPanel } from '../probe/RoundRobinPanel.js';
import { StepGuide } from '../steps/StepGuide.js';
import { TerminalsPanel } from '../terminals/TerminalsPanel.js';
import { TopologyView } from '../topology/TopologyView.js';
import { Departures } from './Departures.js';
import { InstanceProblems } from './InstanceProblems.js';
import { TopologyChangedNotice } from './TopologyChangedNotice.js';
import { LabHeader } from './LabHeader.js';
import { LabProgress } from './LabProgress.js';
import { PanelTabs } from './PanelTabs.js';

export function LabView({ labId }: { labId: string }) {
  const detail = useLabsStore((s) => s.details[labId] ?? null);
  const detailError = useLabsStore((s) => s.detailErrors[labId] ?? null);
  const loadDetail = useLabsStore((s) => s.loadDetail);
  const loadSteps = useStepsStore((s) => s.load);
  const instance = useLabStore((s) => instanceOf(s.instances, labId));
  const operation = useLabStore((s) => (s.operation?.labId === labId ? s.operation : null));
  const operationError = useLabStore((s) => (s.operationError?.labId === labId ? s.operationError : null));
  const progress = useLabStore((s) => s.progress[labId] ?? emptyProgress);
  const dismissError = useLabStore((s) => s.dismissOperationError);
  const panel = useUiStore((s) => s.panel);
  const topologyOpen = useUiStore((s) => s.topologyOpen);
  const setTopologyOpen = useUiStore((s) => s.setTopologyOpen);

  const running = instance !== null && instance.health !== 'orphaned' && operation === null;

  // Again whenever a new instance of the lab appears: its file may have changed, and the
  // recorded progress belongs to the instance.
  const instanceId = instance?.instance ?? null;
  useEffect(() => {
    void loadDetail(labId, instanceId !== null);
    void loadSteps(labId);
  }, [labId, instanceId, loadDetail, loadSteps]);

  const showProgress = operation !== null || (operationError !== null && progress.order.length > 0);

  return (
    <main className="lab-view">
      <LabHeader labId={labId} detail={detail} instance={instance} />
      <div className="lab-columns">
        <div className="lab-left">
          {operationError ? (
            <ErrorNotice
              title={
                operationError.kind === 'up' ? 'The lab could not be started' : 'The lab could not be stopped'
              }
              error={operationError.error}
              onDismiss={dismissError}
            />
          ) : null}
          {showProgress ? (
            <LabProgress
              title={operation?.kind === 'down' ? 'Stopping the lab' : 'Starting the lab'}
              log={progress}
            />
          ) : null}
          {instance ? <InstanceProblems instance={instance} /> : null}
          {instance ? <TopologyChangedNotice instance={instance} /> : null}
          {detailError ? (
            <ErrorNotice
              title="The lab could not be loaded"
              error={detailError}
              onRetry={() => void loadDetail(labId, true)}
            />
          ) : null}
          {detail ? (
            <ViewBoundary name="The topology">
              <details
                className="topology-box"
                open={topologyOpen}
                onToggle={(event) => {
                  setTopologyOpen(event.currentTarget.open);
                }}
              >
                <summary>Topology</summary>
                <TopologyView detail={detail} instance={instance} />
                <Departures departures={detail.departures} />
              </details>
            </ViewBoundary>
          ) : null}
          <ViewBoundary name="The step guide">
            <StepGuide labId={labId} running={running} />
          </ViewBoundary>
        </div>
        <div className="lab-right">
          <PanelTabs />
          {detail === null ? (
            <p className="empty-panel">{detailError ? '' : 'Loading the lab…'}</p>
          ) : (
            <div className="panel-body">
              {panel === 'terminals' ? (
                <ViewBoundary key="terminals" name="The terminals">
                  <TerminalsPanel labId={labId} detail={detail} running={running} />
                </ViewBoundary>
              ) : null}
              {panel === 'probe' ? (
                <ViewBoundary key="probe" name="The round-robin panel">
                  <RoundRobinPanel labId={labId} detail={detail} running={running} />
                </ViewBoundary>
              ) : null}
              {panel === 'ipvs' ? (
                <ViewBoundary key="ipvs" name="The IPVS table">
                  <IpvsPanel labId={labId} running={running} />
                </ViewBoundary>
              ) : null}
              {panel === 'capture' ? (
                <ViewBoundary key="capture" name="The packets panel">
                  <CapturePanel labId={labId} detail={detail} running={running} />
                </ViewBoundary>
              ) : null}
            </div>
          )}
        </div>
      </div>
    </main>
  );
}
