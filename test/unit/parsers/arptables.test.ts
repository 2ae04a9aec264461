import { describe, expect, it } from 'vitest';

import { findArpRule, parseArpRuleText, parseArptables } from '../../../main/core/parsers/arptables.js';
import { fixture } from './fixture.js';

describe('parseArptables on the real legacy listing of a lab container', () => {
  const t = parseArptables(fixture('arptables-L-n.txt'));

  it('reads the three built-in chains and their policies', () => {
    expect(t.table).toBeNull();
    expect(t.unparsed).toEqual([]);
    expect(t.chains.map((c) => [c.name, c.policy, c.rules.length])).toEqual([
      ['INPUT', 'ACCEPT', 1],
      ['OUTPUT', 'ACCEPT', 1],
      ['FORWARD', 'ACCEPT', 0],
    ]);
  });

  it('reads `-j DROP -d VIP ` (trailing blank) in INPUT', () => {
    expect(t.chains[0]?.rules[0]).toEqual({
      target: 'DROP',
      source: null,
      destination: '172.30.99.100',
      sourceMac: null,
      destinationMac: null,
      mangleIpSource: null,
      mangleIpDest: null,
      mangleMacSource: null,
      mangleMacDest: null,
      mangleTarget: null,
      inInterface: null,
      outInterface: null,
      extra: [],
      lineNumber: null,
      packets: null,
      bytes: null,
      raw: '-j DROP -d 172.30.99.100',
    });
  });

  it('reads the mangle rule in OUTPUT', () => {
    expect(t.chains[1]?.rules[0]).toMatchObject({
      target: 'mangle',
      source: '172.30.99.100',
      mangleIpSource: '172.30.99.1',
      raw: '-j mangle -s 172.30.99.100 --mangle-ip-s 172.30.99.1',
    });
  });

  it('findArpRule matches the seed checks, ignoring /32 and the case of the target', () => {
    expect(findArpRule(t, { chain: 'INPUT', target: 'DROP', destination: '172.30.99.100/32' })).toBe(
      t.chains[0]?.rules[0],
    );
    expect(
      findArpRule(t, {
        chain: 'OUTPUT',
        target: 'MANGLE',
        source: '172.30.99.100',
        mangleIpSource: '172.30.99.1/32',
      }),
    ).toBe(t.chains[1]?.rules[0]);
  });

  it('findArpRule refuses other addresses, chains, targets and unwanted interfaces', () => {
    expect(findArpRule(t, { chain: 'INPUT', target: 'DROP', destination: '172.30.99.10' })).toBeNull();
    expect(findArpRule(t, { chain: 'INPUT', target: 'DROP', destination: '172.30.99.100/24' })).toBeNull();
    expect(findArpRule(t, { chain: 'IN', target: 'DROP', destination: '172.30.99.100' })).toBeNull();
    expect(findArpRule(t, { chain: 'INPUT', target: 'ACCEPT', destination: '172.30.99.100' })).toBeNull();
    expect(findArpRule(t, { chain: 'OUTPUT', target: 'mangle', mangleIpSource: '172.30.99.2' })).toBeNull();
    expect(findArpRule(t, { chain: 'INPUT', target: 'DROP', inInterface: 'eth0' })).toBeNull();
    // null means "must be absent": this rule has no -i.
    expect(findArpRule(t, { chain: 'INPUT', target: 'DROP', inInterface: null })).not.toBeNull();
    expect(findArpRule(t, { chain: 'INPUT', target: 'DROP', source: '172.30.99.100' })).toBeNull();
  });
});

