import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Reads test/fixtures/parsers/<name> as UTF-8. See test/fixtures/parsers/README.md for sources. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/parsers/${name}`, import.meta.url)), 'utf8');
}
