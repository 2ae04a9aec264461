// The LabService a kernel-tier file drives, on the tier's engine, with a state folder of its own.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { inject } from 'vitest';
import { connectEngine, dockerAt } from '../../main/core/docker/engine.js';
import { LabService } from '../../main/core/lab-service.js';
import { defaultPaths } from '../../main/core/paths.js';

const root = path.resolve(import.meta.dirname, '../..');
/** The host's engine, named before DOCKER_HOST is pointed at the kernel's. */
const hostDockerHost = process.env.DOCKER_HOST;

/** The host's Docker Engine, where the kernel's own container runs (whatever DOCKER_HOST says now). */
export function hostDocker(): Docker {
  return hostDockerHost ? dockerAt(hostDockerHost) : new Docker({ socketPath: '/var/run/docker.sock' });
}

/** `name` tells the state folders of the files apart (/tmp/lvslab-kernel-NAME-…). */
export function kernelLabService(name: string): LabService {
  // The same code path as a user's: DOCKER_HOST names the engine.
  process.env.DOCKER_HOST = inject('kernelDockerHost');
  return new LabService(
    { ...defaultPaths(root), stateDir: mkdtempSync(path.join(os.tmpdir(), `lvslab-kernel-${name}-`)) },
    connectEngine(),
  );
}
