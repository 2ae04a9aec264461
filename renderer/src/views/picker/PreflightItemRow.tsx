// One preflight finding with the fix for this engine's platform; other platforms on demand.
import type { Platform, PreflightItem } from '../../../../shared/preflight.js';
import { splitFixes } from '../../stores/preflight-store.js';
import { StatusDot, type DotTone } from '../common/StatusDot.js';

const TONES: Record<PreflightItem['status'], DotTone> = {
  ok: 'ok',
  warn: 'warn',
  fail: 'fail',
  skipped: 'off',
};

const PLATFORM_NAMES: Record<Platform, string> = {
  linux: 'Linux',
  'docker-desktop': 'Docker Desktop',
  wsl2: 'WSL2',
  orbstack: 'OrbStack',
  colima: 'Colima',
  podman: 'Podman',
};

function FixList({ fixes }: { fixes: PreflightItem['fixes'] }) {
  return (
    <ul className="fixes">
      {fixes.map((fix, i) => (
        <li key={i}>
          <span className="platform">{PLATFORM_NAMES[fix.platform]}</span>
          <pre>{fix.text}</pre>
        </li>
      ))}
    </ul>
  );
}

export function PreflightItemRow({ item, platform }: { item: PreflightItem; platform: Platform | null }) {
  const { mine, others } = splitFixes(item, platform);
  const needsFix = item.status === 'fail' || item.status === 'warn';
  return (
    <li className={`preflight-item preflight-${item.status}`}>
      <div className="preflight-head">
        <StatusDot tone={TONES[item.status]} label={item.status} />
        <strong>{item.title}</strong>
        <span className="dim">{item.status}</span>
      </div>
      {item.detail === '' ? null : <p className="preflight-detail">{item.detail}</p>}
      {needsFix && mine.length > 0 ? <FixList fixes={mine} /> : null}
      {needsFix && others.length > 0 ? (
        <details className="other-platforms">
          <summary>{`Other platforms (${others.length})`}</summary>
          <FixList fixes={others} />
        </details>
      ) : null}
    </li>
  );
}
