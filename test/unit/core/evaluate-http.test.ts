// evaluateHttp on samples as the client prints them: LVSLAB-SAMPLE lines (curl's status, time,
// exit status and the base64 body) read by the real parser and attributed by the real pages of
// the lab.
import { describe, expect, it } from 'vitest';
import { checkSchema, type Check } from '../../../shared/lab-schema.js';
import { evaluateHttp } from '../../../main/core/checks/evaluate.js';
import { realServerPages, type Lab } from '../../../main/core/lab/model.js';
import { attribute, parseCurlSamples } from '../../../main/core/parsers/index.js';
import { loadLab } from './helpers.js';

const ARP = loadLab('tun-arptables');
const SYSCTL = loadLab('tun-sysctl');

type HttpCheck = Extract<Check, { kind: 'http' }>;

function httpCheck(fields: Record<string, unknown>): HttpCheck {
  const check = checkSchema.parse({ kind: 'http', from: 'client', ...fields });
  if (check.kind !== 'http') throw new Error('not an http check');
  return check;
}

/** What the client sees: a node name (its page), 'timeout', 'refused', or a raw answer. */
type Answer = string | { status: number; body: string; exit?: number };

/** The curl loop's output for these answers, one LVSLAB-SAMPLE line each. */
function curlOutput(lab: Lab, answers: Answer[]): string {
  const pages = realServerPages(lab);
  return answers
    .map((answer, i) => {
      const n = i + 1;
      if (answer === 'timeout') return `LVSLAB-SAMPLE ${n} 000 2.001873 28 `;
      if (answer === 'refused') return `LVSLAB-SAMPLE ${n} 000 0.000412 7 `;
      const { status, body, exit } =
        typeof answer === 'string' ? { status: 200, body: `${pages[answer] ?? answer}\n`, exit: 0 } : answer;
      return `LVSLAB-SAMPLE ${n} ${String(status).padStart(3, '0')} 0.004${n} ${exit ?? 0} ${Buffer.from(body).toString('base64')}`;
    })
    .join('\n');
}

function run(lab: Lab, check: HttpCheck, answers: Answer[]) {
  return evaluateHttp(
    check,
    lab,
    attribute(parseCurlSamples(curlOutput(lab, answers)), realServerPages(lab)),
  );
}

