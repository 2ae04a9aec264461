// Which nodes to capture on, and on which of their interfaces: every interface (the default), or
// one of the lab's (eth0, eth1) or tunl0, where the tunnel's inner packets appear.
import type { LabDetail } from '../../../../shared/api.js';
import { useCaptureStore } from '../../stores/capture-store.js';

export function CaptureTargets({ detail }: { detail: LabDetail }) {
  const targets = useCaptureStore((s) => s.targets);
  const setTargets = useCaptureStore((s) => s.setTargets);
  const chosen = new Map(targets.map((t) => [t.split(':')[0] ?? t, t]));
  const update = (node: string, value: string | null) => {
    const next = new Map(chosen);
    if (value === null) next.delete(node);
    else next.set(node, value);
    // In the lab's node order, so the request is the same whatever order they were ticked in.
    setTargets(detail.nodes.flatMap((n) => next.get(n.name) ?? []));
  };
  return (
    <fieldset className="capture-targets">
      <legend>Capture on</legend>
      {detail.nodes.map((node) => {
        const current = chosen.get(node.name);
        const iface = current?.split(':')[1] ?? 'any';
        const interfaces = ['any', ...node.interfaces.map((i) => i.device), 'tunl0'];
        return (
          <span key={node.name} className="capture-target">
            <label>
              <input
                type="checkbox"
                checked={current !== undefined}
                onChange={(e) => {
                  update(node.name, e.target.checked ? node.name : null);
                }}
              />
              {node.name}
            </label>
            <select
              aria-label={`Interface of ${node.name}`}
              value={iface}
              disabled={current === undefined}
              onChange={(e) => {
                update(node.name, e.target.value === 'any' ? node.name : `${node.name}:${e.target.value}`);
              }}
            >
              {[...new Set(interfaces)].map((name) => (
                <option key={name} value={name}>
                  {name === 'any' ? 'all interfaces' : name}
                </option>
              ))}
            </select>
          </span>
        );
      })}
    </fieldset>
  );
}
