/**
 * The UserDO's SQLite schema: one object per user, holding what belongs to
 * the person rather than to one account. V1: sign-in sessions and the user's
 * status. (The notification inbox comes as a later version.) Forward-only: a
 * new version appends statements, never edits old ones.
 */
import { hasSchema, runMigrations } from "../sqlite-migrations";

const V1 = [
  // One row per live session (a refresh-token family); revoking deletes it.
  `CREATE TABLE sessions (id TEXT PRIMARY KEY, opened_at INTEGER NOT NULL, expires_at INTEGER NOT NULL)`,
  `CREATE INDEX sessions_opened ON sessions (opened_at)`,
  // A single row once the user is disabled.
  `CREATE TABLE user_status (id INTEGER PRIMARY KEY CHECK (id = 1), disabled_at INTEGER NOT NULL)`,
];

export const MIGRATIONS: string[][] = [V1];

export { hasSchema };

export function migrate(sql: SqlStorage): void {
  runMigrations(sql, MIGRATIONS);
}
