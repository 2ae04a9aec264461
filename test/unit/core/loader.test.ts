import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../../shared/lab-schema.js';
import { formatIssue, LabLoadError, loadLabFile, parseLab } from '../../../main/core/lab/loader.js';
import {
  director,
  nodeByName,
  nodesWithRole,
  primaryAddress,
  serviceUrl,
} from '../../../main/core/lab/model.js';
import { defined, labText, lineOf, loadIssue, loadIssues, loadLab, replaceLine, ROOT } from './helpers.js';

const ARP = labText('tun-arptables');
const FILE = 'labs/test.yaml';

describe('the real labs', () => {
  it('tun-arptables: four nodes on one network, the VIP, six steps', () => {
    const lab = loadLab('tun-arptables');
    expect(lab.id).toBe('tun-arptables');
    expect(lab.networks).toEqual([
      {
        name: 'lan',
        subnet: '172.25.88.0/24',
        gateway: '172.25.88.254',
        description: "The seed's single subnet, as an internal Docker network.",
      },
    ]);
    const eth0 = (ip: string) => [
      { network: 'lan', device: 'eth0', ip, prefix: 24, networkPrefix: 24, extra: [] },
    ];
    expect(lab.nodes.map((n) => [n.name, n.role, n.interfaces])).toEqual([
      ['server1', 'director', eth0('172.25.88.1')],
      ['server2', 'realserver', eth0('172.25.88.2')],
      ['server3', 'realserver', eth0('172.25.88.3')],
      ['client', 'client', eth0('172.25.88.250')],
    ]);
    expect(lab.service).toEqual({ vip: '172.25.88.100', protocol: 'tcp', port: 80, scheduler: 'rr' });
    expect(lab.steps.map((s) => s.id)).toEqual([
      'director-tunnel',
      'director-ipvs',
      'realserver-tunnel',
      'realserver-arp',
      'realserver-rp-filter',
      'test-round-robin',
    ]);
    expect(nodeByName(lab, 'server2')?.page).toBe('<h1>server2</h1>');
    expect(nodeByName(lab, 'server2')?.sysctls).toEqual({
      'net.ipv4.conf.all.rp_filter': 1,
      'net.ipv4.conf.default.rp_filter': 1,
    });
    expect(serviceUrl(lab)).toBe('http://172.25.88.100:80/');
    expect(director(lab).name).toBe('server1');
    expect(nodesWithRole(lab, 'realserver').map((n) => n.name)).toEqual(['server2', 'server3']);
  });

  it('tun-arptables: schema defaults are filled in (link up, tunnel forward, http requests)', () => {
    const lab = loadLab('tun-arptables');
    expect(lab.steps[0]?.checks[0]).toEqual({ kind: 'link', node: 'server1', device: 'tunl0', up: true });
    expect(lab.steps[1]?.checks[1]).toEqual({
      kind: 'ipvs-realserver',
      server: 'server2',
      forward: 'tunnel',
      weight: 1,
      absent: false,
    });
    expect(lab.steps[5]?.checks[0]).toEqual({
      kind: 'http',
      from: 'client',
      requests: 6,
      timeoutSeconds: 2,
      expect: { rotation: ['server2', 'server3'] },
      holdsBefore: true,
    });
    expect(lab.departures).toHaveLength(6);
  });

  it('tun-cross-subnet: one segment, each node narrowed to its /24, the gateway with two addresses', () => {
    const lab = loadLab('tun-cross-subnet');
    expect(lab.networks.map((n) => [n.name, n.subnet, n.gateway])).toEqual([
      ['lan', '172.25.0.0/16', '172.25.88.254'],
    ]);
    const iface = (ip: string, extra: { ip: string; prefix: number }[] = []) => [
      { network: 'lan', device: 'eth0', ip, prefix: 24, networkPrefix: 16, extra },
    ];
    expect(Object.fromEntries(lab.nodes.map((n) => [n.name, n.interfaces]))).toEqual({
      server1: iface('172.25.88.1'),
      server2: iface('172.25.88.2'),
      server3: iface('172.25.254.3'),
      gateway: iface('172.25.254.88', [{ ip: '172.25.88.88', prefix: 24 }]),
      client: iface('172.25.88.250'),
    });
    expect(nodeByName(lab, 'gateway')?.addresses).toEqual({ lan: ['172.25.254.88/24', '172.25.88.88/24'] });
    expect(primaryAddress(defined(nodeByName(lab, 'server1')))).toBe('172.25.88.1');
    expect(primaryAddress(defined(nodeByName(lab, 'server3')))).toBe('172.25.254.3');
    expect(primaryAddress(defined(nodeByName(lab, 'gateway')))).toBe('172.25.254.88');
    // tcp is the default; the file gives no protocol.
    expect(lab.service).toEqual({ vip: '172.25.88.100', protocol: 'tcp', port: 80, scheduler: 'rr' });
    const ipvsStep = lab.steps.find((s) => s.id === 'director-ipvs');
    expect(ipvsStep?.checks[2]).toMatchObject({ kind: 'ipvs-realserver', server: '172.25.254.3' });
    // The director's address in the remote subnet is added by a step, not declared.
    expect(lab.steps.find((s) => s.id === 'director-second-address')?.commands.server1).toEqual([
      'ip addr add 172.25.254.11/24 dev eth0',
    ]);
  });

  it('tun-sysctl: the router on two networks, the service URL, YAML aliases expanded', () => {
    const lab = loadLab('tun-sysctl');
    expect(nodeByName(lab, 'router')?.interfaces).toEqual([
      { network: 'lan', device: 'eth0', ip: '10.10.24.1', prefix: 24, networkPrefix: 24, extra: [] },
      { network: 'wan', device: 'eth1', ip: '203.0.113.88', prefix: 24, networkPrefix: 24, extra: [] },
    ]);
    expect(nodeByName(lab, 'client')?.interfaces.map((i) => `${i.device} ${i.network} ${i.ip}`)).toEqual([
      'eth0 wan 203.0.113.10',
    ]);
    expect(director(lab).name).toBe('lvs');
    expect(serviceUrl(lab)).toBe('http://203.0.113.88/');
    const step = lab.steps.find((s) => s.id === 'realserver-setup');
    expect(step?.commands.rs1).toHaveLength(12);
    expect(step?.commands.rs2).toEqual(step?.commands.rs1);
    expect(step?.commands.rs3).toEqual(step?.commands.rs1);
    expect(step?.commands.rs1?.[9]).toBe('ip addr add 10.10.24.88/32 broadcast 10.10.24.88 dev tunl0');
    expect(nodesWithRole(lab, 'realserver').map((n) => n.page)).toEqual([
      '<h1>RS1</h1>',
      '<h1>RS2</h1>',
      '<h1>RS3</h1>',
    ]);
  });

  it('loadLabFile reads a file: absolute source and the sha256 of its bytes', async () => {
    const lab = await loadLabFile(path.join(ROOT, 'labs', 'tun-cross-subnet.yaml'));
    expect(lab.source).toBe(path.join(ROOT, 'labs', 'tun-cross-subnet.yaml'));
    expect(lab.sourceHash).toBe(createHash('sha256').update(labText('tun-cross-subnet')).digest('hex'));
    expect(lab.sourceHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('loadLabFile resolves a relative path against the working directory', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lvslab-loader-'));
    try {
      await writeFile(path.join(dir, 'mine.yaml'), ARP);
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        const lab = await loadLabFile('mine.yaml');
        expect(lab.source).toBe(path.join(dir, 'mine.yaml'));
      } finally {
        process.chdir(cwd);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a one-character change gives another sourceHash', () => {
    const a = parseLab(ARP, FILE);
    const b = parseLab(ARP.replace('Send requests to the VIP', 'Send requests to the VIP!'), FILE);
    expect(a.sourceHash).not.toBe(b.sourceHash);
    expect(a.source).toBe(FILE);
  });
});

describe('loadLabFile errors', () => {
  it('a missing file is a LabLoadError naming the file', async () => {
    const error = await loadLabFile('labs/no-such-lab.yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabLoadError);
    expect((error as LabLoadError).issues).toEqual([
      {
        file: 'labs/no-such-lab.yaml',
        line: 0,
        column: 0,
        field: '',
        message: 'cannot read the lab file: no such file',
      },
    ]);
    expect((error as LabLoadError).message).toBe(
      'labs/no-such-lab.yaml:0:0: cannot read the lab file: no such file',
    );
  });

  it('an invalid lab file on disk reports the path it was given', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lvslab-loader-'));
    try {
      const file = path.join(dir, 'bad.yaml');
      const edited = replaceLine(ARP, '  scheduler: rr', '  scheduler: fifo');
      await writeFile(file, edited.text);
      const error = await loadLabFile(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LabLoadError);
      expect((error as LabLoadError).issues[0]).toMatchObject({
        file,
        line: edited.line,
        column: 14,
        field: 'service.scheduler',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parseLab: YAML errors', () => {
  const SERVER2_ROLE = ['    role: realserver', 1] as const;
  const SERVER2_ADDRESSES = '    addresses: { lan: 172.25.88.2 }';

  it('invalid YAML syntax: a tab used as indentation is reported on its line', () => {
    const { text, line } = replaceLine(ARP, SERVER2_ROLE[0], '\trole: realserver', SERVER2_ROLE[1]);
    const [first] = loadIssues(text);
    expect(first).toEqual({
      file: FILE,
      line,
      column: 1,
      field: '',
      message: 'invalid YAML: Tabs are not allowed as indentation',
    });
  });

  it('invalid YAML syntax: an unclosed flow mapping is reported where the parser finds it', () => {
    const { text, line } = replaceLine(ARP, SERVER2_ADDRESSES, '    addresses: { lan: 172.25.88.2');
    const [first] = loadIssues(text);
    // The mapping opened on this line is found unterminated at the start of the next key.
    expect(first).toMatchObject({ file: FILE, line: line + 1, column: 5, field: '' });
    expect(first?.message).toBe(
      'invalid YAML: Flow map in block collection must be sufficiently indented and end with a }',
    );
  });

  it('the YAML message keeps only its first line (no code excerpt)', () => {
    const { text } = replaceLine(ARP, SERVER2_ROLE[0], '\trole: realserver', SERVER2_ROLE[1]);
    const issues = loadIssues(text);
    expect(issues.length).toBeGreaterThan(1);
    for (const issue of issues) {
      expect(issue.message).toMatch(/^invalid YAML: /);
      expect(issue.message).not.toContain('\n');
    }
  });

  it('a YAML alias bomb ("billion laughs") is refused, naming the file, before it expands', async () => {
    // Nine levels of nine aliases each: 9^9 (387 million) strings once expanded.
    const levels = ['l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `l${i}: &l${i} [${Array(9)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    const bomb = `${ARP}\nx-bomb:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lvslab-bomb-'));
    const file = path.join(dir, 'bomb.yaml');
    try {
      await writeFile(file, bomb);
      const started = performance.now();
      const error = await loadLabFile(file).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(error).toBeInstanceOf(LabLoadError);
      const [issue] = (error as LabLoadError).issues;
      // At the first alias.
      expect(issue).toMatchObject({ file, field: '', line: lineOf(bomb, `  ${levels[1] ?? ''}`) });
      expect(issue?.message).toBe(
        'invalid YAML: more than 100 alias expansions; aliases nested like this ("billion laughs") would take all memory',
      );
      expect((error as LabLoadError).message).toContain(`${file}:`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a duplicate top-level key points at the second occurrence', () => {
    const { text, line } = replaceLine(
      ARP,
      'difficulty: beginner',
      'difficulty: beginner\ndifficulty: advanced',
    );
    expect(loadIssue(text)).toEqual({
      file: FILE,
      line: line + 1,
      column: 1,
      field: '',
      message: 'invalid YAML: Map keys must be unique',
    });
  });

  it('a duplicate key inside a flow mapping points at its column', () => {
    const changed = '    addresses: { lan: 172.25.88.2, lan: 172.25.88.3 }';
    const { text, line } = replaceLine(ARP, SERVER2_ADDRESSES, changed);
    expect(loadIssue(text)).toEqual({
      file: FILE,
      line,
      column: changed.lastIndexOf('lan:') + 1,
      field: '',
      message: 'invalid YAML: Map keys must be unique',
    });
  });

  it.each([
    ['a sequence', '- id: x\n- id: y\n'],
    ['a scalar', 'just text\n'],
    ['an empty file', ''],
    ['a comment only', '# nothing here\n'],
  ])('%s is not a lab', (_what, text) => {
    expect(loadIssue(text, 'labs/x.yaml')).toEqual({
      file: 'labs/x.yaml',
      line: 1,
      column: 1,
      field: '',
      message: 'expected a mapping with id, title, networks, nodes, service and steps',
    });
  });

  it('a mapping that is something else than a lab: missing and unknown fields', () => {
    const issues = loadIssues('name: my-service\nport: 80\n');
    const fields = issues.map((i) => i.field);
    expect(fields).toEqual(
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
    expect(issues.find((i) => i.field === 'id')?.message).toBe('missing required field (expected string)');
    expect(issues.find((i) => i.field === 'networks')?.message).toBe(
      'missing required field (expected array)',
    );
    // The first unknown key is reported at its own line, the others named in the message.
    expect(issues.find((i) => i.field === 'name')).toEqual({
      file: FILE,
      line: 1,
      column: 1,
      field: 'name',
      message: 'unknown field "name" (and port)',
    });
  });
});

describe('parseLab: schema errors carry file, line, column and field', () => {
  it('an unknown field points at the key on its own line', () => {
    const { text, line } = replaceLine(ARP, '    role: realserver', '    role: realserver\n    colour: red');
    expect(loadIssue(text)).toEqual({
      file: FILE,
      line: line + 1,
      column: 5,
      field: 'nodes[1].colour',
      message: 'unknown field "colour"',
    });
  });

  it('an unknown top-level field', () => {
    const { text, line } = replaceLine(ARP, 'difficulty: beginner', 'difficulty: beginner\nowner: me');
    expect(loadIssue(text)).toEqual({
      file: FILE,
      line: line + 1,
      column: 1,
      field: 'owner',
      message: 'unknown field "owner"',
    });
  });

  it('an unknown field inside a flow-style check points at its column', () => {
    const changed = '      - { kind: ipvs-service, scheduler: rr, sched: rr }';
    const { text, line } = replaceLine(ARP, '      - { kind: ipvs-service, scheduler: rr }', changed);
    expect(loadIssue(text)).toEqual({
      file: FILE,
      line,
      column: changed.indexOf(', sched:') + 3,
      field: 'steps[1].checks[0].sched',
      message: 'unknown field "sched"',
    });
  });

  it('a missing required field (no service) points at the file start', () => {
    let text = ARP;
    for (const line of [
      'service:',
      '  vip: 172.25.88.100',
      '  protocol: tcp',
      '  port: 80',
      '  scheduler: rr',
    ]) {
      text = replaceLine(text, line, '').text;
    }
    expect(text).not.toContain('vip:');
    expect(loadIssue(text)).toEqual({
      file: FILE,
      line: 1,
      column: 1,
      field: 'service',
      message: 'missing required field (expected object)',
    });
  });

  it('a missing field inside the service points at the service', () => {
    const { text } = replaceLine(ARP, '  vip: 172.25.88.100', '');
    expect(loadIssue(text)).toEqual({
      file: FILE,
      line: lineOf(text, '  protocol: tcp'),
      column: 3,
      field: 'service.vip',
      message: 'missing required field (expected string)',
    });
  });

  it('a missing enum field (role) points at its node and lists the roles', () => {
    const { text } = replaceLine(ARP, '    role: realserver', '');
    const issue = loadIssue(text);
    expect(issue).toMatchObject({
      file: FILE,
      line: lineOf(text, '  - name: server2'),
      column: 5,
      field: 'nodes[1].role',
    });
    expect(issue.message).toBe(
      'missing required field (expected one of "director", "realserver", "client", "router")',
    );
  });

  it('a bad IPv4 address says what was expected and what it got', () => {
    const { text, line } = replaceLine(
      ARP,
      '    addresses: { lan: 172.25.88.2 }',
      '    addresses: { lan: 172.25.88.300 }',
    );
    const issue = loadIssue(text);
    expect(issue).toEqual({
      file: FILE,
      line,
      column: 23,
      field: 'nodes[1].addresses.lan',
      message:
        'expected an IPv4 address, optionally with a prefix, such as 172.25.88.1 or 172.25.88.1/24 (got "172.25.88.300")',
    });
    expect(formatIssue(issue)).toBe(`labs/test.yaml:${line}:23: nodes[1].addresses.lan: ${issue.message}`);
  });

  it.each([
    ['172.25.88.2/33', 'a prefix over 32'],
    ['172.25.88.2/7', 'a prefix under 8'],
    ['172.25.88.2/24/1', 'two prefixes'],
  ])('a bad node address %s (%s)', (address) => {
    const { text, line } = replaceLine(
      ARP,
      '    addresses: { lan: 172.25.88.2 }',
      `    addresses: { lan: ${address} }`,
    );
    expect(loadIssue(text)).toEqual({
      file: FILE,
      line,
      column: 23,
      field: 'nodes[1].addresses.lan',
      message: `expected an IPv4 address, optionally with a prefix, such as 172.25.88.1 or 172.25.88.1/24 (got "${address}")`,
    });
  });

  it('a bad address in a list of addresses points at the element', () => {
    const changed = '    addresses: { lan: [172.25.88.2, 172.25.88.300] }';
    const { text, line } = replaceLine(ARP, '    addresses: { lan: 172.25.88.2 }', changed);
    expect(loadIssue(text)).toMatchObject({
      line,
      column: changed.indexOf('172.25.88.300') + 1,
      field: 'nodes[1].addresses.lan[1]',
    });
  });

  it('an empty list of addresses', () => {
    const { text, line } = replaceLine(
      ARP,
      '    addresses: { lan: 172.25.88.2 }',
      '    addresses: { lan: [] }',
    );
    expect(loadIssue(text)).toMatchObject({ line, field: 'nodes[1].addresses.lan' });
  });

  it('a node without any address', () => {
    const { text, line } = replaceLine(ARP, '    addresses: { lan: 172.25.88.2 }', '    addresses: {}');
    expect(loadIssue(text)).toEqual({
      file: FILE,
      line,
      column: 16,
      field: 'nodes[1].addresses',
      message: 'a node needs an address on at least one network',
    });
  });

  it.each(['172.25.88', '172.25.88.1.5', '172.025.88.100', ' 172.25.88.100x'])('a bad VIP %j', (vip) => {
    const { text, line } = replaceLine(ARP, '  vip: 172.25.88.100', `  vip: '${vip}'`);
    expect(loadIssue(text)).toEqual({
      file: FILE,
      line,
      column: 8,
      field: 'service.vip',
      message: `expected an IPv4 address such as 172.25.88.1 (got ${JSON.stringify(vip)})`,
    });
  });

  it.each([
    ['172.25.88.0/33', '/33'],
    ['172.25.88.0/31', '/31: too small for hosts and a gateway'],
    ['172.25.88.0/7', '/7: too large'],
    ['172.25.88.0', 'no prefix'],
    ['172.25.88.0/24/1', 'two slashes'],
    ['172.25.288.0/24', 'bad octet'],
    ['172.25.88.0/2a', 'prefix not a number'],
  ])('a bad CIDR %s (%s)', (subnet) => {
    const { text, line } = replaceLine(ARP, '    subnet: 172.25.88.0/24', `    subnet: ${subnet}`);
    expect(loadIssue(text)).toEqual({
      file: FILE,
      line,
      column: 13,
      field: 'networks[0].subnet',
      message: `expected a subnet in CIDR form with a prefix from /8 to /30, such as 172.25.88.0/24 (got "${subnet}")`,
    });
  });

  const KIND_LINE = '      - { kind: ipvs-service, scheduler: rr }';

  it('an unknown check kind lists the valid kinds', () => {
    const { text, line } = replaceLine(ARP, KIND_LINE, '      - { kind: ipvs-servce, scheduler: rr }');
    const issue = loadIssue(text);
    expect(issue).toMatchObject({ file: FILE, line, column: 17, field: 'steps[1].checks[0].kind' });
    expect(issue.message).toMatch(/^unknown check kind /);
    expect(issue.message).toContain(`: expected one of ${CHECK_KINDS.join(', ')}`);
    expect(CHECK_KINDS).toEqual([
      'address',
      'link',
      'ipvs-service',
      'ipvs-realserver',
      'sysctl',
      'arptables',
      'route',
      'neighbour',
      'http',
      'replies-bypass-director',
      'command',
    ]);
  });

  // BUG (main/core/lab/loader.ts, schemaIssue, the invalid_union branch): zod's issue path
  // already ends in "kind" and the loader appends "kind" again, so valueAt() finds nothing and
  // the message reads `unknown check kind undefined: expected one of ...`.
  it('an unknown check kind names the kind that was written', () => {
    const { text } = replaceLine(ARP, KIND_LINE, '      - { kind: ipvs-servce, scheduler: rr }');
    expect(loadIssue(text).message).toMatch(/^unknown check kind "ipvs-servce": expected one of address, /);
  });

  it('a bad scheduler in the service lists the schedulers', () => {
    const { text, line } = replaceLine(ARP, '  scheduler: rr', '  scheduler: roundrobin');
    expect(loadIssue(text)).toEqual({
      file: FILE,
      line,
      column: 14,
      field: 'service.scheduler',
      message:
        'Invalid option: expected one of "rr"|"wrr"|"lc"|"wlc"|"sh"|"dh"|"lblc"|"lblcr"|"sed"|"nq"|"mh" (got "roundrobin")',
    });
  });

  it('a bad scheduler in a check', () => {
    const changed = '      - { kind: ipvs-service, scheduler: fifo }';
    const { text, line } = replaceLine(ARP, KIND_LINE, changed);
    const issue = loadIssue(text);
    expect(issue).toMatchObject({
      file: FILE,
      line,
      column: changed.indexOf('fifo') + 1,
      field: 'steps[1].checks[0].scheduler',
    });
    expect(issue.message).toContain('"wlc"');
    expect(issue.message).toContain('(got "fifo")');
  });

  it('a stdoutMatches pattern that does not compile is a lab-file error at its line', () => {
    const check = '      - { kind: link, node: server1, device: tunl0 }';
    const { text, line } = replaceLine(
      ARP,
      check,
      `${check}\n      - { kind: command, node: server1, run: 'ip link', stdoutMatches: 'tunl0(' }`,
    );
    expect(loadIssue(text)).toMatchObject({
      file: FILE,
      line: line + 1,
      field: 'steps[0].checks[1].stdoutMatches',
      message: 'not a valid regular expression: Unterminated group (got "tunl0(")',
    });
  });

  it('a bad node name', () => {
    const { text, line } = replaceLine(ARP, '  - name: server2', '  - name: Server_2');
    const issues = loadIssues(text);
    expect(issues[0]).toEqual({
      file: FILE,
      line,
      column: 11,
      field: 'nodes[1].name',
      message: 'expected a name of lowercase letters, digits and dashes (got "Server_2")',
    });
  });

  it('an http check without an expectation', () => {
    const { text, line } = replaceLine(
      ARP,
      '        expect: { rotation: [server2, server3] }',
      '        expect: { failuresAtMost: 1 }',
    );
    expect(loadIssue(text)).toEqual({
      file: FILE,
      line,
      column: 17,
      field: `steps[${lastStepIndex(text)}].checks[0].expect`,
      message: 'say what to expect: rotation, counts or failuresAtLeast',
    });
  });

  it('several schema errors are reported together, in one LabLoadError', () => {
    const a = replaceLine(
      ARP,
      '    addresses: { lan: 172.25.88.2 }',
      '    addresses: { lan: 172.25.88.300 }',
    );
    const b = replaceLine(a.text, '  scheduler: rr', '  scheduler: roundrobin');
    let error: unknown;
    try {
      parseLab(b.text, FILE);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LabLoadError);
    const issues = (error as LabLoadError).issues;
    expect(issues.map((i) => `${i.line}:${i.field}`).sort()).toEqual(
      [`${a.line}:nodes[1].addresses.lan`, `${b.line}:service.scheduler`].sort(),
    );
    expect((error as LabLoadError).message.split('\n')).toHaveLength(2);
    expect((error as LabLoadError).name).toBe('LabLoadError');
  });
});

/** Index of the last step (the http check lives there). */
function lastStepIndex(text: string): number {
  return text.split('\n').filter((l) => l.startsWith('  - id: ')).length - 1;
}
