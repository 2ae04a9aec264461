// Flow control, page side: the core pauses a terminal's stream when too many bytes are unacked
// and resumes when acks bring it down. Acks are sent after xterm has parsed the bytes (from
// write's callback), not on receipt, so that a flood cannot outrun the parser; batching them
// into 5 000-byte acks keeps the message rate low (VS Code's AckDataBufferer, Tabby's PTY queue).

export const ACK_UNIT = 5000;

export class AckBatcher {
  private unacked = 0;

  constructor(
    private readonly sendAck: (bytes: number) => void,
    private readonly unit = ACK_UNIT,
  ) {}

  /** Bytes xterm has finished parsing. */
  parsed(bytes: number): void {
    this.unacked += bytes;
    if (this.unacked >= this.unit) {
      const bytesToAck = this.unacked;
      this.unacked = 0;
      this.sendAck(bytesToAck);
    }
  }

  /** Parsed but not yet acked (under one unit). */
  get pending(): number {
    return this.unacked;
  }

  reset(): void {
    this.unacked = 0;
  }
}
