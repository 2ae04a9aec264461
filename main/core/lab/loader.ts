// Reads a lab file, checks it against the schema and against itself (cross references,
// address plan), and reports every problem with the file, the line and the field.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import {
  CHECK_KINDS,
  derivedLabSchema,
  labSchema,
  type DerivedLabFile,
  type LabFile,
} from '../../../shared/lab-schema.js';
import { lintLab } from './lint.js';
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

/**
 * Where a derived lab's `extends:` may look. A path names a file inside `root`; an id names a
 * file directly in one of `idDirs`, the first that has it (a bundle's own base, then the user's
 * labs, then LVS Lab's).
 */
export interface BaseSearch {
  root: string;
  idDirs: string[];
}

export async function loadLabFile(
  file: string,
  search: string | BaseSearch = defaultLabsDir(file),
): Promise<Lab> {
  const absolute = path.resolve(file);
  const text = await readLabText(file, absolute);
  const where = typeof search === 'string' ? { root: search, idDirs: [search] } : search;
  const lab = await parseLab(text, file, absolute, (base) => loadBase(base, absolute, where));
  await checkAssets(lab, text, file);
  return lab;
}

/** The largest file a lab may place in a node: the same as a bundle's largest entry. */
export const MAX_ASSET_BYTES = 4 * 1024 * 1024;

/**
 * Every file the lab places in its nodes exists now, as a plain file of its folder: found here,
 * with its line, rather than when the lab starts. A link is refused, since it could point out of
 * the folder (the schema already refuses `..` and absolute sources).
 */
async function checkAssets(lab: Lab, text: string, file: string): Promise<void> {
  const issues: LabIssue[] = [];
  for (const [i, node] of lab.nodes.entries()) {
    for (const [k, asset] of node.assets.entries()) {
      const why = await assetProblem(asset.path);
      if (why === null) continue;
      const source = node.files?.[k]?.source ?? asset.path;
      // A derived lab's nodes are its base's: point at `extends:`, the line that brought them.
      const fieldPath = lab.base === undefined ? ['nodes', i, 'files', k, 'source'] : ['extends'];
      issues.push(issueAt(text, file, fieldPath, `${source} (node ${node.name}): ${why}`));
    }
  }
  if (issues.length > 0) throw new LabLoadError(issues);
}

async function assetProblem(file: string): Promise<string | null> {
  try {
    const stat = await lstat(file);
    if (stat.isSymbolicLink()) return "is a symbolic link; put the file itself in the lab's folder";
    if (!stat.isFile()) return 'is not a regular file';
    if (stat.size > MAX_ASSET_BYTES) return `is larger than ${MAX_ASSET_BYTES / 1024 / 1024} MiB`;
    return null;
  } catch {
    return `no such file beside the lab file (looked for ${file})`;
  }
}

function issueAt(text: string, file: string, fieldPath: (string | number)[], message: string): LabIssue {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const pos = locate(doc, fieldPath, (offset) => lineCounter.linePos(offset));
  return { file, line: pos.line, column: pos.col, field: formatPath(fieldPath), message };
}

async function readLabText(file: string, absolute: string): Promise<string> {
  try {
    return await readFile(absolute, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new LabLoadError([
      { file, line: 0, column: 0, field: '', message: `cannot read the lab file: ${reason}` },
    ]);
  }
}

/** Reproductions live in labs/repro/; their bases by id in labs/. */
function defaultLabsDir(file: string): string {
  const dir = path.dirname(path.resolve(file));
  return path.basename(dir) === 'repro' ? path.dirname(dir) : dir;
}

export interface BaseText {
  text: string;
  file: string;
}

/** Why an `extends:` names no base that may be used; parseLab reports it at the field. */
export class BaseLabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaseLabError';
  }
}

/**
 * The text of a derived lab's base: a lab id, or a path relative to the file that stays inside
 * the lab's folder. A lab file is untrusted input (a trainer's download): its `extends:` must not
 * make the app read, and show in its errors, files from elsewhere.
 */
