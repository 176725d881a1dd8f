/**
 * Bad input (RELIABILITY.md test 11): a table of malformed requests over the
 * money and auth routes. Every case must answer its exact status and error code
 * (400 validation_error unless it says otherwise; never 5xx) in the error
 * envelope whose request_id is the X-Request-Id header, and must change
 * nothing: balances, journals, transfers, budgets and the account list are
 * compared with a snapshot after every case.
 */
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, balanceOf, deposit, key, openAccount, registerUser, type User } from "./helpers/ledger";
import { randomClientIp, uniqueEmail } from "./helpers/auth";
import type { ErrorCode } from "../src/domain/errors";
import { MAX_AMOUNT, MAX_BALANCE } from "../src/domain/money";

interface Case {
  name: string;
  method: string;
  /** A path, or a function of the fixture's ids. */
  path: string | ((f: Fixture) => string);
  /** A JSON value to send, serialized with JSON.stringify. */
  body?: Record<string, unknown> | unknown[] | ((f: Fixture) => unknown);
  /** Exact bytes to send as the body (for literals JSON.stringify cannot produce). */
  raw?: string | ((f: Fixture) => string);
  /** Send the body as a stream of unknown length. */
  stream?: boolean;
  headers?: Record<string, string>;
  /** No bearer token (auth routes). */
  anonymous?: boolean;
  /** No Idempotency-Key header even on a money POST. */
  noKey?: boolean;
  /** The exact status and error code; 400 `validation_error` when the case names neither. */
  status?: number;
  code?: ErrorCode;
}

/** The answer to a body that is not JSON at all. */
const INVALID_JSON = { status: 400, code: "invalid_json" } as const;
const NOT_FOUND = { status: 404, code: "not_found" } as const;
const TOO_LARGE = { status: 413, code: "payload_too_large" } as const;
// A body that is not JSON is refused before it is read.
const NOT_JSON_MEDIA = { status: 415, code: "unsupported_media_type" } as const;

interface Fixture {
  u: User;
  acc: string;
  dest: string;
  txId: string;
  pendingId: string;
  email: string;
}

const f = {} as Fixture;

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

// ---- valid base bodies; every case below breaks exactly one thing ----
const tx = (over: Record<string, unknown> = {}) => ({ kind: "deposit", amount: 100, ...over });
const account = (over: Record<string, unknown> = {}) => ({ type: "checking", name: "Bad input target", ...over });
const transferBody = (x: Fixture, over: Record<string, unknown> = {}) => ({
  from_account_id: x.acc,
  to_account_id: x.dest,
  amount: 100,
  ...over,
});
const budget = (over: Record<string, unknown> = {}) => ({ limit: 10_000, period: "monthly", alert_at: [0.8, 1], ...over });
const register = (over: Record<string, unknown> = {}) => ({ email: uniqueEmail("bad"), password: "correct horse battery staple", ...over });

const TX = (x: Fixture) => `/v1/accounts/${x.acc}/transactions`;
const BUDGET = (x: Fixture) => `/v1/accounts/${x.acc}/budgets/groceries`;
const POST_T = (x: Fixture) => `/v1/transfers/${x.pendingId}/post`;

/** Numeric literals as they appear in raw JSON; none is a valid amount. */
const BAD_NUMBERS: [string, string][] = [
  ["float", "12.5"],
  ["numeric string", '"100"'],
  ["negative", "-100"],
  ["zero", "0"],
  ["negative zero", "-0"],
  ["2^53", "9007199254740992"],
  ["2^53+1", "9007199254740993"],
  ["above the maximum amount", "10000000000001"],
  ["1e309", "1e309"],
  ["-1e309", "-1e309"],
  ["tiny exponent", "1e-7"],
  ["NaN (invalid JSON)", "NaN"],
  ["Infinity (invalid JSON)", "Infinity"],
  ["hex (invalid JSON)", "0x10"],
  ["null", "null"],
  ["boolean", "true"],
  ["array", "[100]"],
  ["object", '{"value":100}'],
];

