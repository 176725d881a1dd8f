/**
 * A per-isolate gate for password hashing. PBKDF2 at 100,000 iterations is
 * CPU that workerd computes on the isolate's one thread; twenty sign-ins at
 * once would queue twenty derivations ahead of every other request's next
 * step. The gate lets `maxActive` derivations run at a time and holds at
 * most `maxWaiting` more; a request beyond that, or one that waited
 * `maxWaitMs`, is refused with 429 `rate_limited` (policy
 * "password-hashing", Retry-After 1) — not 503: the server is healthy, this
 * client should simply retry, and 429 is what clients already back off on.
 *
 * A slot is held from one turn of the event loop before the derivation to
 * `gapMs` after its end, so between two derivations every request already
 * waiting for the thread gets its turn and hashing is at most about
 * hash / (hash + gap) of the thread (a 100k-iteration PBKDF2 is ~10 ms on an
 * idle core: at most ~20 % and ~20 sign-ins a second per isolate). Waiters poll a counter on a short timer instead of being woken by the
 * request that leaves: a promise resolved from another request's context
 * makes workerd refuse the waiter's I/O ("Cannot perform I/O on behalf of a
 * different request"), and between polls the thread serves other requests.
 */
import { DomainError } from "../domain/errors";

export interface GateLimits {
  maxActive: number;
  /** A slot stays taken this long after its task, so hashing cannot take the whole thread. */
  gapMs: number;
  maxWaiting: number;
  maxWaitMs: number;
  pollMs: number;
}

export const HASH_GATE_LIMITS: GateLimits = { maxActive: 1, gapMs: 40, maxWaiting: 32, maxWaitMs: 5_000, pollMs: 20 };
export const HASH_GATE_RETRY_AFTER_SECONDS = 1;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ConcurrencyGate {
  #active = 0;
  #waiting = 0;

  constructor(
    readonly name: string,
    readonly limits: GateLimits,
  ) {}

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiting;
  }

  /** Runs `fn` once a slot is free; throws `rate_limited` when the queue is full or the wait too long. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#active >= this.limits.maxActive) await this.#wait();
    this.#active++;
    try {
      // workerd derives synchronously, so without this yield the slot would be taken and freed
      // within one turn and nobody would ever wait. Holding it across a turn of the event loop lets
      // the requests already queued run first, one derivation at a time between them.
      await sleep(0);
      return await fn();
    } finally {
      // Released after the gap, on the caller's own path (a timer left behind could be cancelled
      // with its request, leaving the slot taken). workerd's clock does not move during a
      // derivation, so the gap is fixed, not a share of the derivation's length.
      if (this.limits.gapMs > 0) await sleep(this.limits.gapMs);
      this.#active--;
    }
  }

  async #wait(): Promise<void> {
    if (this.#waiting >= this.limits.maxWaiting) throw this.#busy();
    this.#waiting++;
    try {
      const deadline = Date.now() + this.limits.maxWaitMs;
      while (this.#active >= this.limits.maxActive) {
        // Date.now() advances across timers in workerd, so the deadline holds.
        if (Date.now() >= deadline) throw this.#busy();
        await sleep(this.limits.pollMs);
      }
    } finally {
      this.#waiting--;
    }
  }

  #busy(): DomainError {
    return new DomainError("rate_limited", "Too many sign-ins are being checked right now; try again in a second", {
      policy: this.name,
      retry_after_seconds: HASH_GATE_RETRY_AFTER_SECONDS,
    });
  }
}

/** Every PBKDF2 derivation in this isolate (register, login, rehash) goes through this gate. */
export const hashGate = new ConcurrencyGate("password-hashing", HASH_GATE_LIMITS);
