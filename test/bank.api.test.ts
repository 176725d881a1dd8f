/**
 * The bank test (RELIABILITY.md test 1, after Jepsen's): accounts of several
 * users with known deposits, then waves of concurrent random transfers among
 * them (some bound to fail for insufficient funds) with concurrent reads.
 * Afterwards money is conserved exactly, no account is below its floor,
 * every journal verifies and sums to its balance, and every accepted transfer
 * appears exactly once on each side. A pending-transfer variant checks
 * posted / pending / available at every step of hold, partial post and void.
 */
import { describe, expect, it } from "vitest";
import { rng } from "./helpers/random";
import {
  allEntries,
  api,
  balanceOf,
  deposit,
  key,
  openAccount,
  postTx,
  registerUser,
  transfer,
  type ListedEntry,
  type User,
} from "./helpers/ledger";

type Res = Awaited<ReturnType<typeof api>>;

/** Every entry of an account's journal in seq order, in pages of 37 (so the cursor is exercised). */
async function journal(u: User, accountId: string): Promise<ListedEntry[]> {
  return (await allEntries(u, accountId, 37)).sort((x, y) => x.seq - y.seq);
}

const signed = (e: ListedEntry) => (e.direction === "credit" ? e.amount : -e.amount);

function expectSaneBalance(label: string, b: { posted: number; pending: number; available: number }) {
  for (const v of [b.posted, b.pending, b.available]) expect(Number.isSafeInteger(v), label).toBe(true);
  expect(b.posted, label).toBeGreaterThanOrEqual(0);
  expect(b.pending, label).toBeGreaterThanOrEqual(0);
  expect(b.available, label).toBeGreaterThanOrEqual(0);
  expect(b.available, label).toBe(b.posted - b.pending);
}