/** Wraps `{...base}` with one field replaced by a raw literal. */
function rawWith(base: Record<string, unknown>, field: string, literal: string): string {
  const { [field]: _drop, ...rest } = base;
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)}${head.length > 2 ? "," : ""}${JSON.stringify(field)}:${literal}}`;
}

function numericCases(): Case[] {
  const out: Case[] = [];
  for (const [label, lit] of BAD_NUMBERS) {
    const want = label.endsWith("(invalid JSON)") ? INVALID_JSON : {};
    out.push(
      { name: `transaction amount: ${label}`, method: "POST", path: TX, raw: rawWith(tx(), "amount", lit), ...want },
      {
        name: `transfer amount: ${label}`,
        method: "POST",
        path: "/v1/transfers",
        raw: (x) => rawWith(transferBody(x), "amount", lit),
        ...want,
      },
      {
        name: `pending transfer amount: ${label}`,
        method: "POST",
        path: "/v1/transfers",
        raw: (x) => rawWith(transferBody(x, { mode: "pending" }), "amount", lit),
        ...want,
      },
      { name: `post transfer amount: ${label}`, method: "POST", path: POST_T, raw: rawWith({}, "amount", lit), ...want },
      { name: `budget limit: ${label}`, method: "PUT", path: BUDGET, raw: rawWith(budget(), "limit", lit), ...want },
      {
        name: `credit_limit: ${label}`,
        method: "POST",
        path: "/v1/accounts",
        raw: rawWith(account({ type: "credit" }), "credit_limit", lit),
        ...want,
      },
    );
  }
  return out;
}

const CONTROL = ["\u0000", "\u0007", "\u0008", "\n", "\r", "\t", "\u001b[31m", "\u007f", "\u0085", "\u009b"];

function textCases(): Case[] {
  const out: Case[] = [];
  for (const c of CONTROL) {
    const label = JSON.stringify(c);
    out.push(
      { name: `account name with control ${label}`, method: "POST", path: "/v1/accounts", body: account({ name: `Bad${c}name` }) },
      { name: `description with control ${label}`, method: "POST", path: TX, body: tx({ description: `pay${c}check` }) },
      { name: `merchant with control ${label}`, method: "POST", path: TX, body: tx({ kind: "refund", merchant: `Sh${c}op` }) },
      { name: `metadata value with control ${label}`, method: "POST", path: TX, body: tx({ metadata: { ref: `a${c}b` } }) },
      {
        name: `transfer description with control ${label}`,
        method: "POST",
        path: "/v1/transfers",
        body: (x) => transferBody(x, { description: `x${c}y` }),
      },
      {
        name: `register name with control ${label}`,
        method: "POST",
        path: "/v1/auth/register",
        anonymous: true,
        body: () => register({ name: `A${c}da` }),
      },
    );
  }
  // Lone surrogates are not Unicode text: they cannot be stored as UTF-8 and would break the hash chain.
  for (const s of ["\\ud800", "\\udfff", "a\\ud83d"]) {
    out.push(
      {
        name: `description with lone surrogate ${s}`,
        method: "POST",
        path: TX,
        raw: `{"kind":"deposit","amount":100,"description":"${s}"}`,
      },
      { name: `account name with lone surrogate ${s}`, method: "POST", path: "/v1/accounts", raw: `{"type":"checking","name":"${s}"}` },
      {
        name: `metadata with lone surrogate ${s}`,
        method: "POST",
        path: TX,
        raw: `{"kind":"deposit","amount":100,"metadata":{"k":"${s}"}}`,
      },
    );
  }
  return out;
}

const TABLE: Case[] = [
  ...numericCases(),
  ...textCases(),

  // ---- currencies ----
  ...["XXX", "usd", "US", "USDD", "", " USD", "ÜSD", "BTC"].map(
    (cur): Case => ({
      name: `unknown currency ${JSON.stringify(cur)}`,
      method: "POST",
      path: "/v1/accounts",
      body: account({ currency: cur }),
    }),
  ),
  { name: "currency as a number", method: "POST", path: "/v1/accounts", body: account({ currency: 840 }) },
  { name: "currency null", method: "POST", path: "/v1/accounts", body: account({ currency: null }) },

  // ---- unknown fields ----
  { name: "transaction with an unknown field", method: "POST", path: TX, body: tx({ balance: 1_000_000 }) },
  { name: "transaction with __proto__", method: "POST", path: TX, raw: '{"kind":"deposit","amount":100,"__proto__":{"amount":5}}' },
  { name: "transaction with constructor", method: "POST", path: TX, body: tx({ constructor: { name: "x" } }) },
  { name: "account with an unknown field", method: "POST", path: "/v1/accounts", body: account({ user_id: "usr_00000000000000000000" }) },
  { name: "account with status", method: "POST", path: "/v1/accounts", body: account({ status: "closed" }) },
  { name: "transfer with an unknown field", method: "POST", path: "/v1/transfers", body: (x) => transferBody(x, { status: "posted" }) },
  { name: "post transfer with an unknown field", method: "POST", path: POST_T, body: { amount: 50, force: true } },
  { name: "budget with an unknown field", method: "PUT", path: BUDGET, body: budget({ spent: 0 }) },
  { name: "register with role", method: "POST", path: "/v1/auth/register", anonymous: true, body: () => register({ role: "admin" }) },
  {
    name: "login with an unknown field",
    method: "POST",
    path: "/v1/auth/login",
    anonymous: true,
    body: (x) => ({ email: x.email, password: "whatever-123", remember: true }),
  },

  // ---- missing required fields ----
  { name: "transaction without amount", method: "POST", path: TX, body: { kind: "deposit" } },
  { name: "transaction without kind", method: "POST", path: TX, body: { amount: 100 } },
  { name: "account without name", method: "POST", path: "/v1/accounts", body: { type: "checking" } },
  { name: "account without type", method: "POST", path: "/v1/accounts", body: { name: "x" } },
  { name: "transfer without destination", method: "POST", path: "/v1/transfers", body: (x) => ({ from_account_id: x.acc, amount: 100 }) },
  { name: "transfer without source", method: "POST", path: "/v1/transfers", body: (x) => ({ to_account_id: x.dest, amount: 100 }) },
  {
    name: "transfer without amount",
    method: "POST",
    path: "/v1/transfers",
    body: (x) => ({ from_account_id: x.acc, to_account_id: x.dest }),
  },
  { name: "budget without limit", method: "PUT", path: BUDGET, body: { period: "monthly" } },
  {
    name: "register without password",
    method: "POST",
    path: "/v1/auth/register",
    anonymous: true,
    body: () => ({ email: uniqueEmail("bad") }),
  },
  {
    name: "register without email",
    method: "POST",
    path: "/v1/auth/register",
    anonymous: true,
    body: { password: "correct horse battery staple" },
  },
  { name: "login without password", method: "POST", path: "/v1/auth/login", anonymous: true, body: (x) => ({ email: x.email }) },
  {
    name: "login without email",
    method: "POST",
    path: "/v1/auth/login",
    anonymous: true,
    body: { password: "correct horse battery staple" },
  },

  // ---- wrong types and values ----
  { name: "unknown transaction kind", method: "POST", path: TX, body: tx({ kind: "gift" }) },
  { name: "transfer kind as a transaction", method: "POST", path: TX, body: tx({ kind: "transfer_in" }) },
  { name: "reversal kind as a transaction", method: "POST", path: TX, body: tx({ kind: "reversal" }) },
  { name: "kind as a number", method: "POST", path: TX, body: tx({ kind: 1 }) },
  { name: "description as an object", method: "POST", path: TX, body: tx({ description: { text: "x" } }) },
  { name: "empty description", method: "POST", path: TX, body: tx({ description: "" }) },
  { name: "blank description", method: "POST", path: TX, body: tx({ description: "   " }) },
  { name: "merchant on a deposit", method: "POST", path: TX, body: tx({ merchant: "Shop" }) },
  { name: "category not a slug", method: "POST", path: TX, body: tx({ kind: "purchase", amount: 1, category: "Food & Drink!" }) },
  { name: "category with emoji", method: "POST", path: TX, body: tx({ kind: "purchase", amount: 1, category: "food🍔" }) },
  { name: "metadata as a string", method: "POST", path: TX, body: tx({ metadata: "ref=1" }) },
  { name: "metadata with a number value", method: "POST", path: TX, body: tx({ metadata: { ref: 1 } }) },
  { name: "metadata with a nested object", method: "POST", path: TX, body: tx({ metadata: { ref: { a: "b" } } }) },
  { name: "metadata with a bad key", method: "POST", path: TX, body: tx({ metadata: { "bad key!": "x" } }) },
  {
    name: "metadata with too many keys",
    method: "POST",
    path: TX,
    body: tx({ metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"])) }),
  },
  {
    name: "metadata with 1000 keys",
    method: "POST",
    path: TX,
    body: tx({ metadata: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, "v"])) }),
  },
  { name: "metadata value too long", method: "POST", path: TX, body: tx({ metadata: { ref: "x".repeat(201) } }) },
  { name: "metadata key too long", method: "POST", path: TX, body: tx({ metadata: { ["k".repeat(41)]: "v" } }) },
  { name: "account type unknown", method: "POST", path: "/v1/accounts", body: account({ type: "crypto" }) },
  { name: "account name a number", method: "POST", path: "/v1/accounts", body: account({ name: 42 }) },
  { name: "account name blank", method: "POST", path: "/v1/accounts", body: account({ name: "  " }) },
  { name: "credit_limit on checking", method: "POST", path: "/v1/accounts", body: account({ credit_limit: 100 }) },
  { name: "transfer mode unknown", method: "POST", path: "/v1/transfers", body: (x) => transferBody(x, { mode: "later" }) },
  {
    name: "expires_in_seconds on an immediate transfer",
    method: "POST",
    path: "/v1/transfers",
    body: (x) => transferBody(x, { expires_in_seconds: 3600 }),
  },
  {
    name: "expires_in_seconds too short",
    method: "POST",
    path: "/v1/transfers",
    body: (x) => transferBody(x, { mode: "pending", expires_in_seconds: 59 }),
  },
  {
    name: "expires_in_seconds too long",
    method: "POST",
    path: "/v1/transfers",
    body: (x) => transferBody(x, { mode: "pending", expires_in_seconds: 30 * 86_400 + 1 }),
  },
  {
    name: "expires_in_seconds a float",
    method: "POST",
    path: "/v1/transfers",
    body: (x) => transferBody(x, { mode: "pending", expires_in_seconds: 3600.5 }),
  },
  {
    name: "transfer to itself",
    method: "POST",
    path: "/v1/transfers",
    body: (x) => transferBody(x, { to_account_id: x.acc }),
    status: 422,
    code: "transfer_rejected",
  },
  {
    name: "transfer to a malformed account id",
    method: "POST",
    path: "/v1/transfers",
    body: (x) => transferBody(x, { to_account_id: "acc_nope" }),
  },
  {
    name: "transfer to a non-existent account",
    method: "POST",
    path: "/v1/transfers",
    body: (x) => transferBody(x, { to_account_id: "acc_00000000000000000000" }),
    status: 422,
    code: "transfer_rejected",
  },
  {
    name: "transfer from a non-existent account",
    method: "POST",
    path: "/v1/transfers",
    body: (x) => transferBody(x, { from_account_id: "acc_00000000000000000000" }),
    ...NOT_FOUND,
  },
  {
    name: "transfer from an id of the wrong type",
    method: "POST",
    path: "/v1/transfers",
    body: (x) => transferBody(x, { from_account_id: 7 }),
  },
  { name: "post more than pending", method: "POST", path: POST_T, body: { amount: 1_000_000 }, status: 422, code: "unprocessable" },
  { name: "budget period unknown", method: "PUT", path: BUDGET, body: budget({ period: "daily" }) },
  { name: "budget alert_at empty", method: "PUT", path: BUDGET, body: budget({ alert_at: [] }) },
  { name: "budget alert_at zero", method: "PUT", path: BUDGET, body: budget({ alert_at: [0] }) },
  { name: "budget alert_at negative", method: "PUT", path: BUDGET, body: budget({ alert_at: [-0.5] }) },
  { name: "budget alert_at above 10", method: "PUT", path: BUDGET, body: budget({ alert_at: [11] }) },
  { name: "budget alert_at 1e309", method: "PUT", path: BUDGET, raw: '{"limit":10000,"alert_at":[1e309]}' },
  { name: "budget alert_at duplicates", method: "PUT", path: BUDGET, body: budget({ alert_at: [0.8, 0.8] }) },
  { name: "budget alert_at too many", method: "PUT", path: BUDGET, body: budget({ alert_at: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] }) },
  { name: "budget alert_at a string", method: "PUT", path: BUDGET, body: budget({ alert_at: "0.8" }) },
  {
    name: "register with a bad email",
    method: "POST",
    path: "/v1/auth/register",
    anonymous: true,
    body: () => register({ email: "not-an-email" }),
  },
  {
    name: "register with a short password",
    method: "POST",
    path: "/v1/auth/register",
    anonymous: true,
    body: () => register({ password: "short-pw1" }),
  },
  {
    name: "register with a long password",
    method: "POST",
    path: "/v1/auth/register",
    anonymous: true,
    body: () => register({ password: "p".repeat(129) }),
  },
  {
    name: "register with a numeric password",
    method: "POST",
    path: "/v1/auth/register",
    anonymous: true,
    body: () => register({ password: 12345678901 }),
  },
  { name: "register with a blank name", method: "POST", path: "/v1/auth/register", anonymous: true, body: () => register({ name: " " }) },
  {
    name: "login with an email object",
    method: "POST",
    path: "/v1/auth/login",
    anonymous: true,
    body: { email: { $ne: null }, password: "x" },
  },
  {
    name: "login with an empty password",
    method: "POST",
    path: "/v1/auth/login",
    anonymous: true,
    body: (x) => ({ email: x.email, password: "" }),
  },
  { name: "login with an array body", method: "POST", path: "/v1/auth/login", anonymous: true, body: [] },

  // ---- bodies that are not an object ----
  ...(["[]", "null", '"deposit"', "100", "true"] as const).flatMap((lit): Case[] => [
    { name: `transaction body ${lit}`, method: "POST", path: TX, raw: lit },
    { name: `account body ${lit}`, method: "POST", path: "/v1/accounts", raw: lit },
    { name: `transfer body ${lit}`, method: "POST", path: "/v1/transfers", raw: lit },
    { name: `post transfer body ${lit}`, method: "POST", path: POST_T, raw: lit },
    { name: `budget body ${lit}`, method: "PUT", path: BUDGET, raw: lit },
    { name: `register body ${lit}`, method: "POST", path: "/v1/auth/register", anonymous: true, raw: lit },
  ]),

  // ---- broken JSON and empty bodies ----
  ...(
    [
      ["truncated", '{"kind":"deposit","amount":'],
      ["single quotes", "{'kind':'deposit','amount':100}"],
      ["trailing comma", '{"kind":"deposit","amount":100,}'],
      ["trailing garbage", '{"kind":"deposit","amount":100}x'],
      ["comment", '{"kind":"deposit",/* c */"amount":100}'],
      ["unquoted key", '{kind:"deposit",amount:100}'],
      ["empty", ""],
      ["whitespace", "  \n "],
      ["binary", "\u0000\u0001\u0002"],
    ] as const
  ).flatMap(([label, raw]): Case[] => {
    // An empty body is no body: a required one is then missing (400 validation_error naming the fields).
    const broken = label === "empty" ? ({ status: 400, code: "validation_error" } as const) : INVALID_JSON;
    return [
      { name: `transaction: broken JSON (${label})`, method: "POST", path: TX, raw, ...broken },
      { name: `account: broken JSON (${label})`, method: "POST", path: "/v1/accounts", raw, ...broken },
      { name: `transfer: broken JSON (${label})`, method: "POST", path: "/v1/transfers", raw, ...broken },
      // An empty body on an optional-body route is no body (it posts): test/contract-bodies.api.test.ts.
      ...(label === "empty" ? [] : [{ name: `post transfer: broken JSON (${label})`, method: "POST", path: POST_T, raw, ...broken }]),
      { name: `budget: broken JSON (${label})`, method: "PUT", path: BUDGET, raw, ...broken },
      { name: `register: broken JSON (${label})`, method: "POST", path: "/v1/auth/register", anonymous: true, raw, ...broken },
      { name: `login: broken JSON (${label})`, method: "POST", path: "/v1/auth/login", anonymous: true, raw, ...broken },
    ];
  }),

  // ---- sizes ----
  { name: "transaction body over 64 KiB", method: "POST", path: TX, body: tx({ description: "x".repeat(70_000) }), ...TOO_LARGE },
  {
    name: "transaction body over 64 KiB, streamed",
    method: "POST",
    path: TX,
    body: tx({ description: "x".repeat(70_000) }),
    stream: true,
    ...TOO_LARGE,
  },
  { name: "account body of 1 MiB", method: "POST", path: "/v1/accounts", body: account({ name: "n".repeat(1 << 20) }), ...TOO_LARGE },
  {
    name: "transfer body over 64 KiB",
    method: "POST",
    path: "/v1/transfers",
    body: (x) => transferBody(x, { description: "é".repeat(40_000) }),
    ...TOO_LARGE,
  },
  { name: "budget body over 64 KiB", method: "PUT", path: BUDGET, raw: `{"limit":100${" ".repeat(70_000)}}`, ...TOO_LARGE },
  {
    name: "register body over 64 KiB",
    method: "POST",
    path: "/v1/auth/register",
    anonymous: true,
    body: () => register({ name: "n".repeat(70_000) }),
    ...TOO_LARGE,
  },
  {
    name: "login body over 64 KiB, streamed",
    method: "POST",
    path: "/v1/auth/login",
    anonymous: true,
    body: { email: "a@b.c", password: "p".repeat(70_000) },
    stream: true,
    ...TOO_LARGE,
  },
  { name: "description of 501 characters", method: "POST", path: TX, body: tx({ description: "d".repeat(501) }) },
  { name: "description of 30,000 characters", method: "POST", path: TX, body: tx({ description: "d".repeat(30_000) }) },
  { name: "description of 501 emoji (limits count code points)", method: "POST", path: TX, body: tx({ description: "💸".repeat(501) }) },
  { name: "merchant of 201 characters", method: "POST", path: TX, body: tx({ kind: "refund", merchant: "m".repeat(201) }) },
  { name: "account name of 101 characters", method: "POST", path: "/v1/accounts", body: account({ name: "a".repeat(101) }) },
  {
    name: "transfer description of 501 characters",
    method: "POST",
    path: "/v1/transfers",
    body: (x) => transferBody(x, { description: "t".repeat(501) }),
  },
  {
    name: "register email of 300 characters",
    method: "POST",
    path: "/v1/auth/register",
    anonymous: true,
    body: () => register({ email: `${"e".repeat(290)}@x.test` }),
  },
  {
    name: "login password of 2,000 characters",
    method: "POST",
    path: "/v1/auth/login",
    anonymous: true,
    body: (x) => ({ email: x.email, password: "p".repeat(2_000) }),
  },
  { name: "deeply nested JSON", method: "POST", path: TX, raw: `${"[".repeat(5_000)}${"]".repeat(5_000)}` },

  // ---- event time ----
  { name: "occurred_at in the future", method: "POST", path: TX, body: () => tx({ occurred_at: iso(Date.now() + DAY) }) },
  { name: "occurred_at ten minutes ahead", method: "POST", path: TX, body: () => tx({ occurred_at: iso(Date.now() + 10 * 60_000) }) },
  { name: "occurred_at in the far future", method: "POST", path: TX, body: tx({ occurred_at: "9999-12-31T23:59:59Z" }) },
  { name: "occurred_at more than 90 days back", method: "POST", path: TX, body: () => tx({ occurred_at: iso(Date.now() - 91 * DAY) }) },
  { name: "occurred_at in 1970", method: "POST", path: TX, body: tx({ occurred_at: "1970-01-01T00:00:00Z" }) },
  { name: "occurred_at not a date", method: "POST", path: TX, body: tx({ occurred_at: "yesterday" }) },
  { name: "occurred_at without time", method: "POST", path: TX, body: tx({ occurred_at: "2026-01-01" }) },
  { name: "occurred_at month 13", method: "POST", path: TX, body: tx({ occurred_at: "2026-13-01T00:00:00Z" }) },
  { name: "occurred_at February 30", method: "POST", path: TX, body: tx({ occurred_at: "2026-02-30T00:00:00Z" }) },
  { name: "occurred_at as epoch number", method: "POST", path: TX, body: tx({ occurred_at: 1_767_225_600_000 }) },

  // ---- content types ----
  { name: "transaction as text/plain", method: "POST", path: TX, body: tx(), headers: { "content-type": "text/plain" }, ...NOT_JSON_MEDIA },
  {
    name: "transaction as a form",
    method: "POST",
    path: TX,
    raw: "kind=deposit&amount=100",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    ...NOT_JSON_MEDIA,
  },
  { name: "transaction without a content type", method: "POST", path: TX, body: tx(), headers: { "content-type": "" }, ...NOT_JSON_MEDIA },
  {
    name: "account as text/plain",
    method: "POST",
    path: "/v1/accounts",
    body: account(),
    headers: { "content-type": "text/plain" },
    ...NOT_JSON_MEDIA,
  },
  {
    name: "transfer as text/plain",
    method: "POST",
    path: "/v1/transfers",
    body: (x) => transferBody(x),
    headers: { "content-type": "text/plain" },
    ...NOT_JSON_MEDIA,
  },
  {
    name: "transfer as XML",
    method: "POST",
    path: "/v1/transfers",
    raw: "<transfer/>",
    headers: { "content-type": "application/xml" },
    ...NOT_JSON_MEDIA,
  },
  {
    name: "post transfer amount as text/plain",
    method: "POST",
    path: POST_T,
    body: { amount: 50 },
    headers: { "content-type": "text/plain" },
    ...NOT_JSON_MEDIA,
  },
  {
    name: "post transfer amount as a form",
    method: "POST",
    path: POST_T,
    raw: "amount=50",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    ...NOT_JSON_MEDIA,
  },
  {
    name: "budget as text/plain",
    method: "PUT",
    path: BUDGET,
    body: budget(),
    headers: { "content-type": "text/plain" },
    ...NOT_JSON_MEDIA,
  },
  {
    name: "register as text/plain",
    method: "POST",
    path: "/v1/auth/register",
    anonymous: true,
    body: () => register(),
    headers: { "content-type": "text/plain" },
    ...NOT_JSON_MEDIA,
  },
  {
    name: "login as a form",
    method: "POST",
    path: "/v1/auth/login",
    anonymous: true,
    raw: "email=a%40b.c&password=x",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    ...NOT_JSON_MEDIA,
  },

  // ---- idempotency keys ----
  {
    name: "transaction without an Idempotency-Key",
    method: "POST",
    path: TX,
    body: tx(),
    noKey: true,
    status: 400,
    code: "idempotency_key_required",
  },
  {
    name: "Idempotency-Key of 256 characters",
    method: "POST",
    path: TX,
    body: tx(),
    headers: { "idempotency-key": "k".repeat(256) },
    status: 400,
    code: "validation_error",
  },
  {
    name: "Idempotency-Key with a space",
    method: "POST",
    path: TX,
    body: tx(),
    headers: { "idempotency-key": "a b" },
    status: 400,
    code: "validation_error",
  },

  // ---- malformed ids and queries ----
  ...[
    "not-an-id",
    "acc_SHORT",
    "acc_ABCDEFGHJKMNPQRSTVWX",
    "acc_0123456789abcdefghjkx",
    "acc_0123456789abcdefghj%00",
    "acc_..%2F..%2Fetc",
    "%F0%9F%92%B0",
    "usr_0123456789abcdefghjk",
    "trf_0123456789abcdefghjk_0123456789ab",
  ].flatMap((id): Case[] => {
    // A well-formed transfer id whose source is not the caller's account: the transfer routes look it up and find nothing.
    const transferLookup = id.startsWith("trf_") ? NOT_FOUND : {};
    return [
      { name: `GET account ${id}`, method: "GET", path: `/v1/accounts/${id}` },
      { name: `GET balance ${id}`, method: "GET", path: `/v1/accounts/${id}/balance` },
      { name: `GET verify ${id}`, method: "GET", path: `/v1/accounts/${id}/verify` },
      { name: `POST close ${id}`, method: "POST", path: `/v1/accounts/${id}/close` },
      { name: `GET transactions ${id}`, method: "GET", path: `/v1/accounts/${id}/transactions` },
      { name: `POST transaction ${id}`, method: "POST", path: `/v1/accounts/${id}/transactions`, body: tx() },
      { name: `GET budgets ${id}`, method: "GET", path: `/v1/accounts/${id}/budgets` },
      { name: `PUT budget ${id}`, method: "PUT", path: `/v1/accounts/${id}/budgets/groceries`, body: budget() },
      { name: `GET transfer ${id}`, method: "GET", path: `/v1/transfers/${id}`, ...transferLookup },
      { name: `POST transfer post ${id}`, method: "POST", path: `/v1/transfers/${id}/post`, ...transferLookup },
      { name: `POST transfer void ${id}`, method: "POST", path: `/v1/transfers/${id}/void`, ...transferLookup },
    ];
  }),
  { name: "well-formed unknown account", method: "GET", path: "/v1/accounts/acc_0000000000000000zzzz", ...NOT_FOUND },
  { name: "well-formed unknown transfer", method: "GET", path: "/v1/transfers/trf_0000000000000000zzzz_000000000000", ...NOT_FOUND },
  { name: "transaction id malformed", method: "GET", path: (x) => `/v1/accounts/${x.acc}/transactions/txn_bad` },
  {
    name: "transaction id unknown",
    method: "GET",
    path: (x) => `/v1/accounts/${x.acc}/transactions/txn_00000000000000000000`,
    ...NOT_FOUND,
  },
  { name: "reverse malformed transaction id", method: "POST", path: (x) => `/v1/accounts/${x.acc}/transactions/nope/reverse` },
  {
    name: "reverse unknown transaction id",
    method: "POST",
    path: (x) => `/v1/accounts/${x.acc}/transactions/txn_00000000000000000000/reverse`,
    ...NOT_FOUND,
  },
  { name: "transfer id whose source is malformed", method: "GET", path: "/v1/transfers/trf_ABC_0123456789ab" },
  { name: "transfer id with the wrong suffix", method: "POST", path: (x) => `/v1/transfers/${x.pendingId}x/post` },
  { name: "budget category not a slug", method: "PUT", path: (x) => `/v1/accounts/${x.acc}/budgets/Food%20%26%20Drink!`, body: budget() },
  { name: "budget category too long", method: "PUT", path: (x) => `/v1/accounts/${x.acc}/budgets/${"c".repeat(41)}`, body: budget() },
  { name: "budget category emoji", method: "DELETE", path: (x) => `/v1/accounts/${x.acc}/budgets/%F0%9F%92%B0` },
  {
    name: "delete a budget that does not exist",
    method: "DELETE",
    path: (x) => `/v1/accounts/${x.acc}/budgets/nothing-here`,
    ...NOT_FOUND,
  },
  { name: "list limit 0", method: "GET", path: (x) => `${TX(x)}?limit=0` },
  { name: "list limit 10,000", method: "GET", path: (x) => `${TX(x)}?limit=10000` },
  { name: "list limit not a number", method: "GET", path: (x) => `${TX(x)}?limit=abc` },
  { name: "list limit 1e309", method: "GET", path: (x) => `${TX(x)}?limit=1e309` },
  { name: "list cursor negative", method: "GET", path: (x) => `${TX(x)}?cursor=-1` },
  { name: "list cursor SQL", method: "GET", path: (x) => `${TX(x)}?cursor=1%20OR%201%3D1` },
  { name: "list kind unknown", method: "GET", path: (x) => `${TX(x)}?kind=gift` },
  { name: "list from not a date", method: "GET", path: (x) => `${TX(x)}?from=yesterday` },
  { name: "list min_amount float", method: "GET", path: (x) => `${TX(x)}?min_amount=1.5` },
  { name: "list min_amount negative", method: "GET", path: (x) => `${TX(x)}?min_amount=-1` },
  { name: "list max_amount 2^53+1", method: "GET", path: (x) => `${TX(x)}?max_amount=9007199254740993` },
  { name: "balance at not a date", method: "GET", path: (x) => `/v1/accounts/${x.acc}/balance?at=now` },
  { name: "balance at February 30", method: "GET", path: (x) => `/v1/accounts/${x.acc}/balance?at=2026-02-30T00:00:00Z` },
  { name: "balance at hour 24", method: "GET", path: (x) => `/v1/accounts/${x.acc}/balance?at=2026-01-01T24:00:00Z` },
  { name: "balance at offset +25:00", method: "GET", path: (x) => `/v1/accounts/${x.acc}/balance?at=2026-01-01T00:00:00%2B25:00` },
  { name: "list to February 30", method: "GET", path: (x) => `${TX(x)}?to=2026-02-30T00:00:00Z` },
  { name: "accounts limit 0", method: "GET", path: "/v1/accounts?limit=0" },
  { name: "accounts cursor too long", method: "GET", path: `/v1/accounts?cursor=${"a".repeat(65)}` },
];

// ---- the checks ----

type Res = { status: number; body: any; headers: Headers };

/** A short, well-formed preview of a value for assertion messages (never cuts a surrogate pair). */
const preview = (v: unknown) =>
  Array.from(typeof v === "string" ? v : (JSON.stringify(v) ?? String(v)))
    .slice(0, 300)
    .join("");

async function send(c: Case): Promise<Res> {
  const headers: Record<string, string> = {};
  if (!c.anonymous) headers.authorization = `Bearer ${f.u.access_token}`;
  const isMoneyPost =
    c.method === "POST" &&
    !c.anonymous &&
    /\/(transactions|transfers|reverse|post|void)$/.test(typeof c.path === "string" ? c.path : c.path(f));
  if (isMoneyPost && !c.noKey) headers["idempotency-key"] = key();
  let body: string | undefined;
  if (c.raw !== undefined) body = typeof c.raw === "function" ? c.raw(f) : c.raw;
  else if (c.body !== undefined) body = JSON.stringify(typeof c.body === "function" ? (c.body as (x: Fixture) => unknown)(f) : c.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  // Each case from a client of its own, so the auth routes' per-IP limit never refuses one.
  headers["cf-connecting-ip"] = randomClientIp();
  Object.assign(headers, c.headers);
  if (headers["content-type"] === "") delete headers["content-type"];
  const path = typeof c.path === "function" ? c.path(f) : c.path;
  let payload: BodyInit | undefined = body;
  if (c.stream && body !== undefined) {
    const bytes = new TextEncoder().encode(body);
    payload = new ReadableStream({
      start(ctl) {
        for (let i = 0; i < bytes.length; i += 8_192) ctl.enqueue(bytes.slice(i, i + 8_192));
        ctl.close();
      },
    });
  }
  const res = await exports.default.fetch(`http://x${path}`, { method: c.method, headers, body: payload });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // left as text; the envelope check below fails on it
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

