// The browser-mode WebSocket's frames. Text frames carry JSON: requests and sends from the page,
// events, results and a hello from the server; terminal output
// comes as binary frames so that its bytes reach xterm untouched (no UTF-8 decoding here: a
// chunk may end inside a character, and xterm's decoder keeps that state between writes).
//
// Binary frame: byte 0 = frame type (1: terminal data), byte 1 = length L of the session id,
// bytes 2..2+L = the session id in ASCII, the rest = the terminal's raw bytes.

export const TERMINAL_DATA_FRAME = 1;

export interface TerminalDataFrame {
  sessionId: string;
  data: Uint8Array;
}

/** Decodes a binary frame; null when it is not a well-formed terminal data frame. */
export function decodeBinaryFrame(buffer: ArrayBuffer | Uint8Array): TerminalDataFrame | null {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (bytes.length < 2 || bytes[0] !== TERMINAL_DATA_FRAME) return null;
  const idLength = bytes[1] ?? 0;
  if (idLength === 0 || bytes.length < 2 + idLength) return null;
  let sessionId = '';
  for (let i = 2; i < 2 + idLength; i++) sessionId += String.fromCharCode(bytes[i] ?? 0);
  return { sessionId, data: bytes.subarray(2 + idLength) };
}

/** The inverse, for tests and fake servers. */
export function encodeTerminalFrame(sessionId: string, data: Uint8Array): Uint8Array {
  const frame = new Uint8Array(2 + sessionId.length + data.length);
  frame[0] = TERMINAL_DATA_FRAME;
  frame[1] = sessionId.length;
  for (let i = 0; i < sessionId.length; i++) frame[2 + i] = sessionId.charCodeAt(i);
  frame.set(data, 2 + sessionId.length);
  return frame;
}

export interface EventFrame {
  type: 'event';
  name: string;
  args: unknown[];
}

/** The server's first frame on every socket: the key that lets a reconnect resume this tab. */
export interface HelloFrame {
  type: 'hello';
  resume: string;
}

/** The answer to the page's request frame with the same id. */
export interface ResultFrame {
  type: 'result';
  id: number;
  result: unknown;
}

export type ServerTextFrame = EventFrame | HelloFrame | ResultFrame;

/** Parses a text frame from the server; null for anything that is not one of its frames. */
export function parseTextFrame(text: string): ServerTextFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const frame = value as Record<string, unknown>;
  switch (frame.type) {
    case 'event':
      if (typeof frame.name !== 'string' || !Array.isArray(frame.args)) return null;
      return { type: 'event', name: frame.name, args: frame.args as unknown[] };
    case 'hello':
      return typeof frame.resume === 'string' ? { type: 'hello', resume: frame.resume } : null;
    case 'result':
      return typeof frame.id === 'number' && 'result' in frame
        ? { type: 'result', id: frame.id, result: frame.result }
        : null;
    default:
      return null;
  }
}
