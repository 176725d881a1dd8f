/**
 * Customers (FinLens): the caller's profile (`/v1/me/profile`), the banks
 * they hold accounts or payees at (`/v1/me/institutions`) and one view of
 * their accounts, banks and latest transactions (`/v1/me/banking`); for
 * admins, customers listed and filtered and the same view of any customer.
 * The national id is kept as a keyed hash and its last 4, shown masked.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Caller } from "../../durable/account/api";
import { accountIdsOf } from "../db/accounts";
import { listCustomers, type ProfileChange, type ProfileRow, profileOf, upsertProfile, userExists } from "../db/customers";
import { accountInstitutions, institutionsOfUser } from "../db/institutions";
import { DomainError } from "../domain/errors";
import { accountStub, callerOf } from "../lib/account-rpc";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { newestFirst, okPages } from "../lib/merge-pages";
import { masked, piiHash } from "../lib/pii";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { requireAdmin, requireAuth } from "../middleware/auth";
import { AccountTransaction } from "./activity-schemas";
import { Customer, CustomerQuery, Institution, Profile, ProfileBody, UserParam } from "./institution-schemas";
import { institutionView } from "./institutions";
import { Account, listOf } from "./schemas";

const tags = ["customers"];
const RECENT_TRANSACTIONS = 20;

const Banking = z
  .object({
    object: z.literal("customer_banking"),
    user_id: z.string(),
    profile: Profile,
    institutions: z.array(Institution),
    accounts: z.array(Account.extend({ institution_id: z.string().nullable() })),
    recent_transactions: z
      .array(AccountTransaction)
      .openapi({ description: `The latest ${RECENT_TRANSACTIONS} across all accounts, newest first` }),
  })
  .openapi("CustomerBanking");

const me = <M extends "get" | "patch", P extends string>(path: P, method: M, operationId: string, summary: string) => ({
  method,
  path,
  tags,
  operationId,
  summary,
  security: bearerSecurity,
  middleware: [requireAuth()],
});

const getProfile = createRoute({
  ...me("/me/profile", "get", "getProfile", "Your customer profile"),
  description:
    "Your name, contact details, address and location as FinLens keeps them; the national id is only ever shown masked (last 4).",
  responses: { 200: jsonResponse(Profile, "The profile (all fields null until set)"), ...errorResponses(401) },
});

const patchProfile = createRoute({
  ...me("/me/profile", "patch", "updateProfile", "Change your customer profile"),
  description:
    "Only the fields given change; null clears one. national_id must be a PAN (validated); it is stored as a keyed hash and shown masked.",
  request: { body: jsonBody(ProfileBody) },
  responses: { 200: jsonResponse(Profile, "The profile"), ...errorResponses(...bodyErrors, 401) },
});

const myInstitutions = createRoute({
  ...me("/me/institutions", "get", "listMyInstitutions", "The institutions you hold accounts or payees at"),
  description: "Every institution one of your accounts or payees belongs to, by name.",
  responses: { 200: jsonResponse(z.object({ object: z.literal("list"), data: z.array(Institution) }), "By name"), ...errorResponses(401) },
});

const myBanking = createRoute({
  ...me("/me/banking", "get", "getMyBanking", "Your accounts, banks and latest transactions in one view"),
  description: "Your accounts with their institutions and your latest transactions across them: the customer view FinLens shows, for you.",
  responses: { 200: jsonResponse(Banking, "The view"), ...errorResponses(401) },
});

const listCustomersRoute = createRoute({
  method: "get",
  path: "/admin/customers",
  tags: ["admin"],
  operationId: "listCustomers",
  summary: "List customers (admin): filter by profile name, email or national id",
  description:
    "Admin only. Customers with a profile, filtered by name or email substring or by national id (matched through its keyed hash, never stored in the clear); the national id is shown masked. Keyset cursor.",
  security: bearerSecurity,
  middleware: [requireAuth(), requireAdmin()] as const,
  request: { query: CustomerQuery },
  responses: { 200: jsonResponse(listOf(Customer), "A page of customers by user id"), ...errorResponses(400, 401, 403) },
});

const customerBanking = createRoute({
  method: "get",
  path: "/customers/{id}/banking",
  tags: ["admin"],
  operationId: "getCustomerBanking",
  summary: "A customer's accounts, banks and latest transactions (admin)",
  description:
    "Admin only. The customer's accounts, the institutions they bank with and their latest transactions in one view; the same view the user gets at /v1/me/banking.",
  security: bearerSecurity,
  middleware: [requireAuth(), requireAdmin()] as const,
  request: { params: UserParam },
  responses: { 200: jsonResponse(Banking, "The view"), ...errorResponses(400, 401, 403, 404) },
});

export function profileView(userId: string, r: ProfileRow | null): z.infer<typeof Profile> {
  return {
    object: "customer_profile",
    user_id: userId,
    name: r?.name ?? null,
    national_id_masked: r?.nationalIdLast4 ? masked(r.nationalIdLast4) : null,
    email: r?.email ?? null,
    phone: r?.phone ?? null,
    address: r?.address ?? null,
    latitude: r?.latitude ?? null,
    longitude: r?.longitude ?? null,
    updated_at: r?.updatedAt ?? null,
  };
}

/** The one view, read as the customer (the edge authorized the caller to see it). */
async function banking(env: Env, caller: Caller) {
  const userId = caller.userId;
  const [ids, profile, banks, homes] = await Promise.all([
    accountIdsOf(env.DB, userId),
    profileOf(env.DB, userId),
    institutionsOfUser(env.DB, userId),
    accountInstitutions(env.DB, userId),
  ]);
  const [views, pages] = await Promise.all([
    Promise.all(ids.map((id) => accountStub(env, id).get(caller))),
    Promise.all(ids.map((id) => accountStub(env, id).listTransactions(caller, { limit: RECENT_TRANSACTIONS }))),
  ]);
  const accounts = okPages(views).map((a) => ({ ...a, institution_id: homes.get(a.id) ?? null }));
  const lines = okPages(pages).flatMap((p, i) => p.data.map((e) => ({ ...e, account_id: ids[i]! })));
  const recent = newestFirst(lines, (r) => [r.recorded_at, r.account_id, r.seq], RECENT_TRANSACTIONS, []).data;
  return {
    object: "customer_banking" as const,
    user_id: userId,
    profile: profileView(userId, profile),
    institutions: banks.map(institutionView),
    accounts,
    recent_transactions: recent,
  };
}