async function loadBase(base: string, from: string, search: BaseSearch): Promise<BaseText> {
  const isId = /^[\w-]+$/.test(base);
  if (!isId) {
    if (path.isAbsolute(base))
      throw new BaseLabError(`a base lab is named by its id or a path inside the labs folder, not ${base}`);
    const resolved = path.resolve(path.dirname(from), base);
    if (!isInside(search.root, resolved))
      throw new BaseLabError(`the base lab ${base} is outside the labs folder (${search.root})`);
    if (!/\.ya?ml$/.test(resolved)) throw new BaseLabError(`the base lab ${base} is not a .yaml file`);
  }
  const candidates = isId
    ? search.idDirs.flatMap((dir) =>
        [`${base}.yaml`, `${base}.yml`].map((name) => ({ dir, file: path.join(dir, name) })),
      )
    : [{ dir: search.root, file: path.resolve(path.dirname(from), base) }];
  for (const { dir, file } of candidates) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    // A link inside the folder may still point out of it.
    if (!isInside(await realpath(dir), await realpath(file)))
      throw new BaseLabError(`the base lab ${base} links to a file outside the labs folder (${dir})`);
    return { text, file };
  }
  const known = [...new Set((await Promise.all(search.idDirs.map(labIds))).flat())].sort();
  throw new BaseLabError(`no lab named ${base} (labs: ${known.join(', ') || 'none'})`);
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The ids `extends:` can name: the lab files directly in the labs folder. */
async function labIds(labsDir: string): Promise<string[]> {
  const files = await readdir(labsDir).catch(() => []);
  return files
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

/**
 * Parses lab text; `displayName` is what error messages call the file. A derived lab
 * (`extends:`) needs `resolveBase` to read its base.
 */
export function parseLab(text: string, displayName: string, absolutePath?: string): Lab;
export function parseLab(
  text: string,
  displayName: string,
  absolutePath: string,
  resolveBase: (base: string) => Promise<BaseText>,
): Lab | Promise<Lab>;
export function parseLab(
  text: string,
  displayName: string,
  absolutePath = displayName,
  resolveBase?: (base: string) => Promise<BaseText>,
): Lab | Promise<Lab> {
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
  const raw = documentValue(doc, displayName, at);
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

  if ('extends' in raw) {
    const derived = derivedLabSchema.safeParse(raw);
    if (!derived.success) {
      throw new LabLoadError(derived.error.issues.map((issue) => schemaIssue(issue, doc, displayName, at)));
    }
    if (!resolveBase) {
      throw new LabLoadError([
        {
          file: displayName,
          line: 1,
          column: 1,
          field: 'extends',
          message: 'a derived lab must be loaded from a file',
        },
      ]);
    }
    return resolveBase(derived.data.extends).then(
      (base) => mergeDerived(derived.data, base, doc, displayName, absolutePath, text, at),
      (error: unknown) => {
        if (!(error instanceof BaseLabError)) throw error;
        const pos = locate(doc, ['extends'], at);
        throw new LabLoadError([
          { file: displayName, line: pos.line, column: pos.col, field: 'extends', message: error.message },
        ]);
      },
    );
  }

  const parsed = labSchema.safeParse(raw);
  if (!parsed.success) {
    throw new LabLoadError(parsed.error.issues.map((issue) => schemaIssue(issue, doc, displayName, at)));
  }

  const semanticIssues = validateLabSemantics(parsed.data);
  if (semanticIssues.length > 0) {
    throw new LabLoadError(semanticIssues.map((issue) => semanticToLabIssue(issue, doc, displayName, at)));
  }

  const warnings = lintLab(parsed.data).map((issue) => semanticToLabIssue(issue, doc, displayName, at));
  return { ...toModel(parsed.data, absolutePath, text), warnings };
}

/**
 * Aliases a YAML file may expand, all told: a lab file uses a few; a "billion laughs" file nests
 * them to expand exponentially, and is refused before it is expanded.
 */
export const MAX_ALIAS_COUNT = 100;

function documentValue(doc: Document, displayName: string, at: At): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    // The yaml package says "Excessive alias count indicates a resource exhaustion attack".
    let first: { line: number; col: number } = { line: 1, col: 1 };
    visit(doc, {
      Alias(_key, node) {
        if (node.range) first = at(node.range[0]);
        return visit.BREAK;
      },
    });
    throw new LabLoadError([
      {
        file: displayName,
        line: first.line,
        column: first.col,
        field: '',
        message: `invalid YAML: more than ${MAX_ALIAS_COUNT} alias expansions; aliases nested like this ("billion laughs") would take all memory`,
      },
    ]);
  }
}

