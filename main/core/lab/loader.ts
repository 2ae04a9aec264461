// Reads a lab file, checks it against the schema and against itself (cross references,
// address plan), and reports every problem with the file, the line and the field.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { CHECK_KINDS, labSchema, type LabFile } from '../../../shared/lab-schema.js';
import { validateLabSemantics, type SemanticIssue } from './semantics.js';
import { splitAddress } from './ipv4.js';
import type { Lab, LabNodeModel } from './model.js';

export interface LabIssue {
  file: string;
  line: number;
  column: number;
  /** Field path such as `nodes[1].addresses.lan`; empty for the whole file. */
  field: string;
  message: string;
}

export class LabLoadError extends Error {
  constructor(readonly issues: LabIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'LabLoadError';
  }
}

export function formatIssue(issue: LabIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.field ? `${where}: ${issue.field}: ${issue.message}` : `${where}: ${issue.message}`;
}

export async function loadLabFile(file: string): Promise<Lab> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new LabLoadError([
      { file, line: 0, column: 0, field: '', message: `cannot read the lab file: ${reason}` },
    ]);
  }
  return parseLab(text, file, absolute);
}

/** Parses lab text; `displayName` is what error messages call the file. */
export function parseLab(text: string, displayName: string, absolutePath = displayName): Lab {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number) => lineCounter.linePos(offset);

  if (doc.errors.length > 0) {
    throw new LabLoadError(
      doc.errors.map((e) => {
        const pos = at(e.pos[0]);
        return {
          file: displayName,
          line: pos.line,
          column: pos.col,
          field: '',
          message: yamlMessage(e.message),
        };
      }),
    );
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new LabLoadError([
      {
        file: displayName,
        line: 1,
        column: 1,
        field: '',
        message: 'expected a mapping with id, title, networks, nodes, service and steps',
      },
    ]);
  }

  const parsed = labSchema.safeParse(raw);
  if (!parsed.success) {
    throw new LabLoadError(parsed.error.issues.map((issue) => schemaIssue(issue, doc, displayName, at)));
  }

  const semanticIssues = validateLabSemantics(parsed.data);
  if (semanticIssues.length > 0) {
    throw new LabLoadError(semanticIssues.map((issue) => semanticToLabIssue(issue, doc, displayName, at)));
  }

  return toModel(parsed.data, absolutePath, text);
}

function toModel(file: LabFile, source: string, text: string): Lab {
  const nodes: LabNodeModel[] = file.nodes.map((node) => ({
    ...node,
    interfaces: Object.entries(node.addresses).map(([network, address], index) => {
      const networkPrefix = Number(file.networks.find((n) => n.name === network)?.subnet.split('/')[1] ?? 32);
      const [first, ...extra] = (Array.isArray(address) ? address : [address]).map((a) =>
        splitAddress(a, networkPrefix),
      );
      return {
        network,
        device: `eth${index}`,
        ip: first?.ip ?? '',
        prefix: first?.prefix ?? networkPrefix,
        networkPrefix,
        extra,
      };
    }),
  }));
  return { ...file, nodes, source, sourceHash: createHash('sha256').update(text).digest('hex') };
}

type At = (offset: number) => { line: number; col: number };

function schemaIssue(issue: z.core.$ZodIssue, doc: Document, file: string, at: At): LabIssue {
  const fieldPath = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  let located = locate(doc, fieldPath, at);
  let message = issue.message;
  let field = formatPath(fieldPath);

  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const keyPos = locateKey(doc, fieldPath, key, at);
    if (keyPos) located = keyPos;
    field = formatPath([...fieldPath, key]);
    message = `unknown field "${key}"${issue.keys.length > 1 ? ` (and ${issue.keys.slice(1).join(', ')})` : ''}`;
  } else if (issue.code === 'invalid_type' && valueAt(doc, fieldPath) === undefined) {
    message = `missing required field (expected ${issue.expected})`;
  } else if (issue.code === 'invalid_union' && issue.discriminator === 'kind') {
    const kind = valueAt(doc, [...fieldPath, 'kind']);
    message = `unknown check kind ${JSON.stringify(kind)}: expected one of ${CHECK_KINDS.join(', ')}`;
  } else {
    const got = valueAt(doc, fieldPath);
    if (got !== undefined && (typeof got !== 'object' || got === null))
      message = `${message} (got ${JSON.stringify(got)})`;
  }
  return { file, line: located.line, column: located.col, field, message };
}

function semanticToLabIssue(issue: SemanticIssue, doc: Document, file: string, at: At): LabIssue {
  const located = locate(doc, issue.path, at);
  return {
    file,
    line: located.line,
    column: located.col,
    field: formatPath(issue.path),
    message: issue.message,
  };
}

/** The position of the deepest existing node on the path (a missing field points at its parent). */
function locate(doc: Document, fieldPath: (string | number)[], at: At): { line: number; col: number } {
  for (let depth = fieldPath.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(fieldPath.slice(0, depth), true);
    if (isNode(node) && node.range) return at(node.range[0]);
  }
  return { line: 1, col: 1 };
}

function locateKey(doc: Document, parentPath: (string | number)[], key: string, at: At) {
  const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
  if (!isMap(parent)) return null;
  for (const item of parent.items) {
    if (isPair(item) && isScalar(item.key) && item.key.value === key && item.key.range)
      return at(item.key.range[0]);
  }
  return null;
}

function valueAt(doc: Document, fieldPath: (string | number)[]): unknown {
  const node = fieldPath.length === 0 ? doc.contents : doc.getIn(fieldPath, true);
  if (node === undefined) return undefined;
  return isNode(node) ? node.toJSON() : node;
}

export function formatPath(fieldPath: readonly (string | number)[]): string {
  return fieldPath.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

function yamlMessage(message: string): string {
  // The yaml library appends a code excerpt after the first line; the position is given separately.
  return `invalid YAML: ${message.split('\n')[0] ?? message}`;
}