export const customersRouter = createRouter()
  .openapi(getProfile, async (c) => {
    const userId = c.get("principal").userId;
    return c.json(profileView(userId, await profileOf(c.env.DB, userId)), 200);
  })
  .openapi(patchProfile, async (c) => {
    const { national_id, ...rest } = c.req.valid("json");
    const userId = c.get("principal").userId;
    const change: ProfileChange = { ...rest };
    if (national_id === null) Object.assign(change, { nationalIdHash: null, nationalIdLast4: null });
    else if (national_id !== undefined)
      Object.assign(change, {
        nationalIdHash: await piiHash(c.get("config").pepper, "national_id", national_id),
        nationalIdLast4: national_id.slice(-4),
      });
    const row = await upsertProfile(c.env.DB, userId, change, new Date().toISOString());
    return c.json(profileView(userId, row), 200);
  })
  .openapi(myInstitutions, async (c) => {
    const rows = await institutionsOfUser(c.env.DB, c.get("principal").userId);
    return c.json({ object: "list" as const, data: rows.map(institutionView) }, 200);
  })
  .openapi(myBanking, async (c) => c.json(await banking(c.env, callerOf(c)), 200))
  .openapi(listCustomersRoute, async (c) => {
    const { name, email, national_id, limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, z.object({ u: z.string().max(40) }));
    const nationalIdHash = national_id ? await piiHash(c.get("config").pepper, "national_id", national_id) : undefined;
    const rows = await listCustomers(c.env.DB, { name, email, nationalIdHash, limit: limit + 1, afterUserId: after?.u ?? null });
    const data = rows.slice(0, limit).map((r) => ({
      user_id: r.userId,
      email: r.email,
      role: r.role,
      created_at: r.createdAt,
      profile: r.profile ? profileView(r.userId, r.profile) : null,
    }));
    const last = rows.length > limit ? data[data.length - 1] : undefined;
    return c.json({ object: "list" as const, data, has_more: !!last, next_cursor: last ? encodeCursor({ u: last.user_id }) : null }, 200);
  })
  .openapi(customerBanking, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await userExists(c.env.DB, id))) throw new DomainError("not_found", "Customer not found");
    return c.json(await banking(c.env, { userId: id, requestId: c.get("requestId") }), 200);
  });