describe("bank test", () => {
  it("conserves money under 300 concurrent random transfers with concurrent reads", { timeout: 180_000 }, async () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    const random = rng(seed);
    const tag = `seed=${seed}`;
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

    const users = await Promise.all([registerUser(), registerUser(), registerUser()]);
    const owners = [0, 0, 0, 1, 1, 1, 2, 2].map((i) => users[i]!);
    const ids: string[] = [];
    for (const [i, u] of owners.entries()) ids.push(await openAccount(u, { type: i % 2 ? "savings" : "checking", name: `Bank ${i}` }));
    const initial = ids.map(() => int(5_000, 30_000));
    await Promise.all(ids.map((id, i) => deposit(owners[i]!, id, initial[i]!)));
    const total = initial.reduce((s, x) => s + x, 0);

    interface Attempt {
      from: number;
      to: number;
      amount: number;
      impossible: boolean;
      res?: Res;
    }
    const attempts: Attempt[] = [];
    const reads: { label: string; res: Res }[] = [];
    const WAVES = 10;
    const PER_WAVE = 30;
    for (let w = 0; w < WAVES; w++) {
      const wave: Attempt[] = [];
      for (let i = 0; i < PER_WAVE; i++) {
        const from = int(0, ids.length - 1);
        let to = int(0, ids.length - 2);
        if (to >= from) to++;
        const roll = random();
        const impossible = roll < 0.1;
        // Mostly small, some large enough to fail often, a tenth more than all the money there is.
        const amount = impossible ? total + int(1, 10_000) : roll < 0.75 ? int(1, 3_000) : int(3_000, 25_000);
        wave.push({ from, to, amount, impossible });
      }
      attempts.push(...wave);
      const readers = ids.flatMap((id, i) => [
        api("GET", `/v1/accounts/${id}`, { token: owners[i]!.access_token }).then((res) => reads.push({ label: `account ${i}`, res })),
        api("GET", `/v1/accounts/${id}/balance`, { token: owners[i]!.access_token }).then((res) =>
          reads.push({ label: `balance ${i}`, res }),
        ),
      ]);
      await Promise.all([
        ...wave.map(async (a) => {
          a.res = await transfer(owners[a.from]!, {
            from_account_id: ids[a.from],
            to_account_id: ids[a.to],
            amount: a.amount,
            description: `bank ${tag}`,
          });
        }),
        ...readers,
        api("GET", "/v1/accounts", { token: users[w % users.length]!.access_token }).then((res) => reads.push({ label: "list", res })),
      ]);
      // Between waves nothing is in flight (unless a transfer answered 202), so the books must balance exactly.
      if (wave.every((a) => a.res!.status !== 202)) {
        const now = await Promise.all(ids.map((id, i) => balanceOf(owners[i]!, id)));
        for (const [i, b] of now.entries()) expectSaneBalance(`${tag} after wave ${w}, account ${i}`, b);
        expect(
          now.reduce((sum, b) => sum + b.posted, 0),
          `${tag} total after wave ${w}`,
        ).toBe(total);
      }
    }

    // Replies: no 5xx; 201 posted, 422 insufficient_funds, or 202 in flight (finished by the source's alarm).
    const byStatus: Record<number, number> = {};
    for (const a of attempts) {
      const res = a.res!;
      byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
      expect(res.status, `${tag} ${JSON.stringify(res.body)}`).toBeLessThan(500);
      expect([201, 202, 422], `${tag} ${JSON.stringify(res.body)}`).toContain(res.status);
      if (res.status === 422) expect(res.body.error.code, tag).toBe("insufficient_funds");
      if (res.status === 201)
        expect(res.body, tag).toMatchObject({ status: "posted", amount: a.amount, posted_amount: a.amount, in_flight: false });
      if (a.impossible) expect(res.status, `${tag}: a transfer larger than all money must fail`).toBe(422);
    }
    for (const r of reads) {
      expect(r.res.status, `${tag} ${r.label}`).toBe(200);
      if (r.label.startsWith("account")) expectSaneBalance(`${tag} ${r.label}`, r.res.body.balance);
      if (r.label.startsWith("balance")) {
        expect(r.res.body.posted, `${tag} ${r.label}`).toBeGreaterThanOrEqual(0);
        expect(r.res.body.posted, `${tag} ${r.label}`).toBeLessThanOrEqual(total);
      }
      if (r.label === "list") for (const acc of r.res.body.data) expectSaneBalance(`${tag} list`, acc.balance);
    }
    console.log(`bank test ${tag}: replies by status ${JSON.stringify(byStatus)}, ${reads.length} reads`);
    expect(byStatus[201] ?? 0, `${tag} ${JSON.stringify(byStatus)}`).toBeGreaterThan(50);
    expect(byStatus[422] ?? 0, `${tag} ${JSON.stringify(byStatus)}`).toBeGreaterThanOrEqual(attempts.filter((a) => a.impossible).length);

    // A 202 is in flight: wait for its source's alarm to settle it, then count it by its final status.
    const succeeded: Attempt[] = [];
    for (const a of attempts) {
      const res = a.res!;
      if (res.status === 201) succeeded.push(a);
      if (res.status !== 202) continue;
      let t: Res;
      const deadline = Date.now() + 20_000;
      do {
        await new Promise((r) => setTimeout(r, 200));
        t = await api("GET", `/v1/transfers/${res.body.id}`, { token: owners[a.from]!.access_token });
      } while (t.body.in_flight && Date.now() < deadline);
      expect(t.body.in_flight, `${tag} transfer ${res.body.id} still in flight`).toBe(false);
      expect(["posted", "failed"], tag).toContain(t.body.status);
      if (t.body.status === "posted") succeeded.push({ ...a, res: { ...res, body: t.body } });
    }

    // Conservation: Σ posted equals Σ deposits exactly, and each account equals its expected balance.
    const finals = await Promise.all(ids.map((id, i) => balanceOf(owners[i]!, id)));
    expect(
      finals.reduce((s, b) => s + b.posted, 0),
      tag,
    ).toBe(total);
    const expected = [...initial];
    for (const a of succeeded) {
      expected[a.from]! -= a.amount;
      expected[a.to]! += a.amount;
    }
    for (const [i, b] of finals.entries()) {
      expectSaneBalance(`${tag} final ${i}`, b);
      expect(b.pending, `${tag} account ${i} holds nothing once all transfers settled`).toBe(0);
      expect(b.posted, `${tag} account ${i}`).toBe(expected[i]);
    }

    // Each journal: seq gap-free, balance_after running, sums to posted, chain verifies.
    const journals = await Promise.all(ids.map((id, i) => journal(owners[i]!, id)));
    for (const [i, entries] of journals.entries()) {
      expect(
        entries.map((e) => e.seq),
        `${tag} account ${i} seq`,
      ).toEqual(entries.map((_, j) => j + 1));
      let running = 0;
      for (const e of entries) {
        running += signed(e);
        expect(e.balance_after, `${tag} account ${i} seq ${e.seq}`).toBe(running);
        expect(e.balance_after, `${tag} account ${i} seq ${e.seq} below 0`).toBeGreaterThanOrEqual(0);
      }
      expect(running, `${tag} account ${i} journal sum`).toBe(finals[i]!.posted);
      expect(
        entries.filter((e) => e.kind === "deposit").map((e) => e.amount),
        tag,
      ).toEqual([initial[i]]);
      expect(
        entries.every((e) => ["deposit", "transfer_in", "transfer_out"].includes(e.kind)),
        tag,
      ).toBe(true);
      const v = await api("GET", `/v1/accounts/${ids[i]}/verify`, { token: owners[i]!.access_token });
      expect(v.body, `${tag} verify ${i}`).toMatchObject({ ok: true, entries: entries.length, first_invalid_seq: null });
    }

    // Every accepted transfer appears exactly once at its source and once at its destination, and nothing else does.
    const outs = new Map<string, { account: number; amount: number }[]>();
    const ins = new Map<string, { account: number; amount: number }[]>();
    for (const [i, entries] of journals.entries()) {
      for (const e of entries) {
        if (e.kind === "transfer_out") outs.set(e.transfer_id!, [...(outs.get(e.transfer_id!) ?? []), { account: i, amount: e.amount }]);
        if (e.kind === "transfer_in") ins.set(e.transfer_id!, [...(ins.get(e.transfer_id!) ?? []), { account: i, amount: e.amount }]);
      }
    }
    for (const a of succeeded) {
      const id = a.res!.body.id as string;
      expect(outs.get(id), `${tag} transfer_out of ${id}`).toEqual([{ account: a.from, amount: a.amount }]);
      expect(ins.get(id), `${tag} transfer_in of ${id}`).toEqual([{ account: a.to, amount: a.amount }]);
    }
    expect(outs.size, tag).toBe(succeeded.length);
    expect(ins.size, tag).toBe(succeeded.length);
    // The source's record agrees.
    for (const a of succeeded.slice(0, 40)) {
      const t = await api("GET", `/v1/transfers/${a.res!.body.id}`, { token: owners[a.from]!.access_token });
      expect(t.body, tag).toMatchObject({ status: "posted", posted_amount: a.amount, in_flight: false });
    }
  });

  it("pending transfers: holds, partial posts and voids keep posted, pending and available exact", { timeout: 60_000 }, async () => {
    const x = await registerUser();
    const y = await registerUser();
    const p1 = await openAccount(x);
    const p2 = await openAccount(x, { type: "savings", name: "P2" });
    const q1 = await openAccount(y, { type: "checking", name: "Q1" });
    await deposit(x, p1, 10_000);
    let external = 10_000;
    const h = () => ({ "idempotency-key": key() });
    const pending = (to: string, amount: number) => transfer(x, { from_account_id: p1, to_account_id: to, amount, mode: "pending" });
    const post = (id: string, amount?: number) =>
      api("POST", `/v1/transfers/${id}/post`, { token: x.access_token, body: amount === undefined ? undefined : { amount }, headers: h() });
    const voidIt = (id: string) => api("POST", `/v1/transfers/${id}/void`, { token: x.access_token, headers: h() });
    const expectBalances = async (step: string, want: { p1: [number, number]; p2: number; q1: number }) => {
      const [b1, b2, bq] = await Promise.all([balanceOf(x, p1), balanceOf(x, p2), balanceOf(y, q1)]);
      expect(b1, step).toEqual({ posted: want.p1[0], pending: want.p1[1], available: want.p1[0] - want.p1[1] });
      expect(b2, step).toEqual({ posted: want.p2, pending: 0, available: want.p2 });
      expect(bq, step).toEqual({ posted: want.q1, pending: 0, available: want.q1 });
      expect(b1.posted + b2.posted + bq.posted, `${step}: conservation`).toBe(external);
    };

    const t1 = await pending(p2, 3_000);
    const t2 = await pending(q1, 2_000);
    const t3 = await pending(q1, 4_000);
    for (const t of [t1, t2, t3]) expect(t.status).toBe(201);
    for (const t of [t1, t2, t3]) expect(t.body).toMatchObject({ status: "pending", posted_amount: null, in_flight: false });
    expect(Date.parse(t1.body.expires_at)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    await expectBalances("three holds", { p1: [10_000, 9_000], p2: 0, q1: 0 });

    // Holds count against the floor: neither a fourth hold nor a withdrawal may exceed what is available.
    const tooMuch = await pending(p2, 1_001);
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe("insufficient_funds");
    const immediateTooMuch = await transfer(x, { from_account_id: p1, to_account_id: p2, amount: 1_001 });
    expect(immediateTooMuch.status).toBe(422);
    const wd = await postTx(x, p1, { kind: "withdrawal", amount: 1_001 });
    expect(wd.status).toBe(422);
    expect(wd.body.error.code).toBe("insufficient_funds");
    const buy = await postTx(x, p1, { kind: "purchase", amount: 400, merchant: "Cafe" });
    expect(buy.status).toBe(201);
    external -= 400;
    await expectBalances("purchase within available", { p1: [9_600, 9_000], p2: 0, q1: 0 });

    // Post t1 for less: 2,500 moves, the other 500 of the hold is released.
    const posted1 = await post(t1.body.id, 2_500);
    expect(posted1.status).toBe(200);
    expect(posted1.body).toMatchObject({ status: "posted", amount: 3_000, posted_amount: 2_500, in_flight: false });
    await expectBalances("t1 posted for 2,500", { p1: [7_100, 6_000], p2: 2_500, q1: 0 });
    // A settled transfer cannot be posted or voided again (new keys: these are new requests).
    for (const again of [await post(t1.body.id), await post(t1.body.id, 100), await voidIt(t1.body.id)]) {
      expect(again.status).toBe(422);
      expect(again.body.error.code).toBe("invalid_state");
    }
    // More than the hold is refused and leaves it pending.
    const over = await post(t3.body.id, 4_001);
    expect(over.status).toBe(422);
    await expectBalances("over-post refused", { p1: [7_100, 6_000], p2: 2_500, q1: 0 });

    // Void t2: its hold is released, nothing moves.
    const v2 = await voidIt(t2.body.id);
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({ status: "voided", posted_amount: null });
    await expectBalances("t2 voided", { p1: [7_100, 4_000], p2: 2_500, q1: 0 });
    expect((await post(t2.body.id)).status).toBe(422);

    // Post t3 in full to another user's account.
    const posted3 = await post(t3.body.id);
    expect(posted3.status).toBe(200);
    expect(posted3.body).toMatchObject({ status: "posted", posted_amount: 4_000 });
    await expectBalances("t3 posted to Y", { p1: [3_100, 0], p2: 2_500, q1: 4_000 });

    // Racing post and void on one hold: exactly one wins.
    const t4 = await pending(p2, 1_000);
    expect(t4.status).toBe(201);
    await expectBalances("t4 held", { p1: [3_100, 1_000], p2: 2_500, q1: 4_000 });
    const race = await Promise.all([post(t4.body.id, 700), voidIt(t4.body.id), post(t4.body.id, 700), voidIt(t4.body.id)]);
    const winners = race.filter((r) => r.status === 200);
    for (const r of race) expect([200, 422], JSON.stringify(r.body)).toContain(r.status);
    const final4 = (await api("GET", `/v1/transfers/${t4.body.id}`, { token: x.access_token })).body;
    expect(final4.in_flight).toBe(false);
    expect(winners.length).toBeGreaterThanOrEqual(1);
    for (const w of winners) expect(w.body.status).toBe(final4.status);
    if (final4.status === "posted") {
      expect(final4.posted_amount).toBe(700);
      await expectBalances("t4 race: posted", { p1: [2_400, 0], p2: 3_200, q1: 4_000 });
    } else {
      expect(final4.status).toBe("voided");
      await expectBalances("t4 race: voided", { p1: [3_100, 0], p2: 2_500, q1: 4_000 });
    }

    // Ten concurrent posts of one hold with different keys: one transfer_in, one transfer_out.
    const t5 = await pending(q1, 500);
    const posts = await Promise.all(Array.from({ length: 10 }, () => post(t5.body.id)));
    const ok = posts.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const r of posts.filter((r) => r.status !== 200)) expect(r.body.error.code).toBe("invalid_state");
    const p1Journal = await journal(x, p1);
    const q1Journal = await journal(y, q1);
    expect(p1Journal.filter((e) => e.transfer_id === t5.body.id)).toHaveLength(1);
    expect(q1Journal.filter((e) => e.transfer_id === t5.body.id)).toHaveLength(1);

    // Journals: one entry per posted transfer, none for voided ones; sums and chains agree.
    for (const [u, id] of [
      [x, p1],
      [x, p2],
      [y, q1],
    ] as const) {
      const entries = await journal(u, id);
      const b = await balanceOf(u, id);
      expect(entries.reduce((s, e) => s + signed(e), 0)).toBe(b.posted);
      expect(entries.some((e) => e.transfer_id === t2.body.id)).toBe(false);
      const v = await api("GET", `/v1/accounts/${id}/verify`, { token: u.access_token });
      expect(v.body).toMatchObject({ ok: true, entries: entries.length });
    }
    expect(p1Journal.filter((e) => e.transfer_id === t1.body.id).map((e) => e.amount)).toEqual([2_500]);
    const total = (await Promise.all([balanceOf(x, p1), balanceOf(x, p2), balanceOf(y, q1)])).reduce((s, b) => s + b.posted, 0);
    expect(total).toBe(external);
  });
});
