/** D1 tables for identity: users, rotating refresh tokens, login throttling, the role audit log. */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name"),
  /** Self-describing: `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`. */
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["user", "admin", "feeder"] })
    .notNull()
    .default("user"),
  createdAt: text("created_at").notNull(),
});

export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    familyId: text("family_id").notNull(),
    /** SHA-256 of the opaque token; the token itself is never stored. */
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    rotatedAt: text("rotated_at"),
    revokedAt: text("revoked_at"),
  },
  (t) => [index("refresh_tokens_family_idx").on(t.familyId), index("refresh_tokens_user_idx").on(t.userId)],
);

/**
 * Login throttling (src/auth/login-throttle.ts): one row per client
 * (`ip:<address or /64>`) and per client and email (`pair:<client> <email>`),
 * never per email alone, so a stranger can slow only their own attempts.
 * Rows are pruned once their window is over and capped in number.
 */
export const loginAttempts = sqliteTable(
  "login_attempts",
  {
    key: text("key").primaryKey(),
    failures: integer("failures").notNull().default(0),
    windowStartedAt: integer("window_started_at").notNull(),
    lockedUntil: integer("locked_until").notNull().default(0),
  },
  (t) => [index("login_attempts_window_idx").on(t.windowStartedAt)],
);

/**
 * Every grant and revocation of a role, appended by the operator command
 * (src/auth/role-grants.ts) in the same execution that updates `users.role`.
 */
export const roleGrants = sqliteTable(
  "role_grants",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id").notNull(),
    role: text("role", { enum: ["admin", "feeder"] }).notNull(),
    action: text("action", { enum: ["grant", "revoke"] }).notNull(),
    actor: text("actor").notNull(),
    reason: text("reason").notNull(),
    at: text("at").notNull(),
  },
  (t) => [index("role_grants_user_idx").on(t.userId, t.id)],
);
