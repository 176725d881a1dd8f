/**
 * Accounts: open, list, read, close, point-in-time balance and journal
 * verification. The D1 registry lists a user's accounts; each account's state
 * and its owner check live in its AccountDO.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { MAX_ACCOUNTS_PER_USER, releaseAccount, reserveAccount } from "../db/accounts";
import { accountInstitutions, claimInstitutionSlot, freeInstitutionSlot, getInstitution, releaseInstitutionSlot } from "../db/institutions";
import { accounts } from "../db/schema";
import { DomainError } from "../domain/errors";
import { newAccountId } from "../domain/ids";
import { accountStub, callerOf, sendReply } from "../lib/account-rpc";
import {
  bearerSecurity,
  bodyErrors,
  createRouter,
  errorResponses,
  jsonBody,
  jsonResponse,
  NoFields,
  optionalJsonBody,
} from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { Account, AccountId, CreateAccountBody, listOf, pageLimit } from "./schemas";
import { Instant } from "./date-schemas";

const IdParam = z.object({ id: AccountId });
/** A page boundary: the last account's created_at and id ("newest first", ties broken by id). */
const ACCOUNT_CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)~(acc_[0-9a-z]{20})$/;
const tags = ["accounts"];

const openRoute = createRoute({
  method: "post",
  path: "/accounts",
  tags,
  operationId: "createAccount",
  summary: "Open an account",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Opens an account of a type and currency; credit accounts take a credit limit. At most 50 accounts per user (422).",
  request: { body: jsonBody(CreateAccountBody) },
  responses: { 201: jsonResponse(Account, "The new account"), ...errorResponses(...bodyErrors, 401, 404, 409, 422) },
});

const listRoute = createRoute({
  method: "get",
  path: "/accounts",
  tags,
  operationId: "listAccounts",
  summary: "List your accounts with balances",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Your accounts with their balances and institution_id (null when under no institution), newest first.",
  request: {
    query: z.object({
      limit: pageLimit(50, 50),
      cursor: z
        .string()
        .regex(ACCOUNT_CURSOR, "must be a next_cursor from a previous page")
        .optional()
        .openapi({ description: "next_cursor from the previous page" }),
    }),
  },
  responses: { 200: jsonResponse(listOf(Account), "Accounts, newest first"), ...errorResponses(400, 401) },
});

const getRoute = createRoute({
  method: "get",
  path: "/accounts/{id}",
  tags,
  operationId: "getAccount",
  summary: "Get an account and its balance",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "The account with its posted, pending and available balance.",
  request: { params: IdParam },
  responses: { 200: jsonResponse(Account, "The account"), ...errorResponses(400, 401, 404) },
});

const closeRoute = createRoute({
  method: "post",
  path: "/accounts/{id}/close",
  tags,
  operationId: "closeAccount",
  summary: "Close an account (zero balance only)",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Closes an account whose balance is zero and which has no pending transfer (otherwise 422). The body is optional and has no fields.",
  request: { params: IdParam, body: optionalJsonBody(NoFields) },
  responses: { 200: jsonResponse(Account, "The closed account"), ...errorResponses(...bodyErrors, 401, 404, 422) },
});

const balanceRoute = createRoute({
  method: "get",
  path: "/accounts/{id}/balance",
  tags,
  operationId: "getAccountBalance",
  summary: "Posted balance at a point in (event) time",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "The posted balance at an instant of event time (default: now), and how many entries it counts.",
  request: { params: IdParam, query: z.object({ at: Instant.optional() }) },
  responses: {
    200: jsonResponse(
      z.object({
        object: z.literal("balance"),
        account_id: z.string(),
        currency: z.string(),
        at: z.string(),
        posted: z.number().int(),
        entries: z.number().int(),
      }),
      "Balance",
    ),
    ...errorResponses(400, 401, 404),
  },
});

const verifyRoute = createRoute({
  method: "get",
  path: "/accounts/{id}/verify",
  tags,
  operationId: "verifyAccount",
  summary: "Verify the journal's hash chain",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Recomputes the journal's hash chain from the first entry and reports the first entry that does not match.",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(
      z.object({ ok: z.boolean(), entries: z.number().int(), head_hash: z.string(), first_invalid_seq: z.number().int().nullable() }),
      "Verification",
    ),
    ...errorResponses(400, 401, 404),
  },
});

