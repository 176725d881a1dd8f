/** /v1/me: the caller's own user record, found by the access token's `sub` and nothing else. */
import { createRoute } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import { findUserById, publicUser } from "../auth/users";
import { DomainError } from "../domain/errors";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { UserSchema } from "./identity-schemas";

const meRoute = createRoute({
  method: "get",
  path: "/me",
  tags: ["auth"],
  operationId: "getMe",
  description: "The user named by the access token's subject.",
  summary: "The authenticated user",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  responses: { 200: jsonResponse(UserSchema, "The user"), ...errorResponses(401) },
});

export const meRouter = createRouter().openapi(meRoute, async (c) => {
  const user = await findUserById(drizzle(c.env.DB), c.get("principal").userId);
  // A valid token whose user is gone no longer identifies anyone.
  if (!user) throw new DomainError("unauthorized", "A valid bearer access token is required");
  return c.json(publicUser(user), 200);
});
