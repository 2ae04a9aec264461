// Each real server keeps one colour everywhere in the panel: by its order among the lab's real
// servers (CSS classes srv-0 .. srv-7), grey for an answer from no known server.
import type { LabDetail } from '../../../../shared/api.js';

export const PALETTE_SIZE = 8;

export function serverColorClasses(detail: LabDetail): Map<string, string> {
  const classes = new Map<string, string>();
  detail.nodes
    .filter((n) => n.role === 'realserver')
    .forEach((node, i) => {
      classes.set(node.name, `srv-${i % PALETTE_SIZE}`);
    });
  return classes;
}

export function colorClassOf(classes: Map<string, string>, server: string | null): string {
  return (server === null ? undefined : classes.get(server)) ?? 'srv-other';
}
