// The lab file's JSON Schema, for editors: plain JSON, the fields a lab has, and every shipped lab
// valid against it. The validator below is a small one written for this test: it knows exactly
// the keywords the schema uses (a keyword it does not know fails the test instead of passing
// unchecked), with their meaning in draft-07, the draft yaml-language-server validates with.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  LAB_SCHEMA_ID,
  LAB_SCHEMA_MODELINE,
  labJsonSchema,
  schemaModeline,
} from '../../../main/core/lab/json-schema.js';
import { parseLab } from '../../../main/core/lab/loader.js';
import { defined, labText, repoFile, ROOT } from './helpers.js';

type Schema = Record<string, unknown>;

/** Keywords that only annotate; a validator reads past them. */
const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default', 'format']);
const ASSERTIONS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'minItems',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'pattern',
  'enum',
  'const',
  'anyOf',
  'oneOf',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

/** The errors of `value` against `schema`, each `path: what`; empty when it is valid. */
function validate(schema: Schema, value: unknown, at = '$'): string[] {
  const errors: string[] = [];
  const sub = (s: unknown, v: unknown, p: string) => validate(s as Schema, v, p);
  for (const [keyword, arg] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    if (!ASSERTIONS.has(keyword)) throw new Error(`the test's validator does not know ${keyword} (at ${at})`);
    const fail = (what: string) => errors.push(`${at}: ${what}`);
    switch (keyword) {
      case 'type': {
        const types = Array.isArray(arg) ? (arg as string[]) : [arg as string];
        if (!types.some((t) => typeMatches(t, value))) fail(`expected ${types.join(' or ')}`);
        break;
      }
      case 'properties':
        if (isObject(value))
          for (const [key, s] of Object.entries(arg as Schema))
            if (key in value) errors.push(...sub(s, value[key], `${at}.${key}`));
        break;
      case 'required':
        if (isObject(value)) for (const key of arg as string[]) if (!(key in value)) fail(`missing ${key}`);
        break;
      case 'additionalProperties':
        if (isObject(value)) {
          const declared = Object.keys((schema.properties as Schema | undefined) ?? {});
          for (const key of Object.keys(value).filter((k) => !declared.includes(k))) {
            if (arg === false) fail(`unknown field ${key}`);
            else errors.push(...sub(arg, value[key], `${at}.${key}`));
          }
        }
        break;
      case 'propertyNames':
        if (isObject(value))
          for (const key of Object.keys(value)) errors.push(...sub(arg, key, `${at}[${key}]`));
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((item, i) => errors.push(...sub(arg, item, `${at}[${i}]`)));
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < (arg as number)) fail(`fewer than ${String(arg)} items`);
        break;
      case 'minLength':
      case 'maxLength':
        if (typeof value === 'string') {
          // JSON Schema counts characters (code points), not UTF-16 units.
          const length = Array.from(value).length;
          if (keyword === 'minLength' ? length < (arg as number) : length > (arg as number))
            fail(`${keyword} ${String(arg)}`);
        }
        break;
      case 'minimum':
      case 'maximum':
        if (
          typeof value === 'number' &&
          (keyword === 'minimum' ? value < (arg as number) : value > (arg as number))
        )
          fail(`${keyword} ${String(arg)}`);
        break;
      case 'pattern':
        // JSON Schema patterns are ECMA-262 regular expressions; editors compile them with `u`.
        if (typeof value === 'string' && !new RegExp(arg as string, 'u').test(value))
          fail(`${JSON.stringify(value)} does not match ${String(arg)}`);
        break;
      case 'enum':
        if (!(arg as unknown[]).some((v) => JSON.stringify(v) === JSON.stringify(value)))
          fail(`not one of ${JSON.stringify(arg)}`);
        break;
      case 'const':
        if (JSON.stringify(arg) !== JSON.stringify(value)) fail(`expected ${JSON.stringify(arg)}`);
        break;
      case 'anyOf':
      case 'oneOf': {
        const results = (arg as Schema[]).map((s) => validate(s, value, at));
        const passing = results.filter((r) => r.length === 0).length;
        if (keyword === 'anyOf' ? passing === 0 : passing !== 1)
          fail(`${keyword}: ${passing} match; ${results.map((r) => r[0] ?? 'ok').join(' | ')}`);
        break;
      }
    }
  }
  return errors;
}

const SCHEMA = labJsonSchema();

function shippedLabFiles(): string[] {
  return ['labs', 'labs/repro'].flatMap((dir) =>
    readdirSync(path.join(ROOT, dir))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => `${dir}/${f}`),
  );
}

function branches(): Schema[] {
  return SCHEMA.anyOf as Schema[];
}