function expectEnvelope(res: Res, label: string) {
  expect(res.status, `${label}: ${preview(res.body)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${label}: ${preview(res.body)}`).toBeLessThan(500);
  expect(res.headers.get("content-type") ?? "", label).toMatch(/^application\/json/);
  expect(res.body, label).toEqual({
    error: expect.objectContaining({ code: expect.any(String), message: expect.any(String), request_id: expect.any(String) }),
  });
  expect(Object.keys(res.body), label).toEqual(["error"]);
  expect(res.body.error.request_id, label).toBe(res.headers.get("x-request-id"));
  expect(res.body.error.code, label).not.toBe("internal_error");
}

/**
 * The state a bad request must not change, read straight from the stores (the
 * AccountDOs over RPC, the accounts registry in D1) as the victim, not through
 * the API: the table sends hundreds of requests as one user within a minute,
 * and the snapshots must not spend the per-user rate limit (1,200 / 60 s) that
 * the cases themselves are subject to.
 */
async function snapshot() {
  const caller = { userId: f.u.user.id, requestId: `snapshot-${crypto.randomUUID()}` };
  const stub = (id: string) => env.ACCOUNT.get(env.ACCOUNT.idFromName(id));
  const entries = async (id: string) => {
    const out: unknown[] = [];
    for (let before: number | undefined; ; ) {
      const page = settled(await stub(id).listTransactions(caller, { limit: 200, before_seq: before }));
      out.push(...page.data);
      if (!page.next_cursor) return out;
      before = Number(page.next_cursor);
    }
  };
  const [acc, dest, accounts, budgets, pending, accEntries, destEntries] = await Promise.all([
    stub(f.acc).get(caller).then(settled),
    stub(f.dest).get(caller).then(settled),
    env.DB.prepare("SELECT id FROM accounts WHERE user_id = ? ORDER BY id").bind(f.u.user.id).all<{ id: string }>(),
    stub(f.acc).listBudgets(caller).then(settled),
    stub(f.acc).getTransfer(caller, f.pendingId).then(settled),
    entries(f.acc),
    entries(f.dest),
  ]);
  return {
    acc,
    dest,
    accounts: accounts.results.map((a) => a.id),
    budgets: budgets.data.map(({ period_start: _s, period_end: _e, ...b }: Record<string, unknown>) => b),
    pending,
    accEntries,
    destEntries,
  };
}

