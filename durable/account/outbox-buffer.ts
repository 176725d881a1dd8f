/**
 * The committed outbox events this instance wrote and has not sent yet, in
 * seq order, so the relay sends them without reading them back from SQLite.
 * Events join when their transaction commits (a rolled-back one's never do)
 * and leave once sent. After a restart, or past its bound, the relay reads the
 * outbox table instead: the table stays the source of truth.
 */

export interface OutboxEvent {
  seq: number;
  /** The event object whose JSON text is the row's body. */
  body: object;
  /** Length of that JSON text (the queue's batch limit is in bytes). */
  bytes: number;
}

/** Beyond this many unsent events the oldest are dropped from memory (the table still has them). */
const MAX_BUFFERED = 2_000;

export class OutboxBuffer {
  /** Written by transactions still open. */
  private open: OutboxEvent[] = [];
  /** Committed, not yet sent; `ready[head]` is the oldest still held. */
  private ready: OutboxEvent[] = [];
  private head = 0;

  /** Where a transaction starts: a rollback truncates back to it. */
  mark(): number {
    return this.open.length;
  }

  written(e: OutboxEvent): void {
    this.open.push(e);
  }

  rolledBack(mark: number): void {
    this.open.length = mark;
  }

  /** The outermost transaction committed: its events are sendable. */
  committed(): void {
    if (this.open.length === 0) return;
    for (const e of this.open) this.ready.push(e);
    this.open = [];
    if (this.ready.length - this.head > MAX_BUFFERED) this.head = this.ready.length - MAX_BUFFERED;
    this.compact();
  }

  /**
   * The next unsent events after `sentSeq`, within the limits, if this buffer
   * holds them starting exactly at `sentSeq + 1`; null means "read the table".
   */
  next(sentSeq: number, maxMessages: number, maxBytes: number): OutboxEvent[] | null {
    this.forget(sentSeq);
    if (this.head >= this.ready.length || this.ready[this.head]!.seq !== sentSeq + 1) return null;
    const out: OutboxEvent[] = [];
    let bytes = 0;
    for (let i = this.head; i < this.ready.length && out.length < maxMessages; i++) {
      const e = this.ready[i]!;
      if (out.length > 0 && bytes + e.bytes > maxBytes) break;
      bytes += e.bytes;
      out.push(e);
    }
    return out;
  }

  /** Drop what is sent (seq ≤ `sentSeq`). */
  forget(sentSeq: number): void {
    while (this.head < this.ready.length && this.ready[this.head]!.seq <= sentSeq) this.head++;
    this.compact();
  }

  private compact(): void {
    if (this.head > 256 && this.head * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.head);
      this.head = 0;
    }
  }
}
