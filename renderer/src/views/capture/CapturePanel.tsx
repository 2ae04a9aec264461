// The Packets panel: capture on several nodes at once (every interface, or eth0 or tunl0), for a
// bounded time, then read one merged timeline that decodes IPIP: the outer addresses (director to
// real server, protocol 4), the inner ones (client to VIP) with ports and TCP flags, and the
// frames' MAC addresses. Clicking a packet marks every packet of its connection, so that one
// request can be followed through the director, the tunnel and back around it.
import { useMemo, useState } from 'react';
import type { LabPanelProps } from '../lab/panel-props.js';
import type { TimelineEntry } from '../../../../shared/capture.js';
import { useCaptureStore } from '../../stores/capture-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { SectionHead } from '../common/SectionHead.js';
import { downloadFile } from '../common/download.js';
import { CaptureTargets } from './CaptureTargets.js';
import { connectionOf, TimelineRow } from './TimelineRow.js';

export function CapturePanel({ labId, detail, running }: LabPanelProps) {
  const captureId = useCaptureStore((s) => s.captureId);
  const result = useCaptureStore((s) => s.result);
  const error = useCaptureStore((s) => s.error);
  const targets = useCaptureStore((s) => s.targets);
  const seconds = useCaptureStore((s) => s.seconds);
  const setLimits = useCaptureStore((s) => s.setLimits);
  const start = useCaptureStore((s) => s.start);
  const stop = useCaptureStore((s) => s.stop);
  const download = useCaptureStore((s) => s.download);
  const [followed, setFollowed] = useState<string | null>(null);
  const shown = result?.labId === labId ? result : null;
  const first = shown?.timeline[0]?.timeUs ?? 0;
  const rows = useMemo(() => shown?.timeline ?? [], [shown]);
  if (!running) return <p className="empty-panel">Start the lab to capture its packets.</p>;
  const save = async (fileName: string) => {
    const file = await download(fileName);
    if (file) downloadFile(file.fileName, file.bytes, 'application/vnd.tcpdump.pcap');
  };
  return (
    <div className="capture-panel">
      <SectionHead title="Packets">
        <span className="dim">tcpdump in the nodes, bounded in time and packets</span>
      </SectionHead>
      <CaptureTargets detail={detail} />
      <div className="capture-controls">
        <label>
          Seconds{' '}
          <input
            type="number"
            min={1}
            max={300}
            value={seconds}
            disabled={captureId !== null}
            onChange={(e) => {
              setLimits({ seconds: Math.min(300, Math.max(1, Number(e.target.value) || 1)) });
            }}
          />
        </label>
        {captureId === null ? (
          <button
            type="button"
            className="primary"
            disabled={targets.length === 0}
            onClick={() => void start(labId)}
          >
            Capture
          </button>
        ) : (
          <button type="button" onClick={() => void stop()}>
            {`Stop (capturing for up to ${seconds} s)`}
          </button>
        )}
        <span className="dim">Send requests meanwhile: a curl in the client, or the live round robin.</span>
      </div>
      {error === null ? null : <ErrorNotice error={error} />}
      {shown === null ? null : (
        <>
          <ul className="capture-files">
            {shown.files.map((f) => (
              <li key={f.fileName}>
                {`${f.node}:${f.iface} · ${f.packets} packets `}
                <button type="button" className="small" onClick={() => void save(f.fileName)}>
                  Download pcap
                </button>
              </li>
            ))}
          </ul>
          {rows.length === 0 ? (
            <p className="dim">No packets were captured.</p>
          ) : (
            <table className="capture-timeline">
              <thead>
                <tr>
                  <th>time</th>
                  <th>node</th>
                  <th>dir</th>
                  <th>MAC source</th>
                  <th>outer</th>
                  <th>inner / packet</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((entry: TimelineEntry, i) => (
                  <TimelineRow
                    key={i}
                    entry={entry}
                    first={first}
                    followed={followed !== null && connectionOf(entry) === followed}
                    onFollow={() => {
                      setFollowed(connectionOf(entry));
                    }}
                  />
                ))}
              </tbody>
            </table>
          )}
          {shown.more > 0 ? <p className="dim">{`${shown.more} more packets are in the files.`}</p> : null}
        </>
      )}
    </div>
  );
}
