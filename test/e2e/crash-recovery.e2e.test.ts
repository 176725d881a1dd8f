/**
 * RELIABILITY.md test 2, crash during load, against a real `wrangler dev`:
 * deposits, withdrawals, immediate transfers and the post or void of pending
 * ones among six accounts of two users run with unique Idempotency-Keys; the
 * whole process group is SIGKILLed mid-run, CRASH_ROUNDS times, and restarted
 * on the same state directory and secrets; clients re-send whatever got no
 * verdict with its same key and body. Then every acknowledged write is present
 * exactly once and invariants 1–5 hold, checked through the public API only.
 * Amounts and pairs come from a seeded PRNG (CRASH_SEED); which requests a kill
 * cuts off depends on timing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer } from "../../scripts/lib/local-server.mjs";
import { rng } from "../helpers/random";
import { crashRound, plan, type Account, type Op, type PendingTransfer, type Run } from "./helpers/crash-load";
import { allTransactions, createApi, mapLimit, sendUntilVerdict, waitFor, type Api, type Transaction } from "./helpers/http";

const SEED = Number(process.env.CRASH_SEED ?? 20_261_201);
const ACCOUNTS_PER_USER = 3;
const FUNDING = 50_000;
const CRASH_ROUNDS = 3;
/** Pending transfers opened before the load; the load posts (in full or in part) or voids each once. */
const PENDING_TRANSFERS = 12;

let server: Awaited<ReturnType<typeof startLocalServer>>;
let api: Api;

beforeAll(async () => {
  server = await startLocalServer({ prefix: "finedge-crash-" });
  api = createApi(server.baseUrl, { timeoutMs: 20_000 });
});

afterAll(async () => {
  await server?.stop();
});

async function openAccounts(): Promise<Account[]> {
  const accounts: Account[] = [];
  for (const who of ["alice", "bob"]) {
    const s = await api.session(`${who}-${SEED}@crash.test`, "crash-test-password-2026", who);
    for (let i = 0; i < ACCOUNTS_PER_USER; i++) {
      const a = await api.post("/v1/accounts", { type: "checking", name: `${who} ${i}` }, s.access_token);
      accounts.push({ id: a.id, token: s.access_token });
    }
  }
  return accounts;
}