/** The value of an RPC result; a failed read fails the test. */
function settled<T>(r: { ok: true; value: T } | { ok: false; status: number; error: unknown }): T {
  if (!r.ok) throw new Error(`snapshot read failed: ${r.status} ${JSON.stringify(r.error)}`);
  return r.value;
}

let initial: Awaited<ReturnType<typeof snapshot>>;
let before: Awaited<ReturnType<typeof snapshot>>;

describe("bad input", () => {
  beforeAll(async () => {
    f.email = uniqueEmail("victim");
    f.u = await registerUser({ email: f.email });
    f.acc = await openAccount(f.u);
    f.dest = await openAccount(f.u, { type: "savings", name: "Destination" });
    const d = await deposit(f.u, f.acc, 10_000);
    f.txId = d.id;
    const p = await api("POST", "/v1/transfers", {
      token: f.u.access_token,
      body: { from_account_id: f.acc, to_account_id: f.dest, amount: 2_000, mode: "pending" },
      headers: { "idempotency-key": key() },
    });
    expect(p.status).toBe(201);
    f.pendingId = p.body.id;
    const b = await api("PUT", `/v1/accounts/${f.acc}/budgets/groceries`, { token: f.u.access_token, body: budget() });
    expect(b.status).toBe(201);
    initial = before = await snapshot();
    expect(before.acc.balance).toEqual({ posted: 10_000, pending: 2_000, available: 8_000 });
  });

  it("the base bodies the table mutates are valid (so each case fails for its own reason)", async () => {
    const u = await registerUser();
    const a = await openAccount(u);
    const b = await openAccount(u, { type: "savings", name: "B" });
    const x = { ...f, u, acc: a, dest: b };
    const h = () => ({ "idempotency-key": key() });
    expect((await api("POST", "/v1/accounts", { token: u.access_token, body: account() })).status).toBe(201);
    expect(
      (await api("POST", "/v1/accounts", { token: u.access_token, body: account({ type: "credit", credit_limit: 500 }) })).status,
    ).toBe(201);
    expect((await api("POST", TX(x), { token: u.access_token, body: tx(), headers: h() })).status).toBe(201);
    expect(
      (
        await api("POST", TX(x), {
          token: u.access_token,
          body: tx({ occurred_at: iso(Date.now() - 89 * DAY), metadata: { ref: "ok" } }),
          headers: h(),
        })
      ).status,
    ).toBe(201);
    expect((await api("POST", "/v1/transfers", { token: u.access_token, body: transferBody(x), headers: h() })).status).toBe(201);
    const p = await api("POST", "/v1/transfers", { token: u.access_token, body: transferBody(x, { mode: "pending" }), headers: h() });
    expect(p.status).toBe(201);
    expect(
      (await api("POST", `/v1/transfers/${p.body.id}/post`, { token: u.access_token, body: { amount: 50 }, headers: h() })).status,
    ).toBe(200);
    expect((await api("PUT", `/v1/accounts/${a}/budgets/groceries`, { token: u.access_token, body: budget() })).status).toBe(201);
    expect((await api("POST", "/v1/auth/register", { body: register() })).status).toBe(201);
    expect((await api("POST", "/v1/auth/login", { body: { email: f.email, password: "correct horse battery staple" } })).status).toBe(200);
  });

  // One test per case, named by the case only: the case objects (with their huge and astral
  // strings) stay out of the task metadata that vitest ships to the runner.
  for (const c of TABLE)
    it(`${c.name} → ${c.status ?? 400} ${c.code ?? "validation_error"}, no state change`, async () => {
      const name = c.name;
      const res = await send(c);
      const after = await snapshot();
      // Compare each case with the state just before it, so one failure does not cascade.
      const expected = before;
      before = after;
      expectEnvelope(res, name);
      expect(res.status, name).toBe(c.status ?? 400);
      expect(res.body.error.code, name).toBe(c.code ?? "validation_error");
      // Nothing changed: balances, journals, transfers, budgets, accounts.
      expect(after, name).toEqual(expected);
    });

  it("a rejected registration creates no user", async () => {
    const email = uniqueEmail("ctl");
    const res = await api("POST", "/v1/auth/register", {
      body: { email, password: "correct horse battery staple", name: "Bad\u0000name" },
    });
    expectEnvelope(res, "register with NUL");
    const login = await api("POST", "/v1/auth/login", { body: { email, password: "correct horse battery staple" } });
    expect(login.status).toBe(401);
  });

  it("valid unicode names, descriptions, merchants and metadata round-trip exactly", async () => {
    const u = await registerUser({ name: "Zoë Ωmega 👩🏽‍💻" });
    const me = await api("GET", "/v1/me", { token: u.access_token });
    expect(me.body.name).toBe("Zoë Ωmega 👩🏽‍💻");
    const names = [
      "Café ☕ 💰",
      "日本語の口座",
      "👨‍👩‍👧‍👦 family",
      "e\u0301 (combining, not normalized)",
      "ﬁ ligature and ＦＵＬＬＷＩＤＴＨ",
      "עברית mixed with English",
      "zero\u200Bwidth space",
      "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 astral",
    ];
    for (const name of names) {
      const acc = await openAccount(u, { type: "checking", name });
      const got = await api("GET", `/v1/accounts/${acc}`, { token: u.access_token });
      expect(got.body.name).toBe(name);
      const listed = await api("GET", "/v1/accounts", { token: u.access_token });
      expect(listed.body.data.find((a: { id: string }) => a.id === acc).name).toBe(name);
    }
    const acc = await openAccount(u);
    const posted: { id: string; description: string; merchant: string; metadata: Record<string, string> }[] = [];
    for (const [i, text] of names.entries()) {
      const body = {
        kind: "refund",
        amount: 100 + i,
        description: `${text} — ✓ ${"💸".repeat(10)}`,
        merchant: `${text} Shop`,
        category: "misc",
        metadata: { note: text, emoji: "🔑" },
      };
      const res = await api("POST", `/v1/accounts/${acc}/transactions`, {
        token: u.access_token,
        body,
        headers: { "idempotency-key": key() },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ description: body.description, merchant: body.merchant, metadata: body.metadata });
      posted.push({ id: res.body.id, description: body.description, merchant: body.merchant, metadata: body.metadata });
    }
    for (const p of posted) {
      const got = await api("GET", `/v1/accounts/${acc}/transactions/${p.id}`, { token: u.access_token });
      expect(got.body).toMatchObject({ description: p.description, merchant: p.merchant, metadata: p.metadata });
      const byMerchant = await api("GET", `/v1/accounts/${acc}/transactions?merchant=${encodeURIComponent(p.merchant)}`, {
        token: u.access_token,
      });
      expect(byMerchant.body.data.map((e: { id: string }) => e.id)).toEqual([p.id]);
    }
    // Length limits count code points: 500 astral characters (1,000 UTF-16 units) are a valid description.
    const long = await api("POST", `/v1/accounts/${acc}/transactions`, {
      token: u.access_token,
      body: { kind: "deposit", amount: 1, description: "💸".repeat(500) },
      headers: { "idempotency-key": key() },
    });
    expect(long.status).toBe(201);
    expect(long.body.description).toBe("💸".repeat(500));
    const t = await api("POST", "/v1/transfers", {
      token: u.access_token,
      body: { from_account_id: acc, to_account_id: await openAccount(u), amount: 10, description: "для мамы ❤️" },
      headers: { "idempotency-key": key() },
    });
    expect(t.status).toBe(201);
    expect((await api("GET", `/v1/transfers/${t.body.id}`, { token: u.access_token })).body.description).toBe("для мамы ❤️");
    // The hash chain covers the text; it must still verify after the round trip through storage.
    const v = await api("GET", `/v1/accounts/${acc}/verify`, { token: u.access_token });
    expect(v.body).toMatchObject({ ok: true, entries: names.length + 2 });
  });

  it("time parameters with a UTC offset or without milliseconds mean the same instant", async () => {
    const u = await registerUser();
    const acc = await openAccount(u);
    const d = await deposit(u, acc, 100);
    const at = Date.parse(d.occurred_at);
    // The same instants written three ways: UTC with ms, UTC without ms, and +05:00 / -07:00.
    const forms = (ms: number) => {
      const utc = new Date(ms).toISOString();
      const shift = (h: number) =>
        `${new Date(ms + h * 3_600_000).toISOString().slice(0, 19)}${h >= 0 ? "+" : "-"}${String(Math.abs(h)).padStart(2, "0")}:00`;
      return [utc, `${utc.slice(0, 19)}Z`, shift(5), shift(-7)];
    };
    const beforeDeposit = at - 60 * 60_000 + 1; // an hour earlier (whole seconds differ from ms forms by < 1 s)
    const afterDeposit = at + 60 * 60_000;
    for (const t of forms(Math.floor(beforeDeposit / 1000) * 1000)) {
      const b = await api("GET", `/v1/accounts/${acc}/balance?at=${encodeURIComponent(t)}`, { token: u.access_token });
      expect(b.status, t).toBe(200);
      expect(b.body.posted, `balance at ${t}, before the deposit`).toBe(0);
      const l = await api("GET", `/v1/accounts/${acc}/transactions?to=${encodeURIComponent(t)}`, { token: u.access_token });
      expect(l.body.data, `transactions to ${t}`).toHaveLength(0);
      const f = await api("GET", `/v1/accounts/${acc}/transactions?from=${encodeURIComponent(t)}`, { token: u.access_token });
      expect(f.body.data, `transactions from ${t}`).toHaveLength(1);
    }
    for (const t of forms(Math.ceil(afterDeposit / 1000) * 1000)) {
      const b = await api("GET", `/v1/accounts/${acc}/balance?at=${encodeURIComponent(t)}`, { token: u.access_token });
      expect(b.body.posted, `balance at ${t}, after the deposit`).toBe(100);
      const f = await api("GET", `/v1/accounts/${acc}/transactions?from=${encodeURIComponent(t)}`, { token: u.access_token });
      expect(f.body.data, `transactions from ${t}`).toHaveLength(0);
    }
  });

  it("no sequence of valid amounts can push a balance past MAX_BALANCE (so it stays exact, far below 2^53)", {
    timeout: 60_000,
  }, async () => {
    expect(MAX_BALANCE).toBeLessThan(Number.MAX_SAFE_INTEGER);
    const u = await registerUser();
    const rich = await openAccount(u);
    const other = await openAccount(u, { type: "savings", name: "Other" });
    await deposit(u, other, 5_000);
    // Fill the account to exactly MAX_BALANCE with maximal deposits.
    const n = Math.floor(MAX_BALANCE / MAX_AMOUNT);
    for (let i = 0; i < n; i += 25) {
      const batch = Array.from({ length: Math.min(25, n - i) }, () =>
        api("POST", `/v1/accounts/${rich}/transactions`, {
          token: u.access_token,
          body: { kind: "deposit", amount: MAX_AMOUNT },
          headers: { "idempotency-key": key() },
        }),
      );
      for (const r of await Promise.all(batch)) expect(r.status).toBe(201);
    }
    const rest = MAX_BALANCE - n * MAX_AMOUNT;
    if (rest > 0) await deposit(u, rich, rest);
    const full = await balanceOf(u, rich);
    expect(full.posted).toBe(MAX_BALANCE);
    const entries = n + (rest > 0 ? 1 : 0);

    // Past it: deposits, refunds and interest are refused, and so is an incoming transfer.
    for (const kind of ["deposit", "refund", "interest"]) {
      const res = await api("POST", `/v1/accounts/${rich}/transactions`, {
        token: u.access_token,
        body: { kind, amount: 1 },
        headers: { "idempotency-key": key() },
      });
      expectEnvelope(res, `${kind} past MAX_BALANCE`);
      expect(res.status).toBe(422);
    }
    const t = await api("POST", "/v1/transfers", {
      token: u.access_token,
      body: { from_account_id: other, to_account_id: rich, amount: 1 },
      headers: { "idempotency-key": key() },
    });
    expectEnvelope(t, "transfer past MAX_BALANCE");
    expect(t.status).toBe(422);
    expect(await balanceOf(u, rich)).toEqual(full);
    expect(await balanceOf(u, other)).toEqual({ posted: 5_000, pending: 0, available: 5_000 });
    const v = await api("GET", `/v1/accounts/${rich}/verify`, { token: u.access_token });
    expect(v.body).toMatchObject({ ok: true, entries });
    // Money can still leave.
    const out = await api("POST", `/v1/accounts/${rich}/transactions`, {
      token: u.access_token,
      body: { kind: "withdrawal", amount: 1 },
      headers: { "idempotency-key": key() },
    });
    expect(out.status).toBe(201);
    expect(out.body.balance_after).toBe(MAX_BALANCE - 1);
  });

  it("the victim account is unchanged and its chain verifies after the whole table", async () => {
    expect(await snapshot()).toEqual(initial);
    expect(await balanceOf(f.u, f.acc)).toEqual({ posted: 10_000, pending: 2_000, available: 8_000 });
    for (const id of [f.acc, f.dest]) {
      const v = await api("GET", `/v1/accounts/${id}/verify`, { token: f.u.access_token });
      expect(v.body.ok).toBe(true);
    }
  });
});
