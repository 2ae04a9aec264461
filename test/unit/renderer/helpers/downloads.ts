/// <reference lib="dom" />
// What a view downloads, caught in jsdom: the app saves a file by clicking an anchor on a blob URL,
// which jsdom cannot follow, so the click is intercepted and the blob kept with its file name.
import { vi } from 'vitest';

export interface Download {
  name: string;
  blob: Blob;
}

/** Starts catching downloads into the returned list; vi.restoreAllMocks() ends it. */
export function catchDownloads(): Download[] {
  const downloads: Download[] = [];
  const blobs = new Map<string, Blob>();
  URL.createObjectURL = (blob: Blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob);
    return url;
  };
  URL.revokeObjectURL = () => undefined;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ name: this.download, blob: blobs.get(this.href) ?? new Blob() });
  });
  return downloads;
}