describe('the lab JSON Schema', () => {
  it('is plain JSON, a draft 2020-12 schema with an id, a title and a description', () => {
    expect(JSON.parse(JSON.stringify(SCHEMA))).toEqual(SCHEMA);
    expect(SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(SCHEMA.$id).toBe(LAB_SCHEMA_ID);
    expect(typeof SCHEMA.title).toBe('string');
    expect(typeof SCHEMA.description).toBe('string');
  });

  it('has the fields of a lab and of a derived lab', () => {
    const [lab, derived] = branches().map((b) => Object.keys(b.properties as Schema));
    expect(lab).toEqual(
      expect.arrayContaining([
        'id',
        'title',
        'summary',
        'difficulty',
        'seed',
        'networks',
        'nodes',
        'service',
        'steps',
      ]),
    );
    expect(derived).toEqual(expect.arrayContaining(['id', 'title', 'extends', 'omitSteps', 'steps']));
    expect(derived).not.toContain('networks');
  });

  it('leaves fields with a default optional (the input, not the parsed lab)', () => {
    const [lab] = branches();
    expect(defined(lab).required).not.toContain('departures');
    const steps = (defined(lab).properties as Record<string, Schema>).steps;
    const step = defined(steps?.items) as Schema;
    expect(step.required).toEqual(['id', 'title', 'explain']);
  });

  it('uses only keywords draft-07 knows, no $ref, and patterns an editor can compile', () => {
    // yaml-language-server validates with draft-07 rules: a 2019-09 or 2020-12 keyword
    // ($defs, prefixItems, unevaluatedProperties, ...) would be read past, unchecked.
    const patterns: string[] = [];
    const walk = (node: unknown, key?: string): void => {
      if (Array.isArray(node)) {
        for (const n of node) walk(n);
      } else if (isObject(node)) {
        for (const [k, v] of Object.entries(node)) {
          // Under `properties` the keys are field names, not keywords.
          if (key !== 'properties') {
            expect(ANNOTATIONS.has(k) || ASSERTIONS.has(k), `keyword ${k}`).toBe(true);
            if (k === 'pattern') patterns.push(v as string);
          }
          walk(v, k);
        }
      }
    };
    walk(SCHEMA);
    expect(JSON.stringify(SCHEMA)).not.toContain('"$ref"');
    for (const p of patterns) expect(() => new RegExp(p, 'u'), p).not.toThrow();
  });

  it('accepts every shipped lab file', () => {
    const files = shippedLabFiles();
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) expect(validate(SCHEMA, parseYaml(repoFile(file))), file).toEqual([]);
  });

  it.each([
    ['an unknown top-level field', (lab: Schema) => ({ ...lab, colour: 'blue' }), 'unknown field colour'],
    ['a missing id', ({ id: _id, ...lab }: Schema) => lab, 'missing id'],
    [
      'a lab that also extends',
      (lab: Schema) => ({ ...lab, extends: 'tun-sysctl' }),
      'unknown field extends',
    ],
    [
      'a node address that is no address',
      (lab: Schema) => {
        const nodes = structuredClone(lab.nodes) as Schema[];
        defined(nodes[1]).addresses = { lan: '172.25.88.300' };
        return { ...lab, nodes };
      },
      'does not match',
    ],
    [
      'a subnet with a /31 prefix',
      (lab: Schema) => ({ ...lab, networks: [{ name: 'lan', subnet: '172.25.88.0/31' }] }),
      'does not match',
    ],
    [
      'an unknown check kind',
      (lab: Schema) => {
        const steps = structuredClone(lab.steps) as Schema[];
        defined(steps[0]).checks = [{ kind: 'vip', node: 'server1' }];
        return { ...lab, steps };
      },
      'oneOf: 0 match',
    ],
  ])('refuses %s', (_what, edit, error) => {
    const lab = parseYaml(labText('tun-arptables')) as Schema;
    expect(validate(SCHEMA, lab)).toEqual([]);
    expect(validate(SCHEMA, edit(lab)).join('\n')).toContain(error);
  });

  it('a derived lab with networks of its own matches neither branch', () => {
    const derived = parseYaml(repoFile('labs/repro/rp-filter.yaml')) as Schema;
    const errors = validate(SCHEMA, { ...derived, networks: [] });
    expect(errors.join('\n')).toContain('unknown field networks');
  });
});

describe('the modeline', () => {
  it('names the schema for yaml-language-server, and a lab with it still loads', () => {
    expect(LAB_SCHEMA_MODELINE).toBe('# yaml-language-server: $schema=<path or URL>');
    const line = schemaModeline('../lab.schema.json');
    expect(line).toBe('# yaml-language-server: $schema=../lab.schema.json');
    const lab = parseLab(`${line}\n${labText('tun-arptables')}`, 'labs/test.yaml');
    expect(lab.id).toBe('tun-arptables');
  });
});
