import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseImagesOf } from '../../../main/core/docker/images.js';

const root = path.resolve(import.meta.dirname, '../../..');

describe('baseImagesOf: the images a build needs before it starts', () => {
  it('names each outside image once, and never a stage of the same file', () => {
    const dockerfile = [
      'FROM debian:trixie-slim AS shim-build',
      'RUN make',
      'from --platform=linux/amd64 debian:bookworm-slim as tools',
      'FROM shim-build',
      'COPY --from=tools /x /x',
      'FROM debian:trixie-slim',
    ].join('\n');
    expect(baseImagesOf(dockerfile)).toEqual(['debian:trixie-slim', 'debian:bookworm-slim']);
  });

  it('reads the shipped Dockerfiles: the nodes on bookworm, the built-in kernel on trixie', () => {
    const bases = (context: string) =>
      baseImagesOf(readFileSync(path.join(root, 'lab-images', context, 'Dockerfile'), 'utf8'));
    expect(bases('node')).toEqual(['debian:bookworm-slim']);
    expect(bases('kernel')).toEqual(['debian:trixie-slim']);
  });
});
