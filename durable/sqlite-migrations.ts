/**
 * Forward-only schema versions for a Durable Object's SQLite storage: each
 * version is a list of statements, applied once, in order; `schema_version`
 * holds how many are applied. Shared by every Durable Object class.
 */

/** Whether this object was ever written; probing an unknown id must not create storage for it. */
export function hasSchema(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").toArray().length > 0;
}

/** Applies the versions not applied yet (a version's statements are never edited once shipped). */
export function runMigrations(sql: SqlStorage, migrations: readonly (readonly string[])[]): void {
  sql.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const row = sql.exec<{ version: number }>("SELECT version FROM schema_version").toArray()[0];
  const current = row?.version ?? 0;
  for (let v = current; v < migrations.length; v++) {
    for (const stmt of migrations[v]!) sql.exec(stmt);
  }
  if (!row) sql.exec("INSERT INTO schema_version (version) VALUES (?)", migrations.length);
  else if (current !== migrations.length) sql.exec("UPDATE schema_version SET version = ?", migrations.length);
}