function mergeDerived(
  derived: DerivedLabFile,
  base: BaseText,
  doc: Document,
  displayName: string,
  absolutePath: string,
  text: string,
  at: At,
): Lab {
  // The base is a plain lab: errors in it are reported against its own file.
  const baseLab = parseLab(base.text, base.file, base.file);
  const unknown = derived.omitSteps.filter((id) => !baseLab.steps.some((s) => s.id === id));
  if (unknown.length > 0) {
    const pos = locate(doc, ['omitSteps'], at);
    throw new LabLoadError([
      {
        file: displayName,
        line: pos.line,
        column: pos.col,
        field: 'omitSteps',
        message: `lab ${baseLab.id} has no step ${unknown.join(', ')} (its steps: ${baseLab.steps.map((s) => s.id).join(', ')})`,
      },
    ]);
  }
  const merged: LabFile = {
    id: derived.id,
    title: derived.title,
    summary: derived.summary,
    difficulty: derived.difficulty,
    ...(derived.author === undefined ? {} : { author: derived.author }),
    seed: derived.seed,
    departures: [...baseLab.departures, ...derived.departures],
    networks: baseLab.networks,
    nodes: baseLab.nodes.map(({ interfaces: _interfaces, assets: _assets, ...node }) => node),
    service: baseLab.service,
    steps: [...baseLab.steps.filter((s) => !derived.omitSteps.includes(s.id)), ...derived.steps],
    faults: [...baseLab.faults, ...derived.faults],
  };
  // Where the derived file's own steps and faults start in the merged lab.
  const offsets = { steps: merged.steps.length - derived.steps.length, faults: baseLab.faults.length };
  const semanticIssues = validateLabSemantics(merged);
  if (semanticIssues.length > 0) {
    // Only the derived file's own steps and faults can be wrong here: map their paths back to it.
    throw new LabLoadError(
      semanticIssues.map((issue) => {
        const [list, index] = issue.path;
        const offset = list === 'steps' || list === 'faults' ? offsets[list] : undefined;
        const pathInFile =
          offset !== undefined && typeof index === 'number'
            ? [list as string, index - offset, ...issue.path.slice(2)]
            : issue.path;
        return semanticToLabIssue({ ...issue, path: pathInFile }, doc, displayName, at);
      }),
    );
  }
  const model = toModel(merged, absolutePath, `${text}\0${base.text}`);
  const warnings = lintLab(merged).map((issue) => {
    // The derived file's own steps are found in it; the rest came from the base, through `extends:`.
    const [list, index] = issue.path;
    const ownStep = list === 'steps' && typeof index === 'number' && index >= offsets.steps;
    if (ownStep) {
      const inFile = ['steps', index - offsets.steps, ...issue.path.slice(2)];
      return semanticToLabIssue({ ...issue, path: inFile }, doc, displayName, at);
    }
    const pos = locate(doc, ['extends'], at);
    return {
      file: displayName,
      line: pos.line,
      column: pos.col,
      field: 'extends',
      message: `in ${baseLab.id}, ${formatPath(issue.path)}: ${issue.message}`,
    };
  });
  // The nodes are the base's: their files are found beside the base's file, not this one.
  const assetsOf = new Map(baseLab.nodes.map((n) => [n.name, n.assets]));
  return {
    ...model,
    nodes: model.nodes.map((n) => ({ ...n, assets: assetsOf.get(n.name) ?? [] })),
    base: baseLab.id,
    warnings,
  };
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
    assets: (node.files ?? []).map((f) => ({
      path: path.resolve(path.dirname(source), f.source),
      target: f.target,
      mode: parseInt(f.mode, 8),
    })),
  }));
  const topology = JSON.stringify({ networks: file.networks, nodes: file.nodes, service: file.service });
  return {
    ...file,
    nodes,
    source,
    sourceHash: createHash('sha256').update(text).digest('hex'),
    topologyHash: createHash('sha256').update(topology).digest('hex'),
    warnings: [],
  };
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
  } else if (issue.code === 'invalid_value' && valueAt(doc, fieldPath) === undefined) {
    message = `missing required field (expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')})`;
  } else if (issue.code === 'invalid_union' && issue.discriminator === 'kind') {
    // zod's path may already end at `kind`, or stop at the check itself.
    const kind = valueAt(doc, fieldPath.at(-1) === 'kind' ? fieldPath : [...fieldPath, 'kind']);
    message = `unknown check kind ${JSON.stringify(kind)}: expected one of ${CHECK_KINDS.join(', ')}`;
  } else {
    const got = valueAt(doc, fieldPath);
    if (got !== undefined && (typeof got !== 'object' || got === null))
      message = `${message} (got ${JSON.stringify(got)})`;
  }
  return { file, line: located.line, column: located.col, field, message };
}

function semanticToLabIssue(issue: SemanticIssue, doc: Document, file: string, at: At): LabIssue {
  // A value that starts below its key (a node's command list under `commands:`) is reported at
  // the key, the name the issue is about; a value on the key's line is reported at the value.
  const last = issue.path.at(-1);
  const keyPos = typeof last === 'string' ? locateKey(doc, issue.path.slice(0, -1), last, at) : null;
  const valuePos = locate(doc, issue.path, at);
  const located = keyPos && keyPos.line < valuePos.line ? keyPos : valuePos;
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
