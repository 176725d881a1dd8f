/**
 * The crash test's load: a seeded plan of money requests, each with its own
 * Idempotency-Key, and crash rounds that run it with concurrent clients until
 * a SIGKILL of the server cuts them off. It records what the clients saw: each
 * key's first verdict, and which requests got no answer at all.
 */
import { isVerdict, sleep, type Api, type ApiReply, type MoneyRequest } from "./http";

export const CONCURRENCY = 16;
/** Answers per round before the kill; the plan is longer, so requests are always in flight then. */
export const KILL_AFTER = 100;
export const PLAN_SIZE = 1_000;

export type Kind = "deposit" | "withdrawal" | "transfer" | "post" | "void";
export interface Op extends MoneyRequest {
  kind: Kind;
  /** The account the request executes in (a transfer's source). */
  account: string;
  to?: string;
  /** Deposit, withdrawal or transfer amount; for post, the amount to post; 0 for void. */
  amount: number;
  /** post / void: the pending transfer. */
  transferId?: string;
}
export interface PendingTransfer {
  id: string;
  from: Account;
  to: string;
  amount: number;
}
export interface Account {
  id: string;
  token: string;
}

/**
 * The seeded request plan: ~45% deposits, ~10% withdrawals, ~45% immediate
 * transfers between any two accounts, and one post or void per pending
 * transfer, spread over the first ~240 requests so the first rounds hold them.
 */
export function plan(seed: number, accounts: Account[], pendings: PendingTransfer[], random: () => number): Op[] {
  const pick = () => accounts[Math.floor(random() * accounts.length)]!;
  const ops: Op[] = [];
  for (let n = 0; n < PLAN_SIZE; n++) {
    const key = `crash-${seed}-${n}`;
    const p = n % 20 === 10 ? pendings[(n - 10) / 20] : undefined;
    if (p) {
      const r = random();
      const base = { key, account: p.from.id, to: p.to, token: p.from.token, transferId: p.id };
      if (r < 0.3) ops.push({ ...base, kind: "void", amount: 0, path: `/v1/transfers/${p.id}/void` });
      else {
        const amount = r < 0.65 ? p.amount : 1 + Math.floor(random() * p.amount);
        ops.push({ ...base, kind: "post", amount, path: `/v1/transfers/${p.id}/post`, body: { amount } });
      }
      continue;
    }
    const r = random();
    const a = pick();
    if (r < 0.55) {
      const kind = r < 0.45 ? "deposit" : "withdrawal";
      const amount = 1 + Math.floor(random() * (kind === "deposit" ? 5_000 : 10_000));
      ops.push({
        key,
        kind,
        account: a.id,
        amount,
        token: a.token,
        path: `/v1/accounts/${a.id}/transactions`,
        body: { kind, amount, description: key },
      });
    } else {
      let b = pick();
      while (b.id === a.id) b = pick();
      const amount = 1 + Math.floor(random() * 20_000);
      ops.push({
        key,
        kind: "transfer",
        account: a.id,
        to: b.id,
        amount,
        token: a.token,
        path: "/v1/transfers",
        body: { from_account_id: a.id, to_account_id: b.id, amount, mode: "immediate", description: key },
      });
    }
  }
  return ops;
}

/** What the clients saw across the crash rounds. */
export interface Run {
  /** Every request sent at least once, in first-send order. */
  sent: Op[];
  /** Each key's first verdict (see isVerdict): the reply the server stored for it. */
  verdict: Map<string, ApiReply>;
  /** Keys that had a 2xx verdict before the last kill. */
  acknowledged: Set<string>;
  /** Keys whose connection died under them at least once (no answer: applied or not, nobody knows). */
  cutOff: Set<string>;
  /** Re-sent cut-off keys whose verdict was a replay: the write had committed, its reply was lost. */
  replayedAfterCut: Set<string>;
  /** 409 idempotency_in_progress answers seen (a transfer cut off between its two phases). */
  inProgress: number;
}

/**
 * One round: CONCURRENCY clients send first every request still without a
 * verdict (same key, same body), then fresh ones from the plan; after
 * KILL_AFTER answers and a seeded delay of 0–25 ms (so the kill lands at any
 * point of a request, not just after a reply), the process group is SIGKILLed.
 */
export async function crashRound(
  api: Api,
  server: { crash(): Promise<void> },
  run: Run,
  plan: Op[],
  planAt: { next: number },
  killDelayMs: number,
): Promise<void> {
  const retry = run.sent.filter((op) => !run.verdict.has(op.key));
  const take = (): Op | undefined => {
    if (retry.length) return retry.shift();
    const op = plan[planAt.next++];
    if (op) run.sent.push(op);
    return op;
  };
  let answered = 0;
  let killed = false;
  let kill: Promise<void> | null = null;
  async function client() {
    for (let op = take(); op && !killed; op = killed ? undefined : take()) {
      try {
        const r = await api.request("POST", op.path, { token: op.token, key: op.key, body: op.body });
        if (r.status === 409 && r.body?.error?.code === "idempotency_in_progress") run.inProgress++;
        if (isVerdict(r) && !run.verdict.has(op.key)) {
          run.verdict.set(op.key, r);
          if (run.cutOff.has(op.key) && r.headers.get("idempotent-replayed") === "true") run.replayedAfterCut.add(op.key);
        }
        if (++answered === KILL_AFTER) {
          kill = sleep(killDelayMs).then(() => {
            killed = true;
            return server.crash();
          });
        }
      } catch {
        run.cutOff.add(op.key);
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  if (!kill) throw new Error(`the plan ran out after ${answered} answers, before the kill`);
  await kill;
  for (const [key, r] of run.verdict) if (r.status >= 200 && r.status < 300) run.acknowledged.add(key);
}
