// The lab files themselves: a built-in lab copied into the user's labs folder, a .lvslab bundle
// imported into it or exported from any lab, a user lab removed. Each action says how it went in
// a toast, and refreshes the list (labs.changed would too, but a folder watch can lag or be off).
import { create } from 'zustand';
import type { BundleFile, LabSummary } from '../../../shared/api.js';
import { getApi } from '../api/index.js';
import { bytesToBase64, readFileBytes } from '../api/base64.js';
import { toErrorInfo, type ErrorInfo } from '../api/errors.js';
import { useLabsStore } from './labs-store.js';
import { useUiStore } from './ui-store.js';

export type LabFileAction = 'copy' | 'export' | 'remove';

/** The file name a bundle must have: the picker takes nothing else. */
export const BUNDLE_EXTENSION = '.lvslab';
/**
 * The core refuses a bundle above 4 MiB (its BUNDLE_LIMITS.maxBundleBytes). Checked here as well,
 * so that a wrong, huge file is refused before the page reads it into memory and encodes it.
 */
export const MAX_BUNDLE_BYTES = 4 * 1024 * 1024;

export interface LabFilesState {
  /** An import is running (the import button says so and waits). */
  importing: boolean;
  /** Why the last import was refused, with the bundle's file:line issues; shown until dismissed. */
  importError: ErrorInfo | null;
  /** The action running on each lab, so that its button shows it and cannot be pressed twice. */
  busy: Record<string, LabFileAction>;

  importBundle: (file: File) => Promise<LabSummary | null>;
  dismissImportError: () => void;
  copy: (labId: string) => Promise<LabSummary | null>;
  /** The lab as a bundle; the view downloads it (saving a file is the page's business). */
  exportBundle: (labId: string) => Promise<BundleFile | null>;
  remove: (labId: string) => Promise<boolean>;
}

/** Why a file cannot be a bundle, before anything is read or sent; null when it may be one. */
export function refuseBundleFile(file: { name: string; size: number }): string | null {
  if (!file.name.toLowerCase().endsWith(BUNDLE_EXTENSION)) {
    return `${file.name} is not a lab bundle: choose a ${BUNDLE_EXTENSION} file (lvs-lab export writes one).`;
  }
  if (file.size > MAX_BUNDLE_BYTES) {
    const mib = (file.size / (1024 * 1024)).toFixed(1);
    return `${file.name} is ${mib} MiB: a lab bundle is at most 4 MiB.`;
  }
  return null;
}

function toast(kind: 'info' | 'error', info: ErrorInfo | string): void {
  useUiStore.getState().toast(kind, info);
}

function failed(what: string, error: unknown): ErrorInfo {
  const info = toErrorInfo(error);
  return { ...info, message: `${what}: ${info.message}` };
}

export const useLabFilesStore = create<LabFilesState>()((set, get) => {
  /**
   * Runs one action on a lab unless one already runs on it. A failure is toasted as "<lab> <failure>:
   * <why>"; null when the action failed or did not run.
   */
  async function onLab<T>(
    labId: string,
    action: LabFileAction,
    failure: string,
    work: () => Promise<T>,
  ): Promise<T | null> {
    if (get().busy[labId] !== undefined) return null;
    set({ busy: { ...get().busy, [labId]: action } });
    try {
      return await work();
    } catch (error) {
      toast('error', failed(`${labId} ${failure}`, error));
      return null;
    } finally {
      const { [labId]: _done, ...busy } = get().busy;
      set({ busy });
    }
  }

  return {
    importing: false,
    importError: null,
    busy: {},

    async importBundle(file) {
      if (get().importing) return null;
      const refusal = refuseBundleFile(file);
      if (refusal !== null) {
        set({ importError: { message: refusal } });
        return null;
      }
      set({ importing: true, importError: null });
      try {
        const base64 = bytesToBase64(await readFileBytes(file));
        const lab = await getApi().request('labs.import', { fileName: file.name, base64 });
        set({ importing: false });
        toast('info', `Imported ${lab.title} (${lab.id})`);
        await useLabsStore.getState().load();
        return lab;
      } catch (error) {
        set({ importing: false, importError: failed(`${file.name} was not imported`, error) });
        return null;
      }
    },

    dismissImportError() {
      set({ importError: null });
    },

    copy(labId) {
      return onLab(labId, 'copy', 'was not copied', async () => {
        const lab = await getApi().request('labs.copy', labId);
        toast('info', `Copied to your labs as ${lab.id}`);
        await useLabsStore.getState().load();
        return lab;
      });
    },

    exportBundle(labId) {
      return onLab(labId, 'export', 'was not exported', () => getApi().request('labs.export', labId));
    },

    async remove(labId) {
      const removed = await onLab(labId, 'remove', 'was not removed', async () => {
        await getApi().request('labs.remove', labId);
        toast('info', `Removed ${labId} from your labs`);
        await useLabsStore.getState().load();
        return true;
      });
      return removed ?? false;
    },
  };
});
