// Bytes to and from base64, the form files take across the API (lab bundles, pcap files).
//
// btoa takes a "binary string" of one char per byte, and building that with
// String.fromCharCode(...bytes) on a 4 MiB bundle overflows the call stack: the bytes are
// converted a slice at a time instead. Each slice is a multiple of 3 bytes long, so that every
// slice but the last encodes to base64 with no padding and the pieces simply join.

/** 3 × 2^13 bytes: small enough for fromCharCode's arguments, a multiple of 3 for base64. */
const SLICE_BYTES = 3 * 8192;

export function bytesToBase64(bytes: Uint8Array): string {
  const pieces: string[] = [];
  for (let start = 0; start < bytes.length; start += SLICE_BYTES) {
    const slice = bytes.subarray(start, start + SLICE_BYTES);
    pieces.push(btoa(String.fromCharCode(...slice)));
  }
  return pieces.join('');
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A file's bytes, read with FileReader (which every shell's page has, jsdom's too). */
export function readFileBytes(file: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      // Not `instanceof ArrayBuffer`: under a test's DOM the reader's buffer is of another realm.
      const result = reader.result;
      if (result !== null && typeof result !== 'string') resolve(new Uint8Array(result));
      else reject(new Error('the file could not be read'));
    };
    reader.onerror = () => {
      reject(reader.error ?? new Error('the file could not be read'));
    };
    reader.readAsArrayBuffer(file);
  });
}
