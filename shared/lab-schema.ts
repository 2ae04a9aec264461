// The lab file format: one YAML file per lab. This schema is the single definition of what a
// lab may contain; labs/README.md documents it for trainers, and the loader in main/core/lab
// maps every violation back to a file, a line and a field.
import { z } from 'zod';

const IPV4_MESSAGE = 'expected an IPv4 address such as 172.25.88.1';
const CIDR_MESSAGE = 'expected a subnet in CIDR form with a prefix from /8 to /30, such as 172.25.88.0/24';

export const ipv4 = z.ipv4({ message: IPV4_MESSAGE });

const prefixOf = (value: string) => Number(value.split('/')[1]);

// `abort`: a value that is no CIDR at all gets one message, not a second one for its prefix.
export const cidr = z
  .cidrv4({ message: CIDR_MESSAGE, abort: true })
  .refine((value) => prefixOf(value) >= 8 && prefixOf(value) <= 30, { message: CIDR_MESSAGE });

// Names become parts of Docker resource names and appear in shell prompts, so keep them plain.
export const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, { message: 'expected a name of lowercase letters, digits and dashes' });

export const ROLES = ['director', 'realserver', 'client', 'router'] as const;
export const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'sh', 'dh', 'lblc', 'lblcr', 'sed', 'nq', 'mh'] as const;

// An address with an optional prefix: `172.25.88.1` takes the network's prefix, while
// `172.25.88.1/24` narrows it, so that one Docker segment can carry several subnets, as the
// seed's physical bridge does.
const HOST_ADDRESS_MESSAGE =
  'expected an IPv4 address, optionally with a prefix, such as 172.25.88.1 or 172.25.88.1/24';
const withPrefix = z.cidrv4();
export const hostAddress = z
  .string()
  .refine(
    (value) => ipv4.safeParse(value).success || (withPrefix.safeParse(value).success && prefixOf(value) >= 8),
    { message: HOST_ADDRESS_MESSAGE },
  );

// One address, or several on the same segment (the first is the one Docker assigns).
const nodeAddress = z.union([hostAddress, z.array(hostAddress).min(1)]);

const network = z.strictObject({
  name,
  subnet: cidr,
  gateway: ipv4.optional(),
  description: z.string().optional(),
});

/** A path inside the lab's folder, as a bundle may hold it: plain relative segments only. */
const assetPath = z
  .string()
  .max(200)
  .regex(/^(?!\.{1,2}(\/|$))[A-Za-z0-9._-]+(\/(?!\.{1,2}(\/|$))[A-Za-z0-9._-]+)*$/, {
    message: 'expected a path inside the lab\'s folder such as files/motd.txt (no "..", no leading /)',
  });

/** A file the lab places in a node before it starts: a page, a script, a config. */
const nodeFile = z.strictObject({
  // Relative to the lab file; packed with it into a bundle.
  source: assetPath,
  // Where in the node, an absolute path.
  target: z
    .string()
    .max(200)
    .regex(/^\/(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._/-]+$/, {
      message: 'expected an absolute path in the node such as /etc/motd (no "..")',
    })
    .refine((target) => !/^\/(proc|sys|dev)(\/|$)/.test(target), {
      message: "/proc, /sys and /dev are the kernel's: set sysctls with `sysctls:` instead",
    }),
  // Octal, as chmod takes it.
  mode: z
    .string()
    .regex(/^0?[0-7]{3}$/, { message: 'expected an octal mode such as "0644" or "0755"' })
    .default('0644'),
});

const node = z.strictObject({
  name,
  role: z.enum(ROLES),
  image: z.string().min(1).optional(),
  description: z.string().optional(),
  // One entry per network, in interface order: the first becomes eth0, the next eth1.
  addresses: z.record(name, nodeAddress).refine((record) => Object.keys(record).length > 0, {
    message: 'a node needs an address on at least one network',
  }),
  // Content of the web page the node serves on port 80 (real servers).
  page: z.string().min(1).optional(),
  // Applied when the container is created, so a lab can start from a known kernel state
  // (for example strict rp_filter as on RHEL) whatever the Docker host's defaults are.
  sysctls: z.record(z.string().regex(/^net\.[a-z0-9_.-]+$/), z.union([z.string(), z.number()])).optional(),
  files: z.array(nodeFile).optional(),
});