describe('parseArptables on other real legacy 0.0.5 listings', () => {
  it('reads real server 2 of the LVS-TUN lab on UML', () => {
    const t = parseArptables(fixture('uml-arptables-L-n-rs2.txt'));
    expect(t.unparsed).toEqual([]);
    expect(findArpRule(t, { chain: 'INPUT', target: 'DROP', destination: '172.25.88.100' })?.raw).toBe(
      '-j DROP -d 172.25.88.100',
    );
    expect(
      findArpRule(t, {
        chain: 'OUTPUT',
        target: 'mangle',
        source: '172.25.88.100',
        mangleIpSource: '172.25.88.2',
      }),
    ).not.toBeNull();
    expect(findArpRule(t, { chain: 'OUTPUT', target: 'mangle', mangleIpSource: '172.25.88.3' })).toBeNull();
  });

  it('reads --line-numbers', () => {
    const t = parseArptables(fixture('arptables-L-n-line-numbers.txt'));
    expect(t.unparsed).toEqual([]);
    expect(t.chains[0]?.rules[0]).toMatchObject({
      lineNumber: 1,
      target: 'DROP',
      destination: '172.30.99.100',
    });
    expect(t.chains[1]?.rules[0]?.raw).toBe('-j mangle -s 172.30.99.100 --mangle-ip-s 172.30.99.1');
  });

  it('reads -v counters and policy counters; `-i * -o *` means no interface', () => {
    const t = parseArptables(fixture('arptables-legacy-L-n-v-after-traffic.netns.txt'));
    expect(t.unparsed).toEqual([]);
    expect(t.chains.map((c) => c.policy)).toEqual(['ACCEPT', 'ACCEPT', 'ACCEPT']);
    expect(t.chains[0]?.rules[0]).toMatchObject({
      target: 'DROP',
      destination: '172.25.88.100',
      inInterface: null,
      outInterface: null,
      packets: 2,
      bytes: 56,
      extra: [],
    });
    expect(t.chains[1]?.rules[0]).toMatchObject({ mangleIpSource: '172.25.88.2', packets: 0, bytes: 0 });
  });

  it('reads negation, interfaces, masks, MAC mangling, user chains and a DROP policy', () => {
    const t = parseArptables(fixture('arptables-legacy-variety-L-n.netns.txt'));
    expect(t.unparsed).toEqual([]);
    expect(t.chains.map((c) => [c.name, c.policy])).toEqual([
      ['INPUT', 'ACCEPT'],
      ['OUTPUT', 'ACCEPT'],
      ['FORWARD', 'DROP'],
      ['lvslab', null],
    ]);
    const [drop, accept, jump] = t.chains[0]?.rules ?? [];
    expect(drop?.destination).toBe('172.25.88.100');
    expect(accept).toMatchObject({ target: 'ACCEPT', inInterface: 'lo', source: '! 10.0.0.0/8' });
    expect(jump).toMatchObject({ target: 'lvslab', source: null, destination: null, raw: '-j lvslab' });
    expect(t.chains[1]?.rules[1]).toMatchObject({
      target: 'mangle',
      outInterface: 'lo',
      destination: '10.1.2.3',
      mangleMacSource: '02:42:ac:1e:63:01',
      mangleTarget: 'DROP',
      extra: ['--h-length 6', '--opcode 1'],
    });
    expect(t.chains[3]?.rules[0]).toMatchObject({ target: 'RETURN', source: '192.0.2.1' });
    // A negated source never matches the plain network.
    expect(findArpRule(t, { chain: 'INPUT', target: 'ACCEPT', source: '10.0.0.0/8' })).toBeNull();
    expect(findArpRule(t, { chain: 'INPUT', target: 'ACCEPT', source: '! 10.0.0.0/8' })).toBe(accept);
  });

  it('reads the same rules listed with -v -x --line-numbers', () => {
    const t = parseArptables(fixture('arptables-legacy-variety-L-n-v-x-line-numbers.netns.txt'));
    expect(t.unparsed).toEqual([]);
    const rules = t.chains.flatMap((c) =>
      c.rules.map((r) => `${c.name}#${String(r.lineNumber)} ${r.target}`),
    );
    expect(rules).toEqual([
      'INPUT#1 DROP',
      'INPUT#2 ACCEPT',
      'INPUT#3 lvslab',
      'OUTPUT#1 mangle',
      'OUTPUT#2 mangle',
      'lvslab#1 RETURN',
    ]);
    expect(t.chains[0]?.rules[1]).toMatchObject({ inInterface: 'lo', outInterface: null, packets: 0 });
    expect(t.chains[1]?.rules[1]).toMatchObject({ inInterface: null, outInterface: 'lo' });
  });
});

