/** The relay's in-memory view of committed, unsent outbox events. */
import { describe, expect, it } from "vitest";
import { OutboxBuffer, type OutboxEvent } from "../durable/account/outbox-buffer";

const ev = (seq: number, bytes = 10): OutboxEvent => ({ seq, body: { seq }, bytes });
const seqs = (x: OutboxEvent[] | null) => x?.map((e) => e.seq) ?? null;

describe("OutboxBuffer", () => {
  it("holds only committed events; a rolled-back transaction's (or savepoint's) never become sendable", () => {
    const b = new OutboxBuffer();
    b.written(ev(1));
    const inner = b.mark();
    b.written(ev(2));
    b.rolledBack(inner); // the savepoint failed
    expect(b.next(0, 100, 1e6)).toBeNull(); // nothing committed yet
    b.committed();
    expect(seqs(b.next(0, 100, 1e6))).toEqual([1]);
    const t = b.mark();
    b.written(ev(2));
    b.rolledBack(t);
    b.committed();
    expect(seqs(b.next(0, 100, 1e6))).toEqual([1]);
  });

  it("answers only from exactly the next unsent seq, so a restart or a gap falls back to the table", () => {
    const b = new OutboxBuffer();
    for (const s of [5, 6, 7]) b.written(ev(s));
    b.committed();
    expect(b.next(2, 100, 1e6)).toBeNull(); // seqs 3–4 are only in the table
    expect(seqs(b.next(4, 100, 1e6))).toEqual([5, 6, 7]);
    b.forget(6);
    expect(seqs(b.next(6, 100, 1e6))).toEqual([7]);
    expect(b.next(7, 100, 1e6)).toBeNull();
  });

  it("respects the batch's message and byte limits (always at least one event)", () => {
    const b = new OutboxBuffer();
    for (let s = 1; s <= 10; s++) b.written(ev(s, 100));
    b.committed();
    expect(seqs(b.next(0, 3, 1e6))).toEqual([1, 2, 3]);
    expect(seqs(b.next(0, 100, 250))).toEqual([1, 2]);
    expect(seqs(b.next(0, 100, 50))).toEqual([1]);
  });

  it("keeps at most its bound in memory, dropping the oldest (the table still has them)", () => {
    const b = new OutboxBuffer();
    for (let s = 1; s <= 2_500; s++) b.written(ev(s));
    b.committed();
    expect(b.next(0, 100, 1e9)).toBeNull();
    expect(b.next(500, 1, 1e9)?.[0]?.seq).toBe(501);
  });
});
