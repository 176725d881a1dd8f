/**
 * Every date, month and instant the API takes, walked at its edges on every
 * route: impossible and out-of-range dates, reversed ranges, the widest span and
 * one past it, the 90-day back limit. Each refusal is an exact 400
 * validation_error naming the field, and changes nothing; each valid edge succeeds.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { LAST_DAY, SPAN_LIMITS } from "../src/domain/calendar";
import { addDays } from "../src/pipeline/time";
import { api } from "./helpers/auth";
import { allEntries, balanceOf, openAccount, postTx, registerUser, type User } from "./helpers/ledger";
import { adminToken } from "./helpers/pipeline";

const BAD_DAYS = [
  "0000-01-01",
  "9999-12-31",
  "10000-01-01",
  "1999-12-31",
  "2101-01-01",
  "2026-02-29",
  "2026-02-30",
  "2026-00-10",
  "2026-13-01",
  "2026-04-31",
  "2026-1-01",
];
const GOOD_DAYS = ["2028-02-29", "2000-01-01", LAST_DAY];
const BAD_MONTHS = ["0000-01", "9999-12", "10000-01", "1999-12", "2101-01", "2026-00", "2026-13", "2026-1"];
const GOOD_MONTHS = ["2000-01", "2100-12"];
const BAD_INSTANTS = [
  "0000-01-01T00:00:00Z",
  "9999-12-31T00:00:00Z",
  "+010000-01-01T00:00:00Z",
  "1999-12-31T23:59:59Z",
  "2101-01-01T00:00:00Z",
  "2026-02-29T12:00:00Z",
  "2026-02-30T12:00:00Z",
  "2026-13-01T12:00:00Z",
  "2026-00-01T12:00:00Z",
  "2026-01-01T24:00:00Z",
  "2026-01-01",
];
const GOOD_INSTANTS = ["2028-02-29T12:00:00Z", "2000-01-01T00:00:00Z", "2100-12-31T23:59:59.999Z", "2026-06-01T00:00:00+05:30"];

type Res = Awaited<ReturnType<typeof api>>;

/** The field a 400 names: `details.field` from a range check, or the issue path from schema validation. */
function fieldOf(res: Res): string | undefined {
  const d = res.body?.error?.details;
  return d?.field ?? d?.issues?.[0]?.path;
}

function expectRefused(res: Res, field: string, label: string): void {
  expect({ label, status: res.status, code: res.body?.error?.code, field: fieldOf(res) }).toEqual({
    label,
    status: 400,
    code: "validation_error",
    field,
  });
  expect(typeof res.body.error.message).toBe("string");
}

const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

let user: User;
let accountId: string;
let admin: string;

async function unfinishedExports(createdBy: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM jobs WHERE created_by = ?1 AND kind = 'export' AND status IN ('queued', 'running')",
  )
    .bind(createdBy)
    .first<{ n: number }>();
  return row!.n;
}

async function jobCount(createdBy: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM jobs WHERE created_by = ?1").bind(createdBy).first<{ n: number }>();
  return row!.n;
}

beforeAll(async () => {
  user = await registerUser();
  accountId = await openAccount(user);
  admin = await adminToken();
});

describe("the issue's requests answer 400 at once", () => {
  it("daily balances, summary and export in year 9999", async () => {
    const t = user.access_token;
    expectRefused(
      await api("GET", `/v1/analytics/daily-balances?${q({ account_id: accountId, from: "9999-12-01", to: "9999-12-31" })}`, { token: t }),
      "from",
      "daily",
    );
    expectRefused(await api("GET", "/v1/analytics/summary?from=9999-12&to=9999-12", { token: t }), "from", "summary");
    const before = await jobCount(user.user.id);
    expectRefused(
      await api("POST", "/v1/exports", { token: t, body: { dataset: "events", from: "9999-12-31", to: "9999-12-31" } }),
      "from",
      "export",
    );
    expect(await jobCount(user.user.id)).toBe(before);
  });
});