describe('parseArptables on save formats', () => {
  it('reads arptables-legacy-save (the perl script around `-L -n`)', () => {
    const t = parseArptables(fixture('arptables-legacy-variety-save.netns.txt'));
    expect(t.table).toBe('filter');
    expect(t.unparsed).toEqual([]);
    expect(t.chains.map((c) => [c.name, c.policy, c.rules.length])).toEqual([
      ['INPUT', 'ACCEPT', 3],
      ['OUTPUT', 'ACCEPT', 2],
      ['FORWARD', 'DROP', 0],
      ['lvslab', null, 1],
    ]);
    expect(t.chains[0]?.rules[0]).toMatchObject({
      target: 'DROP',
      destination: '172.25.88.100',
      raw: '-A INPUT -j DROP -d 172.25.88.100',
    });
  });

  it('reads arptables-nft listings and save output (target last in nft save)', () => {
    const list = parseArptables(fixture('arptables-nft-L-n.netns.txt'));
    expect(list.chains.map((c) => c.name)).toEqual(['INPUT', 'OUTPUT']);
    expect(
      findArpRule(list, { chain: 'INPUT', target: 'DROP', destination: '172.25.88.100' }),
    ).not.toBeNull();
    const verbose = parseArptables(fixture('arptables-nft-L-n-v-line-numbers.netns.txt'));
    expect(verbose.chains[1]?.rules[0]).toMatchObject({
      lineNumber: 1,
      mangleIpSource: '172.25.88.2',
      packets: 0,
    });
    const save = parseArptables(fixture('arptables-nft-save.netns.txt'));
    expect(save.unparsed).toEqual([]);
    expect(
      findArpRule(save, { chain: 'OUTPUT', target: 'mangle', mangleIpSource: '172.25.88.2' }),
    ).not.toBeNull();
    expect(parseArpRuleText('-d 172.25.88.100 -j DROP')).toMatchObject({
      target: 'DROP',
      destination: '172.25.88.100',
    });
  });

  it('reads the seed`s arptables-save v0.0.8 file with [p:b] counters and IN/OUT chains', () => {
    const t = parseArptables(fixture('seed000-arptables-save-v0.0.8.txt'));
    expect(t.table).toBe('filter');
    expect(t.unparsed).toEqual([]);
    expect(t.chains.map((c) => [c.name, c.policy])).toEqual([
      ['IN', 'ACCEPT'],
      ['OUT', 'ACCEPT'],
      ['FORWARD', 'ACCEPT'],
    ]);
    expect(findArpRule(t, { chain: 'IN', target: 'DROP', destination: '172.25.88.100' })).toMatchObject({
      packets: 0,
      bytes: 0,
    });
    expect(findArpRule(t, { chain: 'OUT', target: 'mangle', source: '172.25.88.100' })?.mangleIpSource).toBe(
      '172.25.254.3',
    );
  });
});

describe('parseArptables on foreign input', () => {
  it('does not mistake the seed`s arptables_jf column layout for rules', () => {
    const t = parseArptables(fixture('seed000-arptables-jf-L.txt'));
    expect(t.chains.map((c) => [c.name, c.policy, c.rules.length])).toEqual([
      ['IN', 'ACCEPT', 0],
      ['OUT', 'ACCEPT', 0],
      ['FORWARD', 'ACCEPT', 0],
    ]);
    expect(t.unparsed).toContain('DROP        anywhere      172.25.88.100  anywhere      anywhere');
    expect(t.unparsed).toHaveLength(10);
  });

  it('never throws on error messages and garbage', () => {
    const t = parseArptables(
      "arptables v0.0.5: can't initialize arptables table `filter': Table does not exist\n-j DROP\n1 2 3\n\u0000",
    );
    expect(t.chains).toEqual([]);
    expect(t.unparsed).toHaveLength(4);
  });

  it('parseArpRuleText refuses text that is not a rule and reads old `-d ! x` negation', () => {
    expect(parseArpRuleText('DROP anywhere 172.25.88.100')).toBeNull();
    expect(parseArpRuleText('')).toBeNull();
    expect(parseArpRuleText('-j DROP -d ! 10.0.0.1 -i ! eth0')).toMatchObject({
      destination: '! 10.0.0.1',
      inInterface: '! eth0',
    });
    expect(parseArpRuleText('-j ACCEPT , pcnt=1234K -- bcnt=5M ')).toMatchObject({
      target: 'ACCEPT',
      packets: 1_234_000,
      bytes: 5_000_000,
    });
  });
});
