// Docker's multiplexed stream, as a non-TTY exec or `docker logs` sends it: frames of an 8-byte
// header (stream type, three zero bytes, payload length big-endian) and the payload. The one
// implementation in the app: the probe reads it live, exec output and container logs through it.

/**
 * Splits the stream into stdout and stderr as the bytes arrive, whatever the chunk boundaries.
 * A payload is passed on piece by piece, as it comes, so that memory stays bounded whatever
 * size a frame announces; the callbacks run synchronously within `push`.
 */
export class DockerStreamDemuxer {
  private readonly header = Buffer.alloc(8);
  private headerBytes = 0;
  /** Payload bytes of the current frame still to come; 0 while reading a header. */
  private remaining = 0;
  private toStderr = false;

  constructor(
    private readonly onStdout: (chunk: Buffer) => void,
    private readonly onStderr: (chunk: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining === 0) {
        const take = Math.min(8 - this.headerBytes, chunk.length - offset);
        chunk.copy(this.header, this.headerBytes, offset, offset + take);
        this.headerBytes += take;
        offset += take;
        if (this.headerBytes < 8) return;
        this.headerBytes = 0;
        // Stream 0 (stdin) never comes back from the engine; like the docker CLI, anything but 2 is stdout.
        this.toStderr = this.header[0] === 2;
        this.remaining = this.header.readUInt32BE(4);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      const payload = chunk.subarray(offset, offset + take);
      offset += take;
      this.remaining -= take;
      if (this.toStderr) this.onStderr(payload);
      else this.onStdout(payload);
    }
  }
}

/**
 * A whole framed buffer (the logs of a stopped container) as text, stdout and stderr joined in
 * the order they were written. A truncated last frame gives what it has; a stray partial header
 * gives nothing.
 */
export function demuxLogs(buffer: Buffer): string {
  const parts: Buffer[] = [];
  const keep = (chunk: Buffer) => parts.push(chunk);
  new DockerStreamDemuxer(keep, keep).push(buffer);
  // Decoded once, at the end: a character split across two frames stays whole.
  return Buffer.concat(parts).toString('utf8');
}
