// Where the app finds its labs and image build context, and keeps its state. The CLI runs from
// the repository or an npm install; the packaged desktop app passes its resources folder.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppPaths {
  labsDir: string;
  imageContext: string;
  /** Build context of the built-in kernel's image (lab-images/kernel). */
  kernelContext: string;
  stateDir: string;
  /** The user's own labs (a trainer's, imported bundles, copies): writable, unlike labsDir. */
  userLabsDir: string;
}

/** The folder holding labs/ and lab-images/: LVS_LAB_HOME, or the first parent that has both. */
export function resourceRoot(start = path.dirname(fileURLToPath(import.meta.url))): string {
  const fromEnv = process.env.LVS_LAB_HOME;
  if (fromEnv) return path.resolve(fromEnv);
  let dir = start;
  for (let i = 0; i < 8; i++) {
    if (existsSync(path.join(dir, 'labs')) && existsSync(path.join(dir, 'lab-images'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(
    'cannot find the labs/ and lab-images/ folders; set LVS_LAB_HOME to the folder that holds them',
  );
}

export function defaultPaths(root = resourceRoot()): AppPaths {
  const stateHome = process.env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state');
  // Labs are the user's documents, not state: XDG puts them under the data home.
  const dataHome = process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share');
  return {
    labsDir: path.join(root, 'labs'),
    imageContext: path.join(root, 'lab-images', 'node'),
    kernelContext: path.join(root, 'lab-images', 'kernel'),
    stateDir: process.env.LVS_LAB_STATE_DIR ?? path.join(stateHome, 'lvs-lab'),
    userLabsDir: process.env.LVS_LAB_USER_LABS ?? path.join(dataHome, 'lvs-lab', 'labs'),
  };
}
