// @vitest-environment jsdom
/// <reference lib="dom" />
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TopologyView } from '../../../renderer/src/views/topology/TopologyView.js';
import { layoutTopology } from '../../../renderer/src/views/topology/topology-layout.js';
import { arptablesDetail, instance, nodeStatus, sysctlDetail } from './helpers/fixtures.js';
import { setup, show } from './helpers/render.js';

beforeEach(() => {
  setup();
});

afterEach(cleanup);

function svgText(): string[] {
  return [...document.querySelectorAll('svg text')].map((t) => t.textContent);
}

describe('topology layout', () => {
  it('draws one segment per network, top to bottom', () => {
    const layout = layoutTopology(sysctlDetail);
    expect(layout.segments.map((s) => s.name)).toEqual(['lan', 'wan']);
    const [lan, wan] = layout.segments;
    expect((lan?.y ?? 0) < (wan?.y ?? 0)).toBe(true);
  });

  it('puts the router between its networks and links it to both', () => {
    const layout = layoutTopology(sysctlDetail);
    const [lan, wan] = layout.segments;
    const router = layout.nodes.find((n) => n.node.name === 'router');
    expect(router?.links.map((l) => l.network)).toEqual(['lan', 'wan']);
    expect(router && lan && wan && router.y > lan.y && router.y + router.height < wan.y).toBe(true);
    const client = layout.nodes.find((n) => n.node.name === 'client');
    expect(client && wan && client.y > wan.y).toBe(true);
  });

  it('keeps boxes from overlapping in a row and inside the drawing', () => {
    const layout = layoutTopology(arptablesDetail);
    for (const a of layout.nodes) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
      expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
      for (const b of layout.nodes) {
        if (a === b || a.y !== b.y) continue;
        expect(a.x + a.width <= b.x || b.x + b.width <= a.x).toBe(true);
      }
    }
  });
});

describe('topology view', () => {
  it('shows every node with every address, the subnet and the VIP on the director', () => {
    show(TopologyView, { detail: arptablesDetail, instance: null });
    const text = svgText();
    expect(text).toContain('lan 172.25.88.0/24');
    for (const node of arptablesDetail.nodes) {
      expect(text).toContain(node.name);
      for (const i of node.interfaces) expect(text).toContain(`${i.device} ${i.ip}/${i.prefix}`);
    }
    expect(text).toContain('VIP 172.25.88.100');
    expect(screen.getByText(/Service TCP 172\.25\.88\.100:80, scheduler rr/)).toBeTruthy();
  });

  it('shows both addresses of a router and each node’s state', () => {
    const status = instance('tun-sysctl', 'degraded', {
      nodes: [
        nodeStatus('router', 'router'),
        nodeStatus('lvs', 'director'),
        nodeStatus('rs1', 'realserver', 'exited'),
      ],
    });
    show(TopologyView, { detail: sysctlDetail, instance: status });
    const text = svgText();
    expect(text).toContain('eth0 10.10.24.1/24');
    expect(text).toContain('eth1 203.0.113.88/24');
    expect(text).toContain('real server · exited');
    expect(text).toContain('router · running');
    expect(text).toContain('client · not started');
    expect(document.querySelector('[data-node="rs1"]')?.getAttribute('class')).toContain('state-stopped');
  });

  it('enlarges to its natural size and closes with Escape', () => {
    show(TopologyView, { detail: sysctlDetail, instance: null });
    fireEvent.click(screen.getByRole('button', { name: 'Enlarge' }));
    const dialog = screen.getByRole('dialog', { name: `Topology of ${sysctlDetail.title}` });
    const svg = dialog.querySelector('svg');
    expect(Number(svg?.getAttribute('width'))).toBe(layoutTopology(sysctlDetail).width);
    expect(within(dialog).getByText('eth1 203.0.113.88/24')).toBeTruthy();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
