// Where the topology's networks and nodes go. Networks are horizontal segments, top to bottom
// in the lab's order. A node on one network sits in a row next to it: on the first network the
// director and clients go above (traffic enters there), everything else below; a node on several
// networks (a router) sits below the first of them and reaches down to the others.
import type { LabDetail } from '../../../../shared/api.js';

export const BOX_WIDTH = 176;
const GAP_X = 22;
const MARGIN = 16;
const SEGMENT_LABEL = 20;
const ROW_GAP = 26;
const LINE = 15;

type DetailNode = LabDetail['nodes'][number];

export interface SegmentLayout {
  name: string;
  subnet: string;
  description: string | undefined;
  y: number;
  x1: number;
  x2: number;
}

export interface NodeLayout {
  node: DetailNode;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Address lines: "eth0 172.25.88.1/24". */
  addresses: string[];
  vip: string | null;
  /** Vertical connectors from the box to each of its segments. */
  links: { x: number; y1: number; y2: number; network: string }[];
}

export interface TopologyLayout {
  width: number;
  height: number;
  segments: SegmentLayout[];
  nodes: NodeLayout[];
}

const ROLE_ORDER: Record<string, number> = { director: 0, realserver: 1, router: 2, client: 3 };

function networksOf(node: DetailNode, names: string[]): number[] {
  const fromInterfaces = node.interfaces.map((i) => i.network);
  const used = fromInterfaces.length > 0 ? fromInterfaces : Object.keys(node.addresses);
  return [...new Set(used.map((n) => names.indexOf(n)).filter((i) => i >= 0))].sort((a, b) => a - b);
}

function addressLines(node: DetailNode): string[] {
  if (node.interfaces.length > 0) return node.interfaces.map((i) => `${i.device} ${i.ip}/${i.prefix}`);
  // No interface plan: the addresses as the lab file gives them.
  return Object.entries(node.addresses).flatMap(([network, value]) =>
    (Array.isArray(value) ? value : [value]).map((address) => `${network} ${address}`),
  );
}

function boxHeight(lines: number): number {
  return 44 + lines * LINE;
}

export function layoutTopology(detail: LabDetail): TopologyLayout {
  const names = detail.networks.map((n) => n.name);
  // Row r: 0 = above network 0; 2i+1 = network i's segment; 2i+2 = below network i.
  const rows = new Map<number, NodeLayout[]>();
  for (const node of detail.nodes) {
    const nets = networksOf(node, names);
    const first = nets[0] ?? 0;
    const above = nets.length === 1 && first === 0 && (node.role === 'director' || node.role === 'client');
    const row = above ? 0 : 2 * first + 2;
    const addresses = addressLines(node);
    const vip = node.role === 'director' ? detail.service.vip : null;
    const layout: NodeLayout = {
      node,
      x: 0,
      y: 0,
      width: BOX_WIDTH,
      height: boxHeight(addresses.length + (vip === null ? 0 : 1)),
      addresses,
      vip,
      links: [],
    };
    rows.set(row, [...(rows.get(row) ?? []), layout]);
  }
  for (const row of rows.values()) {
    row.sort((a, b) => (ROLE_ORDER[a.node.role] ?? 9) - (ROLE_ORDER[b.node.role] ?? 9));
  }

  const widest = Math.max(1, ...[...rows.values()].map((r) => r.length));
  const width = Math.max(560, 2 * MARGIN + widest * BOX_WIDTH + (widest - 1) * GAP_X);

  // Walk rows top to bottom, giving each its height and each segment its y.
  const segments: SegmentLayout[] = [];
  let y = MARGIN;
  const lastRow = 2 * names.length;
  for (let r = 0; r <= lastRow; r++) {
    if (r % 2 === 1) {
      const network = detail.networks[(r - 1) / 2];
      if (!network) continue;
      y += SEGMENT_LABEL;
      segments.push({
        name: network.name,
        subnet: network.subnet,
        description: network.description,
        y,
        x1: MARGIN,
        x2: width - MARGIN,
      });
      y += ROW_GAP;
      continue;
    }
    const row = rows.get(r);
    if (!row) continue;
    const height = Math.max(...row.map((n) => n.height));
    const rowWidth = row.length * BOX_WIDTH + (row.length - 1) * GAP_X;
    let x = (width - rowWidth) / 2;
    for (const node of row) {
      node.x = x;
      node.y = r === 0 ? y + (height - node.height) : y;
      x += BOX_WIDTH + GAP_X;
    }
    y += height + ROW_GAP;
  }
  const height = y - ROW_GAP + MARGIN;

  for (const layout of [...rows.values()].flat()) {
    const centre = layout.x + layout.width / 2;
    for (const index of networksOf(layout.node, names)) {
      const segment = segments[index];
      if (!segment) continue;
      const below = segment.y > layout.y;
      layout.links.push({
        x: centre,
        y1: below ? layout.y + layout.height : layout.y,
        y2: segment.y,
        network: segment.name,
      });
    }
  }

  return { width, height, segments, nodes: [...rows.values()].flat() };
}
