// Captures started from the app: each belongs to the window or tab that started it, runs in the
// background for its bounded time (or until stopped), keeps its pcap files with the lab, and ends
// with one `capture.done` event to its owner. Files are read back only by their exact names.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CaptureResult } from '../../../shared/capture.js';
import { errorText, LabError } from '../errors.js';
import type { LabService } from '../lab-service.js';
import {
  checkLimits,
  parseTargets,
  runCapture,
  saveCaptures,
  timeline,
  type CaptureLimits,
} from './capture.js';

/** Packets a `capture.done` event carries; the files have the rest. */
export const TIMELINE_LIMIT = 2000;

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$/;

interface Running {
  owner: string;
  abort: AbortController;
}

export class CaptureSessions {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly service: LabService,
    private readonly done: (owner: string, result: CaptureResult) => void,
  ) {}

  /** Checks the targets on the running lab, starts, and answers at once with the capture's id. */
  async start(
    owner: string,
    labId: string,
    specs: string[],
    limits: CaptureLimits,
  ): Promise<{ captureId: string }> {
    const { lab } = await this.service.running(labId);
    const targets = parseTargets(lab, specs);
    checkLimits(limits);
    const captureId = randomUUID();
    const abort = new AbortController();
    this.running.set(captureId, { owner, abort });
    void (async () => {
      let result: CaptureResult;
      try {
        const files = await runCapture(this.service.nodeExec(lab.id), targets, limits, {
          signal: abort.signal,
        });
        const dir = await saveCaptures(this.service.paths.stateDir, lab.id, files);
        const entries = timeline(files);
        result = {
          captureId,
          labId: lab.id,
          folder: path.basename(dir),
          files: files.map((f) => ({
            node: f.target.node,
            iface: f.target.iface,
            fileName: `${f.target.node}-${f.target.iface}.pcap`,
            packets: f.pcap.records.length,
            bytes: f.bytes.length,
          })),
          timeline: entries.slice(0, TIMELINE_LIMIT),
          more: Math.max(0, entries.length - TIMELINE_LIMIT),
        };
      } catch (error) {
        result = {
          captureId,
          labId: lab.id,
          folder: '',
          files: [],
          timeline: [],
          more: 0,
          error: errorText(error),
        };
      }
      this.running.delete(captureId);
      this.done(owner, result);
    })();
    return { captureId };
  }

  /** Ends a capture early; its result still comes as `capture.done`. */
  stop(owner: string, captureId: string): void {
    const capture = this.running.get(captureId);
    if (capture?.owner !== owner) {
      throw new LabError(
        `no capture ${captureId} of yours`,
        'it has ended, or was started by another window or tab',
      );
    }
    capture.abort.abort();
  }

  stopOwner(owner: string): void {
    for (const capture of this.running.values()) if (capture.owner === owner) capture.abort.abort();
  }

  /** One kept pcap file, for download: by lab, folder and file name, nothing else. */
  async pcap(labId: string, folder: string, fileName: string): Promise<{ fileName: string; base64: string }> {
    if (!SAFE_NAME.test(folder) || !SAFE_NAME.test(fileName) || !fileName.endsWith('.pcap')) {
      throw new LabError('no such capture file');
    }
    const file = path.join(this.service.paths.stateDir, 'captures', labId, folder, fileName);
    try {
      return {
        fileName: `${labId}-${folder}-${fileName}`,
        base64: (await readFile(file)).toString('base64'),
      };
    } catch {
      throw new LabError(`the capture file ${fileName} is gone`, 'captures are kept until you delete them');
    }
  }
}