describe("days", () => {
  const dayRoutes: { name: string; call: (from: string, to: string) => Promise<Res>; max?: number }[] = [
    {
      name: "daily-balances",
      max: SPAN_LIMITS.dailyBalancesDays,
      call: (from, to) =>
        api("GET", `/v1/analytics/daily-balances?${q({ account_id: accountId, from, to })}`, { token: user.access_token }),
    },
    { name: "admin platform daily", call: (from, to) => api("GET", `/v1/admin/platform/daily?${q({ from, to })}`, { token: admin }) },
  ];

  for (const r of dayRoutes) {
    it(`${r.name}: refuses every impossible or unsupported day in from and to, takes the valid edges`, async () => {
      for (const bad of BAD_DAYS) {
        expectRefused(await r.call(bad, "2026-03-01"), "from", `${r.name} from=${bad}`);
        expectRefused(await r.call("2000-01-01", bad), "to", `${r.name} to=${bad}`);
      }
      for (const good of GOOD_DAYS) expect((await r.call(good, good)).status, `${r.name} ${good}`).toBe(200);
      expectRefused(await r.call("2026-03-02", "2026-03-01"), "from", `${r.name} from > to`);
      if (r.max) {
        const widest = await r.call("2020-01-01", addDays("2020-01-01", r.max - 1));
        expect(widest.status).toBe(200);
        expect(widest.body.data[0].day).toBe("2020-01-01");
        expectRefused(await r.call("2020-01-01", addDays("2020-01-01", r.max)), "to", `${r.name} span ${r.max + 1}`);
      }
    });
  }

  it("daily-balances: the last supported day pages to its end and stops", async () => {
    const res = await api("GET", `/v1/analytics/daily-balances?${q({ account_id: accountId, from: "2100-12-01", to: LAST_DAY })}`, {
      token: user.access_token,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(31);
    expect(res.body).toMatchObject({ has_more: false, next_cursor: null });
  });

  it("exports: refuses bad days and a span one past the widest, creating no job; the widest and leap days are accepted", async () => {
    const t = user.access_token;
    const post = (from: string, to: string) => api("POST", "/v1/exports", { token: t, body: { dataset: "transactions", from, to } });
    const before = await jobCount(user.user.id);
    for (const bad of BAD_DAYS) {
      expectRefused(await post(bad, "2026-03-01"), "from", `export from=${bad}`);
      expectRefused(await post("2026-01-01", bad), "to", `export to=${bad}`);
    }
    expectRefused(await post("2026-03-02", "2026-03-01"), "from", "export from > to");
    expectRefused(await post("2020-01-01", addDays("2020-01-01", SPAN_LIMITS.exportDays)), "to", "export span");
    expect(await jobCount(user.user.id)).toBe(before);

    expect((await post("2020-01-01", addDays("2020-01-01", SPAN_LIMITS.exportDays - 1))).status).toBe(202);
    expect((await post("2028-02-29", "2028-02-29")).status).toBe(202);
    // At most two exports of a user run at once (the export quota): the third waits for one to finish.
    for (let i = 0; i < 200 && (await unfinishedExports(user.user.id)) >= 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await post("2100-12-31", "2100-12-31")).status).toBe(202);
    expect(await jobCount(user.user.id)).toBe(before + 3);
  });

  it("admin bronze date and replay range: bad days refused, no replay job created", async () => {
    for (const bad of BAD_DAYS)
      expectRefused(await api("GET", `/v1/admin/bronze?date=${encodeURIComponent(bad)}`, { token: admin }), "date", `bronze ${bad}`);
    for (const good of GOOD_DAYS) expect((await api("GET", `/v1/admin/bronze?date=${good}`, { token: admin })).status).toBe(200);
    const before = (await env.DB.prepare("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'replay'").first<{ n: number }>())!.n;
    for (const bad of BAD_DAYS) {
      expectRefused(await api("POST", "/v1/admin/replay", { token: admin, body: { from: bad } }), "from", `replay from=${bad}`);
      expectRefused(await api("POST", "/v1/admin/replay", { token: admin, body: { to: bad } }), "to", `replay to=${bad}`);
    }
    expectRefused(
      await api("POST", "/v1/admin/replay", { token: admin, body: { from: "2026-03-02", to: "2026-03-01" } }),
      "from",
      "replay from > to",
    );
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'replay'").first<{ n: number }>())!.n).toBe(before);
  });
});

describe("months", () => {
  it("summary: refuses bad months and a span one past 36; takes the edges and the widest", async () => {
    const t = user.access_token;
    const get = (from: string, to: string) => api("GET", `/v1/analytics/summary?${q({ from, to })}`, { token: t });
    for (const bad of BAD_MONTHS) {
      expectRefused(await get(bad, "2026-03"), "from", `summary from=${bad}`);
      expectRefused(await get("2000-01", bad), "to", `summary to=${bad}`);
    }
    for (const good of GOOD_MONTHS) expect((await get(good, good)).status).toBe(200);
    expectRefused(await get("2026-04", "2026-03"), "from", "summary from > to");
    expect((await get("2024-01", "2026-12")).status).toBe(200);
    expectRefused(await get("2024-01", "2027-01"), "to", "summary 37 months");
  });

  it("spending: refuses bad months, takes the edges", async () => {
    const t = user.access_token;
    for (const bad of BAD_MONTHS)
      expectRefused(await api("GET", `/v1/analytics/spending?month=${bad}`, { token: t }), "month", `spending ${bad}`);
    for (const good of GOOD_MONTHS) expect((await api("GET", `/v1/analytics/spending?month=${good}`, { token: t })).status).toBe(200);
  });
});

describe("instants", () => {
  it("transaction list from/to and balance at: bad instants refused, from > to refused, edges accepted", async () => {
    const t = user.access_token;
    const list = (o: Record<string, string>) => api("GET", `/v1/accounts/${accountId}/transactions?${q(o)}`, { token: t });
    const at = (v: string) => api("GET", `/v1/accounts/${accountId}/balance?${q({ at: v })}`, { token: t });
    for (const bad of BAD_INSTANTS) {
      expectRefused(await list({ from: bad }), "from", `list from=${bad}`);
      expectRefused(await list({ to: bad }), "to", `list to=${bad}`);
      expectRefused(await at(bad), "at", `balance at=${bad}`);
    }
    for (const good of GOOD_INSTANTS) {
      expect((await list({ from: good })).status, `list from=${good}`).toBe(200);
      expect((await list({ to: good })).status, `list to=${good}`).toBe(200);
      expect((await at(good)).status, `at=${good}`).toBe(200);
    }
    // Compared as instants: 10:00+05:00 is 05:00Z, before 06:00Z.
    expect((await list({ from: "2026-06-01T10:00:00+05:00", to: "2026-06-01T06:00:00Z" })).status).toBe(200);
    expectRefused(await list({ from: "2026-06-01T06:00:00Z", to: "2026-06-01T10:00:00+05:00" }), "from", "list from > to");
    expect((await list({ from: "2026-06-01T06:00:00Z", to: "2026-06-01T06:00:00Z" })).status).toBe(200);
  });

  it("POST transaction occurred_at: 89 days and just inside 90 are posted; just past 90, 91, the future and bad instants change nothing", async () => {
    const own = await registerUser();
    const acc = await openAccount(own);
    const DAY_MS = 86_400_000;
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const deposit = (occurred_at: string) => postTx(own, acc, { kind: "deposit", amount: 100, occurred_at });

    const refused: [string, string][] = [
      [ago(90 * DAY_MS + 60_000), "90 days and a minute"],
      [ago(91 * DAY_MS), "91 days"],
      [ago(-3_600_000), "an hour ahead"],
      ...BAD_INSTANTS.map((b) => [b, b] as [string, string]),
    ];
    for (const [value, label] of refused) expectRefused(await deposit(value), "occurred_at", `occurred_at ${label}`);
    expect(await balanceOf(own, acc)).toMatchObject({ posted: 0 });
    expect(await allEntries(own, acc)).toEqual([]);

    expect((await deposit(ago(89 * DAY_MS))).status).toBe(201);
    expect((await deposit(ago(90 * DAY_MS - 60_000))).status).toBe(201);
    expect(await balanceOf(own, acc)).toMatchObject({ posted: 200 });
    expect(await allEntries(own, acc)).toHaveLength(2);
  });
});