/**
 * Put the new account (its registry row reserved) under its institution; an
 * unknown institution is a 404 and a second account of a type where the
 * institution allows one is a 409, each giving the reservation back.
 */
async function claimInstitution(db: D1Database, institutionId: string, accountId: string, userId: string, type: string): Promise<string> {
  const inst = await getInstitution(db, institutionId);
  const claimed =
    inst && (await claimInstitutionSlot(db, inst, { accountId, userId, accountType: type, createdAt: new Date().toISOString() }));
  if (claimed) return institutionId;
  await releaseAccount(db, accountId);
  if (!inst) throw new DomainError("not_found", "Institution not found");
  throw new DomainError("conflict", `${inst.name} allows one ${type} account per customer, and you have one there`, {
    institution_id: institutionId,
    type,
  });
}

export const accountsRouter = createRouter()
  .openapi(openRoute, async (c) => {
    const body = c.req.valid("json");
    const caller = callerOf(c);
    const id = newAccountId();
    // The registry row is claimed first, atomically under the cap; the account's
    // own record (name, limit, created_at) is the Durable Object's reply.
    const reserved = await reserveAccount(c.env.DB, {
      id,
      userId: caller.userId,
      type: body.type,
      currency: body.currency,
      name: body.name,
      creditLimit: body.credit_limit ?? 0,
      createdAt: new Date().toISOString(),
    });
    if (!reserved) throw new DomainError("unprocessable", `At most ${MAX_ACCOUNTS_PER_USER} accounts per user`);
    const institution = body.institution_id ? await claimInstitution(c.env.DB, body.institution_id, id, caller.userId, body.type) : null;
    const reply = await accountStub(c.env, id).open({
      accountId: id,
      userId: caller.userId,
      type: body.type,
      currency: body.currency,
      name: body.name,
      creditLimit: body.credit_limit ?? 0,
      requestId: caller.requestId,
    });
    if (!reply.ok) {
      await releaseAccount(c.env.DB, id);
      if (institution) await releaseInstitutionSlot(c.env.DB, id);
    }
    if (!institution || !reply.ok) return sendReply(reply);
    return sendReply<unknown>({ ...reply, value: { ...reply.value, institution_id: institution } });
  })
  .openapi(listRoute, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const caller = callerOf(c);
    const after = cursor ? ACCOUNT_CURSOR.exec(cursor) : null;
    const rows = await drizzle(c.env.DB)
      .select({ id: accounts.id, createdAt: accounts.createdAt })
      .from(accounts)
      .where(
        and(
          eq(accounts.userId, caller.userId),
          after ? or(lt(accounts.createdAt, after[1]!), and(eq(accounts.createdAt, after[1]!), lt(accounts.id, after[2]!))) : undefined,
        ),
      )
      .orderBy(desc(accounts.createdAt), desc(accounts.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const [replies, homes] = await Promise.all([
      Promise.all(page.map((r) => accountStub(c.env, r.id).get(caller))),
      accountInstitutions(c.env.DB, caller.userId),
    ]);
    const data = replies.flatMap((r) => (r.ok ? [{ ...r.value, institution_id: homes.get(r.value.id) ?? null }] : []));
    return c.json(
      {
        object: "list" as const,
        data,
        has_more: rows.length > limit,
        next_cursor: rows.length > limit && last ? `${last.createdAt}~${last.id}` : null,
      },
      200,
    );
  })
  .openapi(getRoute, async (c) => sendReply(await accountStub(c.env, c.req.valid("param").id).get(callerOf(c))))
  .openapi(closeRoute, async (c) => {
    const { id } = c.req.valid("param");
    const reply = await accountStub(c.env, id).close(callerOf(c));
    if (reply.ok) {
      await drizzle(c.env.DB).update(accounts).set({ status: "closed", closedAt: new Date().toISOString() }).where(eq(accounts.id, id));
      await freeInstitutionSlot(c.env.DB, id);
    }
    return sendReply(reply);
  })
  .openapi(balanceRoute, async (c) =>
    sendReply(await accountStub(c.env, c.req.valid("param").id).balanceAt(callerOf(c), c.req.valid("query").at)),
  )
  .openapi(verifyRoute, async (c) => sendReply(await accountStub(c.env, c.req.valid("param").id).verify(callerOf(c))));
