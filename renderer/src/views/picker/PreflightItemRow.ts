// One preflight finding with the fix for this engine's platform; other platforms on demand.
import { createElement as h } from 'react';
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
  return h(
    'ul',
    { className: 'fixes' },
    fixes.map((fix, i) =>
      h(
        'li',
        { key: i },
        h('span', { className: 'platform' }, PLATFORM_NAMES[fix.platform]),
        h('pre', null, fix.text),
      ),
    ),
  );
}

export function PreflightItemRow({ item, platform }: { item: PreflightItem; platform: Platform | null }) {
  const { mine, others } = splitFixes(item, platform);
  const needsFix = item.status === 'fail' || item.status === 'warn';
  return h(
    'li',
    { className: `preflight-item preflight-${item.status}` },
    h(
      'div',
      { className: 'preflight-head' },
      h(StatusDot, { tone: TONES[item.status], label: item.status }),
      h('strong', null, item.title),
      h('span', { className: 'dim' }, item.status),
    ),
    item.detail === '' ? null : h('p', { className: 'preflight-detail' }, item.detail),
    needsFix && mine.length > 0 ? h(FixList, { fixes: mine }) : null,
    needsFix && others.length > 0
      ? h(
          'details',
          { className: 'other-platforms' },
          h('summary', null, `Other platforms (${others.length})`),
          h(FixList, { fixes: others }),
        )
      : null,
  );
}
