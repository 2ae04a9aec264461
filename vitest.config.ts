import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// No test reads or writes the user's own labs folder: each run gets an empty one of its own.
const env = { LVS_LAB_USER_LABS: mkdtempSync(path.join(os.tmpdir(), 'lvslab-user-labs-')) };

// One runner, one project per tier. Files run one at a time: the Docker and kernel tiers share
// one engine and the labs' fixed subnets, so two files must never start the same lab at once.
export default defineConfig({
  // Renderer components are .tsx; compile their JSX the way vite.config.ts does.
  esbuild: { jsx: 'automatic' },
  test: {
    fileParallelism: false,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          env,
        },
      },
      {
        test: {
          name: 'docker',
          include: ['test/docker/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'kernel',
          include: ['test/kernel/**/*.test.ts'],
          environment: 'node',
          env,
          globalSetup: ['test/kernel/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