const service = z.strictObject({
  vip: ipv4,
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
  port: z.number().int().min(1).max(65535).default(80),
  scheduler: z.enum(SCHEDULERS).default('rr'),
  // Where clients send requests when that is not the VIP itself (a NAT in front, for example).
  url: z.url({ protocol: /^https?$/ }).optional(),
});

/** The flags a command check's `stdoutMatches` runs with: `^` and `$` match at every line. */
export const STDOUT_MATCH_FLAGS = 'm';

/** A regular expression of the lab file: one that does not compile is an error at load time. */
const pattern = z.string().superRefine((value, ctx) => {
  try {
    new RegExp(value, STDOUT_MATCH_FLAGS);
  } catch (error) {
    // V8 says "Invalid regular expression: /(/m: Unterminated group"; keep only the why.
    const why = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${why}` });
  }
});

const nodeRef = name;
const directorRef = name.optional();

const httpExpect = z
  .strictObject({
    // Round robin: the answers cycle through these nodes, each once per round, in a fixed order.
    rotation: z.array(nodeRef).min(1).optional(),
    // Exact number of answers per node.
    counts: z.record(nodeRef, z.number().int().min(0)).optional(),
    // Requests that must fail (timeout, refused) at least this many times.
    failuresAtLeast: z.number().int().min(0).optional(),
    // Requests that may fail at most this many times; 0 unless said otherwise.
    failuresAtMost: z.number().int().min(0).optional(),
  })
  .refine((e) => e.rotation !== undefined || e.counts !== undefined || e.failuresAtLeast !== undefined, {
    message: 'say what to expect: rotation, counts or failuresAtLeast',
  });

/**
 * Set on a check that legitimately passes before its step is applied (it guards against a
 * regression rather than proving the step): `lvs-lab test` then does not report it as weak.
 */
const holdsBefore = { holdsBefore: z.boolean().optional() };

export const checkSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...holdsBefore,
    kind: z.literal('address'),
    node: nodeRef,
    device: z.string().min(1),
    address: ipv4.optional(), // defaults to the VIP
    prefix: z.number().int().min(0).max(32).optional(),
  }),
  z.strictObject({
    ...holdsBefore,
    kind: z.literal('link'),
    node: nodeRef,
    device: z.string().min(1),
    up: z.boolean().default(true),
  }),
  z.strictObject({
    ...holdsBefore,
    kind: z.literal('ipvs-service'),
    node: directorRef,
    scheduler: z.enum(SCHEDULERS).optional(),
  }),
  z.strictObject({
    ...holdsBefore,
    kind: z.literal('ipvs-realserver'),
    node: directorRef,
    server: z.union([nodeRef, ipv4]),
    port: z.number().int().min(1).max(65535).optional(),
    forward: z.enum(['tunnel', 'route', 'masq']).default('tunnel'),
    weight: z.number().int().min(0).optional(),
    absent: z.boolean().default(false),
  }),
  z.strictObject({
    ...holdsBefore,
    kind: z.literal('sysctl'),
    node: nodeRef,
    key: z.string().regex(/^[a-z0-9_.-]+$/),
    equals: z.union([z.number(), z.string()]),
  }),
  z.strictObject({
    ...holdsBefore,
    kind: z.literal('arptables'),
    node: nodeRef,
    chain: z.enum(['INPUT', 'OUTPUT']),
    target: z.enum(['DROP', 'mangle', 'ACCEPT']),
    source: ipv4.optional(),
    destination: ipv4.optional(),
    mangleIpSource: ipv4.optional(),
  }),
  z.strictObject({
    ...holdsBefore,
    kind: z.literal('route'),
    node: nodeRef,
    destination: z.union([z.literal('default'), cidr, ipv4]),
    via: ipv4.optional(),
    device: z.string().optional(),
  }),
  z.strictObject({
    ...holdsBefore,
    kind: z.literal('neighbour'),
    node: nodeRef,
    address: ipv4.optional(), // defaults to the VIP
    owner: nodeRef, // whose MAC address the entry must hold
  }),
  z.strictObject({
    ...holdsBefore,
    kind: z.literal('http'),
    from: nodeRef,
    url: z.url({ protocol: /^https?$/ }).optional(),
    requests: z.number().int().min(1).max(200).default(6),
    timeoutSeconds: z.number().min(0.2).max(10).default(2),
    expect: httpExpect,
  }),
  z.strictObject({
    ...holdsBefore,
    kind: z.literal('replies-bypass-director'),
    node: directorRef,
    // Who sends the requests whose replies are watched; default the lab's first client.
    from: nodeRef.optional(),
    requests: z.number().int().min(1).max(50).default(6),
    // A reproduction's symptom: the check passes when the replies do go back through the director.
    viaDirector: z.boolean().default(false),
  }),
  z.strictObject({
    ...holdsBefore,
    kind: z.literal('command'),
    node: nodeRef,
    run: z.string().min(1),
    exitCode: z.number().int().default(0),
    stdoutIncludes: z.string().optional(),
    stdoutMatches: pattern.optional(),
    reason: z.string().optional(), // the human reason to show when it fails
  }),
]);

const step = z.strictObject({
  id: name,
  title: z.string().min(1),
  explain: z.string().min(1),
  // Commands per node, in the order they are typed. Nodes of one step run in parallel.
  commands: z.record(nodeRef, z.array(z.string().min(1)).min(1)).default({}),
  checks: z.array(checkSchema).default([]),
});

/**
 * A reversible fault: a named set of commands that breaks one thing on a node of a running lab,
 * and the commands that put it back. LVS Lab ships the common LVS-TUN faults; a lab may add its
 * own. The commands run in a shell that has these variables: NODE (the node the fault is for),
 * RIP (its first address), VIP, PORT, PROTO (tcp or udp), IPVS_SERVICE (`-t VIP:PORT`, as
 * ipvsadm takes it), SCHED, and STATE, a directory kept for this fault on this node where `break`
 * saves what `fix` restores.
 */
export const faultSchema = z.strictObject({
  id: name,
  title: z.string().min(1),
  // What the learner sees while the fault is on, and why.
  symptom: z.string().min(1),
  // The roles of the nodes it can be applied to.
  roles: z.array(z.enum(ROLES)).min(1),
  // Where the commands run: on the node itself, or on the director (a real server's weight).
  runOn: z.enum(['node', 'director']).default('node'),
  break: z.array(z.string().min(1)).min(1),
  fix: z.array(z.string().min(1)).min(1),
});

export const labSchema = z.strictObject({
  id: name,
  title: z.string().min(1),
  summary: z.string().min(1),
  difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
  // Who wrote the lab: shown in the picker and written into a bundle's manifest.
  author: z.string().min(1).max(200).optional(),
  seed: z.strictObject({
    document: z.string().min(1),
    section: z.string().optional(),
    title: z.string().optional(),
  }),
  departures: z.array(z.strictObject({ what: z.string().min(1), why: z.string().min(1) })).default([]),
  networks: z.array(network).min(1),
  nodes: z.array(node).min(1),
  service,
  steps: z.array(step).min(1),
  // Faults of this lab's own, beside the ones LVS Lab ships (see faultSchema).
  faults: z.array(faultSchema).default([]),
});

/**
 * A lab derived from another: a bug reproduction or a variation. It takes the base lab's
 * networks, nodes and service, drops the steps it names, and appends its own. The merged lab is
 * validated like any other.
 */
export const derivedLabSchema = z.strictObject({
  id: name,
  title: z.string().min(1),
  summary: z.string().min(1),
  difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
  author: labSchema.shape.author,
  seed: labSchema.shape.seed,
  departures: labSchema.shape.departures,
  /** The base lab: an id in the labs folder, or a path relative to this file that stays inside that folder. */
  extends: z.string().min(1),
  omitSteps: z.array(name).default([]),
  steps: z.array(step).min(1),
  // Added to the base lab's own faults.
  faults: z.array(faultSchema).default([]),
});

export type DerivedLabFile = z.infer<typeof derivedLabSchema>;

export const CHECK_KINDS = checkSchema.options.map((option) => option.shape.kind.value);

export type LabFile = z.infer<typeof labSchema>;
export type LabNetwork = LabFile['networks'][number];
export type LabNode = LabFile['nodes'][number];
export type LabNodeFile = NonNullable<LabNode['files']>[number];
export type LabService = LabFile['service'];
export type LabStep = LabFile['steps'][number];
export type LabFault = z.infer<typeof faultSchema>;
export type Check = z.infer<typeof checkSchema>;
export type CheckKind = Check['kind'];
export type Role = (typeof ROLES)[number];
export type Scheduler = (typeof SCHEDULERS)[number];