describe('rotation', () => {
  const check = httpCheck({ requests: 6, expect: { rotation: ['server2', 'server3'] } });
  const LABEL = '6 requests from client to http://172.25.88.100:80/ alternate server2, server3';

  it('the lab check itself is this one', () => {
    // The last step only looks: its check holds before it too (see lvs-lab test).
    expect(ARP.steps.at(-1)?.checks[0]).toEqual({ ...check, holdsBefore: true });
  });

  it('strict alternation starting with server2 passes', () => {
    expect(run(ARP, check, ['server2', 'server3', 'server2', 'server3', 'server2', 'server3'])).toEqual({
      kind: 'http',
      label: LABEL,
      ok: true,
    });
  });

  it('strict alternation starting with server3 passes too', () => {
    expect(run(ARP, check, ['server3', 'server2', 'server3', 'server2', 'server3', 'server2']).ok).toBe(true);
  });

  it('a broken rotation fails with the sequence', () => {
    expect(run(ARP, check, ['server2', 'server2', 'server3', 'server2', 'server3', 'server2'])).toEqual({
      kind: 'http',
      label: LABEL,
      ok: false,
      reason:
        'the answers do not cycle strictly through server2, server3 (answers: server2, server2, server3, server2, server3, server2)',
    });
  });

  it('one server answering everything (the client bypasses the director) fails', () => {
    expect(run(ARP, check, Array<Answer>(6).fill('server3')).reason).toBe(
      'the answers do not cycle strictly through server2, server3 (answers: server3, server3, server3, server3, server3, server3)',
    );
  });

  it('three servers, in any fixed order (tun-sysctl, through the NAT URL)', () => {
    const three = httpCheck({ requests: 6, expect: { rotation: ['rs1', 'rs2', 'rs3'] } });
    expect(SYSCTL.steps.at(-1)?.checks[0]).toEqual({ ...three, holdsBefore: true });
    expect(run(SYSCTL, three, ['rs2', 'rs3', 'rs1', 'rs2', 'rs3', 'rs1'])).toEqual({
      kind: 'http',
      label: '6 requests from client to http://203.0.113.88/ alternate rs1, rs2, rs3',
      ok: true,
    });
    expect(run(SYSCTL, three, ['rs3', 'rs1', 'rs2', 'rs3', 'rs1', 'rs2']).ok).toBe(true);
    // The order within a round is the scheduler's (rr starts from the real server added last):
    // any order passes as long as every round repeats it.
    expect(run(SYSCTL, three, ['rs3', 'rs2', 'rs1', 'rs3', 'rs2', 'rs1']).ok).toBe(true);
    expect(run(SYSCTL, three, ['rs1', 'rs2', 'rs3', 'rs1', 'rs3', 'rs2']).reason).toBe(
      'the answers do not cycle strictly through rs1, rs2, rs3 (answers: rs1, rs2, rs3, rs1, rs3, rs2)',
    );
    // A round missing one server.
    expect(run(SYSCTL, three, ['rs1', 'rs2', 'rs1', 'rs2', 'rs1', 'rs2']).reason).toBe(
      'the answers do not cycle strictly through rs1, rs2, rs3 (answers: rs1, rs2, rs1, rs2, rs1, rs2)',
    );
  });

  it('fewer answers than servers in the rotation fail', () => {
    const lenient = httpCheck({
      requests: 2,
      expect: { rotation: ['server2', 'server3'], failuresAtMost: 1 },
    });
    expect(run(ARP, lenient, ['server2', 'timeout']).reason).toBe(
      'the answers do not cycle strictly through server2, server3 (answers: server2, failed(timeout))',
    );
  });

  it('an explicit URL is in the label', () => {
    const withUrl = httpCheck({
      url: 'http://172.25.88.100:8080/x',
      requests: 2,
      expect: { rotation: ['server2', 'server3'] },
    });
    expect(run(ARP, withUrl, ['server2', 'server3']).label).toBe(
      '2 requests from client to http://172.25.88.100:8080/x alternate server2, server3',
    );
  });
});

describe('counts', () => {
  const check = httpCheck({ requests: 6, expect: { counts: { server2: 4, server3: 2 } } });

  it('exact counts pass, in any order', () => {
    expect(run(ARP, check, ['server2', 'server2', 'server3', 'server2', 'server3', 'server2'])).toEqual({
      kind: 'http',
      label: '6 requests from client to http://172.25.88.100:80/ are answered 4x by server2, 2x by server3',
      ok: true,
    });
  });

  it('other counts fail with the first node that is off', () => {
    expect(run(ARP, check, ['server2', 'server3', 'server2', 'server3', 'server2', 'server3']).reason).toBe(
      'server2 answered 3 times, expected 4 (answers: server2, server3, server2, server3, server2, server3)',
    );
  });

  it('a count of 0 (a removed real server)', () => {
    const none = httpCheck({ requests: 3, expect: { counts: { server2: 3, server3: 0 } } });
    expect(run(ARP, none, ['server2', 'server2', 'server2']).ok).toBe(true);
    expect(run(ARP, none, ['server2', 'server3', 'server2']).reason).toBe(
      'server2 answered 2 times, expected 3 (answers: server2, server3, server2)',
    );
  });
});

