/**
 * The UserDO's storage, created on the first write only: a read of a user
 * who was never written (a probe of an unknown id) must not create storage.
 */
import { hasSchema, migrate } from "./schema";

export class LazySql {
  readonly #sql: SqlStorage;
  #ready: boolean;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.#ready = hasSchema(sql);
  }

  /** The storage when it exists (for reads), else null. */
  get readable(): SqlStorage | null {
    if (!this.#ready && hasSchema(this.#sql)) this.#ready = true;
    return this.#ready ? this.#sql : null;
  }

  /** The storage, migrated to the current version. */
  writable(): SqlStorage {
    if (!this.#ready) {
      migrate(this.#sql);
      this.#ready = true;
    }
    return this.#sql;
  }
}
