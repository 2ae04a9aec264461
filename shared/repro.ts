// The repro file: one YAML file that says what lab ran where, what was done to it, and what came
// out, so that `lvs-lab replay` can do it all again on another machine and say what differs.
// Every input is pinned: the lab is embedded byte for byte, with the hash of the node image it
// ran on, so that a replay never silently uses a newer lab or image.
import { z } from 'zod';
import { faultSchema } from './lab-schema.js';

export const REPRO_FORMAT = 'lvs-lab-repro';
export const REPRO_VERSION = 1;

const nodeName = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/);

export const journalEntrySchema = z.discriminatedUnion('kind', [
  z.strictObject({ at: z.string(), kind: z.literal('step'), stepId: nodeName }),
  z.strictObject({ at: z.string(), kind: z.enum(['break', 'fix']), node: nodeName, fault: nodeName }),
  z.strictObject({ at: z.string(), kind: z.literal('exec'), node: nodeName, command: z.string().min(1) }),
]);

/** What a lab showed: each step's checks, and who answered a round of requests from the client. */
export const outcomeSchema = z.strictObject({
  checks: z.array(
    z.strictObject({
      stepId: z.string(),
      ok: z.boolean(),
      checks: z.array(z.strictObject({ label: z.string(), ok: z.boolean(), reason: z.string().optional() })),
    }),
  ),
  probe: z.strictObject({
    requests: z.number().int().min(0),
    /** Answers per real server. */
    answers: z.record(z.string(), z.number().int().min(0)),
    failures: z.number().int().min(0),
    /** Who answered each request in order: a node, "failed" or "unknown". */
    sequence: z.array(z.string()),
  }),
});

export const environmentSchema = z.strictObject({
  engine: z.string(),
  dockerVersion: z.string(),
  kernel: z.string(),
  ipvsadm: z.string(),
  arptables: z.string(),
  /** IPVS and IPIP modules loaded in the kernel the lab ran on. */
  modules: z.array(z.string()),
  /** The sysctls that decide LVS-TUN's fate, per node. */
  sysctls: z.record(z.string(), z.record(z.string(), z.string())),
});

export const reproSchema = z.strictObject({
  format: z.literal(REPRO_FORMAT),
  version: z.literal(REPRO_VERSION),
  createdAt: z.string(),
  lvsLab: z.strictObject({ version: z.string() }),
  lab: z.strictObject({
    id: nodeName,
    /** The lab file, flattened (a derived lab merged with its base), exactly as it ran. */
    file: z.string().min(1),
    /** sha256 of `file`. */
    sha256: z.string().regex(/^[a-f0-9]{64}$/),
    /** The node image's tag: a hash of what the image is built from. */
    nodeImage: z.string().min(1),
  }),
  record: z.array(journalEntrySchema),
  /** The definitions of the faults the record breaks or fixes, as they were. */
  faults: z.array(faultSchema),
  environment: environmentSchema,
  outcome: outcomeSchema,
  /** The lab's latest capture, when the report was asked to carry it (`--pcaps`): pcap files in base64. */
  captures: z
    .array(z.strictObject({ fileName: z.string().regex(/^[A-Za-z0-9_.-]+\.pcap$/), base64: z.string() }))
    .optional(),
});

export type ReproFile = z.infer<typeof reproSchema>;
export type ReproOutcome = z.infer<typeof outcomeSchema>;
export type ReproEnvironment = z.infer<typeof environmentSchema>;