describe('failures', () => {
  const rotation = httpCheck({ requests: 6, expect: { rotation: ['server2', 'server3'] } });

  it('a timeout fails a rotation check, with the timeout in the sequence', () => {
    expect(
      run(ARP, rotation, ['server2', 'timeout', 'server2', 'server3', 'server2', 'server3']).reason,
    ).toBe('1 of 6 requests failed (answers: server2, failed(timeout), server2, server3, server2, server3)');
  });

  it('failuresAtMost lets some fail; the rotation is checked on the answers', () => {
    const lenient = httpCheck({
      requests: 6,
      expect: { rotation: ['server2', 'server3'], failuresAtMost: 1 },
    });
    expect(run(ARP, lenient, ['server2', 'timeout', 'server3', 'server2', 'server3', 'server2']).ok).toBe(
      true,
    );
    expect(run(ARP, lenient, ['server2', 'timeout', 'refused', 'server2', 'server3', 'server2']).reason).toBe(
      '2 of 6 requests failed (answers: server2, failed(timeout), failed(refused), server2, server3, server2)',
    );
  });

  it('failuresAtLeast: all time out, as expected (the VIP hidden everywhere)', () => {
    const blackhole = httpCheck({ requests: 3, timeoutSeconds: 1, expect: { failuresAtLeast: 3 } });
    expect(run(ARP, blackhole, ['timeout', 'timeout', 'timeout'])).toEqual({
      kind: 'http',
      label: '3 requests from client to http://172.25.88.100:80/ fail at least 3 times',
      ok: true,
    });
  });

  it('failuresAtLeast not reached', () => {
    const blackhole = httpCheck({ requests: 3, expect: { failuresAtLeast: 3 } });
    expect(run(ARP, blackhole, ['timeout', 'server2', 'refused']).reason).toBe(
      'only 2 requests failed, expected at least 3 (answers: failed(timeout), server2, failed(refused))',
    );
  });

  it('failuresAtLeast allows the rest to answer', () => {
    const some = httpCheck({ requests: 4, expect: { failuresAtLeast: 2 } });
    expect(run(ARP, some, ['server2', 'refused', 'server3', 'refused']).ok).toBe(true);
  });

  it('curl exit statuses are named; an HTTP answer with a failing curl counts as a failure', () => {
    const check = httpCheck({ requests: 4, expect: { failuresAtLeast: 4 } });
    const answers: Answer[] = [
      { status: 0, body: '', exit: 52 },
      { status: 0, body: '', exit: 56 },
      { status: 0, body: '', exit: 6 },
      { status: 200, body: '<h1>server2</h1>', exit: 18 },
    ];
    const strict = httpCheck({ requests: 4, expect: { failuresAtLeast: 5 } });
    expect(run(ARP, check, answers).ok).toBe(true);
    expect(run(ARP, strict, answers).reason).toBe(
      'only 4 requests failed, expected at least 5 (answers: failed(empty reply), failed(reset), failed(curl exit 6), failed(curl exit 18))',
    );
  });
});

describe('answers that cannot be attributed, and missing samples', () => {
  const rotation = httpCheck({ requests: 2, expect: { rotation: ['server2', 'server3'] } });

  it('an unknown body fails and shows it', () => {
    const result = run(ARP, rotation, ['server2', { status: 200, body: '<h1>Welcome to nginx!</h1>\n' }]);
    expect(result.reason).toBe(
      '1 answers came from no known real server (first body: "<h1>Welcome to nginx!</h1>\\n")',
    );
  });

  it('an HTTP error page is an answer from no known real server', () => {
    const result = run(ARP, rotation, [{ status: 404, body: 'Not Found' }, 'server2']);
    expect(result.reason).toBe('1 answers came from no known real server (first body: "Not Found")');
  });

  it('a long unknown body is cut to 80 characters in the reason', () => {
    const result = run(ARP, rotation, [{ status: 200, body: 'x'.repeat(200) }, 'server2']);
    expect(result.reason).toBe(`1 answers came from no known real server (first body: "${'x'.repeat(80)}")`);
  });

  it('the page with surrounding blanks is still attributed', () => {
    expect(run(ARP, rotation, [{ status: 200, body: '\n  <h1>server2</h1>  \n\n' }, 'server3']).ok).toBe(
      true,
    );
  });

  it('fewer samples than requests', () => {
    const six = httpCheck({ requests: 6, expect: { rotation: ['server2', 'server3'] } });
    expect(run(ARP, six, ['server2', 'server3', 'server2', 'server3', 'server2']).reason).toBe(
      '5 of 6 requests were made (answers: server2, server3, server2, server3, server2)',
    );
    expect(run(ARP, six, []).reason).toBe('0 of 6 requests were made (answers: )');
  });

  it('more samples than requests', () => {
    expect(run(ARP, rotation, ['server2', 'server3', 'server2']).reason).toBe(
      '3 of 2 requests were made (answers: server2, server3, server2)',
    );
  });
});
