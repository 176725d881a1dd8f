/**
 * The UserDO's SQLite schema: one object per user, holding what belongs to
 * the person rather than to one account. V1: sign-in sessions and the user's
 * status. (The notification inbox comes as a later version.) Forward-only: a
 * new version appends statements, never edits old ones.
 */

const V1 = [
  // One row per live session (a refresh-token family); revoking deletes it.
  `CREATE TABLE sessions (id TEXT PRIMARY KEY, opened_at INTEGER NOT NULL, expires_at INTEGER NOT NULL)`,
  `CREATE INDEX sessions_opened ON sessions (opened_at)`,
  // A single row once the user is disabled.
  `CREATE TABLE user_status (id INTEGER PRIMARY KEY CHECK (id = 1), disabled_at INTEGER NOT NULL)`,
];

export const MIGRATIONS: string[][] = [V1];

/** Whether this object was ever written; a read must not create storage for it. */
export function hasSchema(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").toArray().length > 0;
}

export function migrate(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const row = sql.exec<{ version: number }>("SELECT version FROM schema_version").toArray()[0];
  const current = row?.version ?? 0;
  for (let v = current; v < MIGRATIONS.length; v++) {
    for (const stmt of MIGRATIONS[v]!) sql.exec(stmt);
  }
  if (!row) sql.exec("INSERT INTO schema_version (version) VALUES (?)", MIGRATIONS.length);
  else if (current !== MIGRATIONS.length) sql.exec("UPDATE schema_version SET version = ?", MIGRATIONS.length);
}
