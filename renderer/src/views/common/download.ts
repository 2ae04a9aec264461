// Hands bytes or text to the browser as a file to save (Electron asks where, as a browser would).
import { base64ToBytes } from '../../api/base64.js';

export function downloadFile(
  fileName: string,
  content: string | Uint8Array<ArrayBuffer>,
  type: string,
): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

/** A file the core sent as base64 (a lab bundle, a pcap), saved as its bytes. */
export function downloadBase64(
  file: { fileName: string; base64: string },
  type = 'application/octet-stream',
): void {
  downloadFile(file.fileName, base64ToBytes(file.base64), type);
}
