/**
 * Request and response schemas of the identity routes: the same zod objects
 * validate the bodies and document them in /openapi.json.
 */
import { z } from "@hono/zod-openapi";
import { text } from "./text-schemas";

export const UserSchema = z
  .object({
    id: z.string().openapi({ example: "usr_0123456789abcdefghjk" }),
    email: z.string().openapi({ example: "ada@example.com" }),
    name: z.string().nullable(),
    role: z.enum(["user", "admin", "feeder"]),
    created_at: z.string().openapi({ example: "2026-01-01T00:00:00.000Z" }),
  })
  .openapi("User");

export const SessionSchema = z
  .object({
    user: UserSchema,
    access_token: z.string(),
    refresh_token: z.string().optional().openapi({
      description:
        "The rotating refresh token; absent when the client sent `X-Refresh-Cookie: 1`, which sets it as an HttpOnly cookie instead",
    }),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().openapi({ description: "Access token lifetime in seconds", example: 900 }),
  })
  .openapi("Session");

// Lowercased before the format check so one mailbox is one account.
const Email = z.string().trim().toLowerCase().max(254).email().openapi({ example: "ada@example.com" });

// The rules of a new password, one place for sign-up and change.
const NewPassword = z.string().min(10).max(128).openapi({ example: "correct horse battery staple" });

export const RegisterBodySchema = z
  .object({
    email: Email,
    password: NewPassword,
    name: text(100).optional(),
  })
  .strict()
  .openapi("RegisterRequest");

// Login accepts any bounded string: a malformed address simply matches no user.
export const LoginBodySchema = z
  .object({
    email: z.string().trim().toLowerCase().min(1).max(254).openapi({ example: "ada@example.com" }),
    password: z.string().min(1).max(1024),
  })
  .strict()
  .openapi("LoginRequest");

export const RefreshBodySchema = z
  .object({
    refresh_token: z.string().min(1).max(512).optional().openapi({
      description:
        "Required unless the refresh token is in its HttpOnly cookie (refresh) or the session is the access token's own (logout)",
    }),
  })
  .strict()
  .openapi("RefreshRequest");

export const ChangePasswordBodySchema = z
  .object({
    current_password: z.string().min(1).max(1024).openapi({ example: "correct horse battery staple" }),
    new_password: NewPassword.openapi({ example: "a different horse, battery stapled" }),
  })
  .strict()
  .refine((b) => b.current_password !== b.new_password, { message: "must differ from the current password", path: ["new_password"] })
  .openapi("ChangePasswordRequest");

export const PasswordChangedSchema = z
  .object({
    changed_at: z.string().openapi({ example: "2026-12-03T07:30:00.000Z" }),
    revoked_sessions: z.number().int().nonnegative().openapi({ description: "Your other sessions, now signed out", example: 2 }),
  })
  .openapi("PasswordChanged");
