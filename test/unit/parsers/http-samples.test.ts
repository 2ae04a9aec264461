import { describe, expect, it } from 'vitest';

import {
  attribute,
  curlSamplesScript,
  parseCurlSamples,
  shellQuote,
} from '../../../main/core/parsers/http-samples.js';
import { fixture } from './fixture.js';

// The *.loopback.txt fixtures are real runs of curlSamplesScript() (the script is saved in
// curl-samples-script.sh) with curl 7.88 and dash against a Python HTTP server on 127.0.0.1 in a
// private network namespace, answering `<h1>server3</h1>` and `<h1>server2</h1>` in turn like
// the seed's two real servers.
const PAGES = { server2: '<h1>server2</h1>\n', server3: '<h1>server3</h1>' };

describe('curlSamplesScript', () => {
  it('is the script that produced the captured runs', () => {
    expect(curlSamplesScript('http://127.0.0.1:8080/', 6, 2)).toBe(fixture('curl-samples-script.sh'));
  });

  it('clamps the count to 1..1000 and the timeout to 0.1..30 s', () => {
    expect(curlSamplesScript('http://x/', 0, 2)).toContain('-lt 1 ]');
    expect(curlSamplesScript('http://x/', 5000, 2)).toContain('-lt 1000 ]');
    expect(curlSamplesScript('http://x/', 2.9, 2)).toContain('-lt 2 ]');
    expect(curlSamplesScript('http://x/', Number.NaN, 2)).toContain('-lt 1 ]');
    expect(curlSamplesScript('http://x/', 3, 0)).toContain('-m 0.1 ');
    expect(curlSamplesScript('http://x/', 3, 99)).toContain('-m 30 ');
    expect(curlSamplesScript('http://x/', 3, 1.5)).toContain('-m 1.5 ');
    expect(curlSamplesScript('http://x/', 3, Number.POSITIVE_INFINITY)).toContain('-m 30 ');
  });

  it('quotes the URL for the shell', () => {
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
    const script = curlSamplesScript("http://x/$(reboot)'`id`", 1, 1);
    expect(script).toContain(`'http://x/$(reboot)'\\''\`id\`'`);
  });
});

describe('parseCurlSamples on real runs', () => {
  it('reads six answers alternating between server3 and server2', () => {
    const samples = parseCurlSamples(fixture('curl-samples-alt.loopback.txt'));
    expect(samples).toHaveLength(6);
    expect(samples[0]).toEqual({ status: 200, seconds: 0.00118, curlExit: 0, body: '<h1>server3</h1>\n' });
    expect(samples.map((s) => s.body.trim())).toEqual([
      '<h1>server3</h1>',
      '<h1>server2</h1>',
      '<h1>server3</h1>',
      '<h1>server2</h1>',
      '<h1>server3</h1>',
      '<h1>server2</h1>',
    ]);
    expect(attribute(samples, PAGES).map((s) => s.node)).toEqual([
      'server3',
      'server2',
      'server3',
      'server2',
      'server3',
      'server2',
    ]);
  });

  it('reads refused connections (exit 7) and timeouts (exit 28) as no status, empty body', () => {
    expect(parseCurlSamples(fixture('curl-samples-refused.loopback.txt'))).toEqual([
      { status: null, seconds: 0.000154, curlExit: 7, body: '' },
      { status: null, seconds: 0.000096, curlExit: 7, body: '' },
    ]);
    const [timeout] = parseCurlSamples(fixture('curl-samples-timeout.loopback.txt'));
    expect(timeout).toEqual({ status: null, seconds: 0.500919, curlExit: 28, body: '' });
    expect(attribute(timeout === undefined ? [] : [timeout], PAGES)[0]?.node).toBeNull();
  });

  it('keeps an HTTP error status and its body', () => {
    const samples = parseCurlSamples(fixture('curl-samples-missing.loopback.txt'));
    expect(samples).toEqual([
      { status: 404, seconds: 0.000811, curlExit: 0, body: '<h1>404 Not Found</h1>\n' },
    ]);
    expect(attribute(samples, PAGES)[0]).toMatchObject({ status: 404, node: null });
  });

  it('is not confused by a body containing blank lines and the marker itself', () => {
    const samples = parseCurlSamples(fixture('curl-samples-odd.loopback.txt'));
    expect(samples).toHaveLength(1);
    expect(samples[0]?.body).toBe('line1\n\nLVSLAB-SAMPLE 9 200 0.1 0 Zm9v\n');
  });
});

describe('parseCurlSamples on other input', () => {
  it('skips lines that are not samples', () => {
    expect(parseCurlSamples('')).toEqual([]);
    expect(parseCurlSamples('sh: 1: curl: not found\nLVSLAB-SAMPLE x\nLVSLAB-SAMPLE 1 2xx 0.1 0 \n')).toEqual(
      [],
    );
  });
});

describe('attribute', () => {
  const sample = (body: string) => ({ status: 200, seconds: 0.001, curlExit: 0, body });

  it('compares trimmed bodies with trimmed pages, exactly', () => {
    const out = attribute(
      [sample('  <h1>server2</h1>\n\n'), sample('<H1>server2</H1>'), sample('<h1>server2</h1> extra')],
      PAGES,
    );
    expect(out.map((s) => s.node)).toEqual(['server2', null, null]);
    expect(out[0]).toMatchObject({ status: 200, body: '  <h1>server2</h1>\n\n' });
  });

  it('gives null when two nodes serve the same page', () => {
    const out = attribute([sample('same')], { server2: 'same', server3: 'same\n' });
    expect(out[0]?.node).toBeNull();
  });
});
