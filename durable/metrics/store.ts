/**
 * The MetricsDO's state: every isolate's deltas merged into one MetricSet,
 * kept in memory and written through to SQLite (one row per series), so the
 * totals survive the object's eviction and restarts.
 */
import { MetricSet, type SeriesDelta, seriesKey } from "../../src/domain/metrics/series";
import { runMigrations } from "../sqlite-migrations";

const V1 = ["CREATE TABLE metric_series (key TEXT PRIMARY KEY, series TEXT NOT NULL) WITHOUT ROWID"];

export class MetricStore {
  readonly #sql: SqlStorage;
  readonly #set = new MetricSet(5000);

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    runMigrations(sql, [V1]);
    const rows = sql.exec<{ series: string }>("SELECT series FROM metric_series").toArray();
    this.#set.merge(rows.map((r) => JSON.parse(r.series) as SeriesDelta));
  }

  add(deltas: SeriesDelta[]): void {
    this.#set.merge(deltas);
    const touched = new Set(deltas.map((d) => seriesKey(d.name, d.labels)));
    for (const s of this.#set.all()) {
      const key = seriesKey(s.name, s.labels);
      if (touched.has(key)) this.#sql.exec("INSERT OR REPLACE INTO metric_series (key, series) VALUES (?, ?)", key, JSON.stringify(s));
    }
  }

  snapshot(): { series: SeriesDelta[]; dropped: number } {
    return { series: this.#set.all(), dropped: this.#set.dropped };
  }
}