describe("crash during load (kill -9, restart on the same state, retry with the same keys)", () => {
  it("keeps every acknowledged write exactly once and invariants 1–5", async () => {
    const started = Date.now();
    const accounts = await openAccounts();
    const random = rng(SEED);

    // Funding: acknowledged writes from before the load, like any other.
    const funding: Op[] = accounts.map((a, i) => ({
      key: `crash-${SEED}-fund-${i}`,
      kind: "deposit",
      account: a.id,
      amount: FUNDING,
      token: a.token,
      path: `/v1/accounts/${a.id}/transactions`,
      body: { kind: "deposit", amount: FUNDING, description: "funding" },
    }));
    const fundingReplies = await Promise.all(
      funding.map((op) => api.request("POST", op.path, { token: op.token, key: op.key, body: op.body })),
    );
    expect(fundingReplies.map((r) => r.status)).toEqual(funding.map(() => 201));
    const pendings: PendingTransfer[] = [];
    for (let i = 0; i < PENDING_TRANSFERS; i++) {
      const from = accounts[Math.floor(random() * accounts.length)]!;
      const to = accounts.filter((a) => a.id !== from.id)[Math.floor(random() * (accounts.length - 1))]!.id;
      const amount = 1 + Math.floor(random() * 5_000);
      const t = await api.post(
        "/v1/transfers",
        { from_account_id: from.id, to_account_id: to, amount, mode: "pending" },
        from.token,
        `crash-${SEED}-pending-${i}`,
      );
      expect(t).toMatchObject({ status: "pending", in_flight: false });
      pendings.push({ id: t.id, from, to, amount });
    }

    const run: Run = {
      sent: [...funding],
      verdict: new Map(),
      acknowledged: new Set(),
      cutOff: new Set(),
      replayedAfterCut: new Set(),
      inProgress: 0,
    };
    for (const [i, op] of funding.entries()) run.verdict.set(op.key, fundingReplies[i]!);
    const ops = plan(SEED, accounts, pendings, random);
    const planAt = { next: 0 };
    let restartMs = 0;
    for (let round = 0; round < CRASH_ROUNDS; round++) {
      await crashRound(api, server, run, ops, planAt, Math.floor(random() * 25));
      const crashedAt = Date.now();
      await server.restart();
      restartMs = Math.max(restartMs, Date.now() - crashedAt);
    }
    // The kills must land while requests are in flight, or this run proved nothing about the crash window.
    expect(run.cutOff.size).toBeGreaterThan(0);

    // Every request still without a verdict goes again, same key, same body: the stored first reply, or a first apply.
    const all = run.sent;
    const final = run.verdict;
    const resent = all.filter((op) => !final.has(op.key));
    const resendReplies = await mapLimit(resent, 4, (op) => sendUntilVerdict(api, op, 60_000));
    resent.forEach((op, i) => {
      final.set(op.key, resendReplies[i]!);
      if (run.cutOff.has(op.key) && resendReplies[i]!.headers.get("idempotent-replayed") === "true") run.replayedAfterCut.add(op.key);
    });
    for (const op of all) {
      const r = final.get(op.key)!;
      const allowed = { deposit: [201], withdrawal: [201, 422], transfer: [201, 202, 422], post: [200, 202], void: [200] }[op.kind];
      expect(allowed, `${op.key} (${op.kind}) → ${r.status} ${JSON.stringify(r.body)}`).toContain(r.status);
      if (r.status === 422) expect(r.body.error.code).toBe("insufficient_funds");
    }

    // What each transfer must end as: an immediate one that was not refused posts in full; a pending one as its post or void says.
    const expected = new Map<string, { from: string; to: string; token: string; status: "posted" | "voided"; posted: number | null }>();
    for (const op of all) {
      const r = final.get(op.key)!;
      if (op.kind === "transfer" && r.status !== 422)
        expected.set(r.body.id, { from: op.account, to: op.to!, token: op.token, status: "posted", posted: op.amount });
      if (op.kind === "post" || op.kind === "void") {
        expected.set(op.transferId!, {
          from: op.account,
          to: op.to!,
          token: op.token,
          status: op.kind === "post" ? "posted" : "voided",
          posted: op.kind === "post" ? op.amount : null,
        });
      }
    }
    expect(expected.size).toBeGreaterThan(PENDING_TRANSFERS);
    const transferIds = [...expected.keys()];
    // Wait until no transfer is pending or in flight (the source's alarm finishes those cut off between the two accounts).
    const transfers = new Map<
      string,
      { status: string; in_flight: boolean; posted_amount: number | null; from_account_id: string; to_account_id: string }
    >();
    await waitFor(
      "every transfer settled",
      async () => {
        const open = transferIds.filter((id) => !transfers.has(id));
        await mapLimit(open, 4, async (id) => {
          const t = await api.get(`/v1/transfers/${id}`, expected.get(id)!.token);
          if (!t.in_flight && t.status !== "pending") transfers.set(id, t);
        });
        return transfers.size === transferIds.length;
      },
      60_000,
      250,
    );
    // Invariant 3: each resolved once, the way its request said.
    for (const [id, e] of expected) {
      expect(transfers.get(id), id).toMatchObject({
        status: e.status,
        posted_amount: e.posted,
        from_account_id: e.from,
        to_account_id: e.to,
      });
    }

    // Replays: every request, acknowledged before the kill or not, now answers its stored first reply.
    // An acknowledged 202 (in flight) has since settled: its key now holds the final 201 (200 for a post) for the same transfer.
    const replays = await mapLimit(all, 4, (op) => sendUntilVerdict(api, op, 30_000));
    all.forEach((op, i) => {
      const replay = replays[i]!;
      const stored = final.get(op.key)!;
      expect(replay.headers.get("idempotent-replayed"), op.key).toBe("true");
      if (stored.status === 202) {
        expect(replay.status).toBe(op.kind === "post" ? 200 : 201);
        expect(replay.body).toMatchObject({ id: stored.body.id, status: "posted", in_flight: false });
      } else {
        expect({ status: replay.status, body: replay.body }, op.key).toEqual({ status: stored.status, body: stored.body });
      }
    });

    // ---- the books, through the public API ----
    const journals = new Map<string, Transaction[]>();
    const views = new Map<string, { balance: { posted: number; pending: number; available: number } }>();
    for (const a of accounts) {
      journals.set(a.id, await allTransactions(api, a.id, a.token));
      views.set(a.id, await api.get(`/v1/accounts/${a.id}`, a.token));
    }

    // Invariant 5: per-account seq is 1..n without gaps; invariant 2's hash chain verifies over exactly those entries.
    for (const a of accounts) {
      const j = journals.get(a.id)!;
      expect(
        j.map((e) => e.seq),
        `seq of ${a.id}`,
      ).toEqual(j.map((_, i) => i + 1));
      expect(await api.get(`/v1/accounts/${a.id}/verify`, a.token)).toMatchObject({ ok: true, entries: j.length });
      // The balance is the sum of the journal, and the last entry's running balance.
      const sum = j.reduce((s, e) => s + (e.direction === "credit" ? e.amount : -e.amount), 0);
      expect(views.get(a.id)!.balance.posted).toBe(sum);
      expect(j.at(-1)?.balance_after ?? 0).toBe(sum);
      // Invariant 4: nothing below the floor (0 for checking), no hold left behind.
      expect(views.get(a.id)!.balance).toMatchObject({ pending: 0 });
      expect(views.get(a.id)!.balance.available).toBeGreaterThanOrEqual(0);
      for (const e of j) expect(e.balance_after, `${e.id} on ${a.id}`).toBeGreaterThanOrEqual(0);
    }

    // Invariant 2: every key took effect exactly once — its entry appears once, and nothing else does.
    const entries = [...journals.entries()].flatMap(([account, j]) => j.map((e) => ({ ...e, account })));
    const count = (pred: (e: (typeof entries)[number]) => boolean) => entries.filter(pred).length;
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    let external = 0;
    let externalEntries = 0;
    for (const op of all) {
      const r = final.get(op.key)!;
      if ((op.kind === "deposit" || op.kind === "withdrawal") && r.status === 201) {
        expect(
          count((e) => e.id === r.body.id && e.account === op.account && e.kind === op.kind && e.amount === op.amount),
          op.key,
        ).toBe(1);
        external += op.kind === "deposit" ? op.amount : -op.amount;
        externalEntries++;
      }
    }
    // A posted transfer is one debit at its source and one credit at its destination, for the posted amount; a voided one is neither.
    let posted = 0;
    for (const [id, t] of expected) {
      const legs = t.status === "posted" ? 1 : 0;
      expect(
        count((e) => e.account === t.from && e.kind === "transfer_out" && e.transfer_id === id && e.amount === t.posted),
        id,
      ).toBe(legs);
      expect(
        count((e) => e.account === t.to && e.kind === "transfer_in" && e.transfer_id === id && e.amount === t.posted),
        id,
      ).toBe(legs);
      expect(
        count((e) => e.transfer_id === id),
        id,
      ).toBe(2 * legs);
      posted += legs;
    }
    expect(count((e) => e.kind === "transfer_out")).toBe(posted);
    expect(count((e) => e.kind === "transfer_in")).toBe(posted);
    expect(count((e) => e.kind === "deposit" || e.kind === "withdrawal")).toBe(externalEntries);
    expect(entries.length).toBe(externalEntries + 2 * posted);

    // Every write acknowledged before the kill is among them (asserted above for all; said once more for the record).
    const missing = all
      .filter((op) => run.acknowledged.has(op.key))
      .filter((op) => {
        const r = final.get(op.key)!;
        if (op.kind === "transfer" || op.kind === "post" || op.kind === "void") {
          const id = op.transferId ?? r.body.id;
          return r.status !== 422 && transfers.get(id)?.status !== expected.get(id)?.status;
        }
        return count((e) => e.id === r.body.id) !== 1;
      });
    expect(missing.map((op) => op.key)).toEqual([]);

    // Invariant 1: once nothing is in flight, Σ posted = external deposits − withdrawals.
    const totalPosted = [...views.values()].reduce((s, v) => s + v.balance.posted, 0);
    expect(totalPosted).toBe(external);

    console.log(
      JSON.stringify({
        seed: SEED,
        rounds: CRASH_ROUNDS,
        sent: all.length,
        acknowledged_before_kill: run.acknowledged.size,
        cut_off: run.cutOff.size,
        cut_off_then_replayed: run.replayedAfterCut.size,
        of_which_transfers: all.filter((op) => op.kind !== "deposit" && op.kind !== "withdrawal" && run.replayedAfterCut.has(op.key))
          .length,
        in_progress_409: run.inProgress,
        resent_after_last_restart: resent.length,
        transfers: transferIds.length,
        pending_posted: all.filter((op) => op.kind === "post").length,
        pending_voided: all.filter((op) => op.kind === "void").length,
        entries: entries.length,
        max_restart_ms: restartMs,
        total_ms: Date.now() - started,
      }),
    );
  });
});
