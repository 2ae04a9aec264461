// The lab file format as a JSON Schema, for editors: with it, the Red Hat YAML extension (and any
// yaml-language-server client) completes field names and marks a wrong field while a trainer
// types, before LVS Lab ever loads the file. It is generated from the same zod schemas the loader
// uses, so it cannot drift from them; what JSON Schema cannot say (cross references, the address
// plan, the refinements) is still checked by the loader, which remains the authority.
import { z } from 'zod';
import { cidr, derivedLabSchema, hostAddress, labSchema } from '../../../shared/lab-schema.js';

/** A stable name for the schema, not a download address: LVS Lab publishes no URL of its own. */
export const LAB_SCHEMA_ID = 'urn:lvs-lab:schema:lab-file';

/** The first line that tells yaml-language-server which schema a lab file follows. */
export const LAB_SCHEMA_MODELINE = '# yaml-language-server: $schema=<path or URL>';

/** The modeline for a schema file at `schemaPath`, relative to the lab file or absolute, or a URL. */
export function schemaModeline(schemaPath: string): string {
  return LAB_SCHEMA_MODELINE.replace('<path or URL>', schemaPath);
}

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `${OCTET}(\\.${OCTET}){3}`;

/**
 * Patterns for the refinements the editor can check as well: a node's address with its optional
 * prefix (/8 to /32) and a network's subnet (/8 to /30). Without them both would be any string.
 */
const REFINED_PATTERNS = new Map<z.core.$ZodType, string>([
  [hostAddress, `^${IPV4}(/([89]|[12][0-9]|3[0-2]))?$`],
  [cidr, `^${IPV4}/([89]|[12][0-9]|30)$`],
]);

/**
 * `format` values the JSON Schema specification defines. zod also writes its own (`cidrv4`),
 * which strict validators refuse as unknown; the pattern next to it says the same.
 */
const STANDARD_FORMATS = new Set(['ipv4', 'ipv6', 'uri', 'email', 'date-time', 'date', 'time', 'uuid']);

function convert(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _schema, ...json } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    // A lab file is the input: a field with a default may be left out.
    io: 'input',
    // The refinements have no JSON Schema form; never throw for a part that has none either.
    unrepresentable: 'any',
    // No $defs and $ref: yaml-language-server validates with draft-07 rules, and inline subschemas
    // read the same in every draft.
    reused: 'inline',
    override: ({ zodSchema, jsonSchema }) => {
      const pattern = REFINED_PATTERNS.get(zodSchema);
      if (pattern !== undefined) jsonSchema.pattern = pattern;
      if (typeof jsonSchema.format === 'string' && !STANDARD_FORMATS.has(jsonSchema.format))
        delete jsonSchema.format;
    },
  });
  return json;
}

/**
 * The JSON Schema (draft 2020-12) of a lab file: a lab, or a lab derived from another with
 * `extends:`. Each is a closed object, so a file matches at most one of the two.
 */
export function labJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: LAB_SCHEMA_ID,
    title: 'LVS Lab lab file',
    description:
      'A lab for LVS Lab: networks, nodes, the virtual service and the guided steps (see labs/README.md). A bug reproduction or variation names its base lab with `extends:` instead.',
    anyOf: [
      {
        title: 'Lab',
        description: 'A lab with its own networks, nodes, service and steps.',
        ...convert(labSchema),
      },
      {
        title: 'Derived lab',
        description:
          'A lab that takes the networks, nodes and service of the lab it `extends`, drops the steps in `omitSteps` and appends its own.',
        ...convert(derivedLabSchema),
      },
    ],
  };
}
