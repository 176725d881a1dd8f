/** /v1/me: the caller's own user record, found by the access token's `sub` and nothing else. */
import { createRoute, z } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import { userObject } from "../auth/sessions";
import { findUserById, publicUser } from "../auth/users";
import { DomainError } from "../domain/errors";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { UserSchema } from "./identity-schemas";

const MeSchema = UserSchema.extend({
  unread_notifications: z.number().int().nonnegative().openapi({ description: "Unread notifications in the inbox" }),
}).openapi("Me");

const meRoute = createRoute({
  method: "get",
  path: "/me",
  tags: ["auth"],
  operationId: "getMe",
  description: "The user named by the access token's subject.",
  summary: "The authenticated user",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  responses: { 200: jsonResponse(MeSchema, "The user, with the inbox's unread count"), ...errorResponses(401) },
});

export const meRouter = createRouter().openapi(meRoute, async (c) => {
  const userId = c.get("principal").userId;
  const [user, unread] = await Promise.all([findUserById(drizzle(c.env.DB), userId), userObject(c.env, userId).unreadNotificationCount()]);
  // A valid token whose user is gone no longer identifies anyone.
  if (!user) throw new DomainError("unauthorized", "A valid bearer access token is required");
  return c.json({ ...publicUser(user), unread_notifications: unread }, 200);
});
