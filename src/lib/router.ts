/**
 * Every resource router is an OpenAPIHono whose failed validation answers the
 * standard 400 envelope, so the schema that documents a route also guards it.
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { errorResponse } from "../middleware/errors";
import type { AppEnv } from "../types";

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message, code: i.code }));
        return errorResponse(c as Context<AppEnv>, "validation_error", "Request validation failed", { target: result.target, issues });
      }
    },
  });
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_error" }),
      message: z.string(),
      request_id: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

/** Standard error responses, spread into each route's `responses`. */
export function errorResponses(...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503)[]) {
  const out: Record<number, { description: string; content: { "application/json": { schema: typeof ErrorSchema } } }> = {};
  for (const s of statuses) out[s] = { description: "Error", content: { "application/json": { schema: ErrorSchema } } };
  return out;
}

export const jsonBody = <T extends z.ZodType>(schema: T, description = "Request body") => ({
  required: true,
  description,
  content: { "application/json": { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const bearerSecurity = [{ bearerAuth: [] as string[] }];
