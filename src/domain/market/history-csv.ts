/**
 * Yahoo Finance's daily history CSV (`Date,Open,High,Low,Close,Adj Close,Volume`)
 * as daily bars. Rows whose values are `null` (Yahoo's holidays and gaps) are
 * skipped; rows may come newest-first or oldest-first; any other malformed row
 * refuses the whole file with its line number, so an import is all or nothing.
 */
import { parseScaled, PRICE_DECIMALS, parseScaledBig, QTY_DECIMALS } from "./decimal";

/** A daily bar from a file: prices at PRICE_SCALE, volume at QTY_SCALE as a bigint (real volumes pass 2^53 at that scale). */
export interface HistoryBar {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: bigint;
}

export const YAHOO_HEADER = "Date,Open,High,Low,Close,Adj Close,Volume";
export const MAX_HISTORY_ROWS = 5_000;

export type HistoryParse = { ok: true; bars: HistoryBar[]; skipped: number } | { ok: false; line: number; reason: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayStart(text: string): number | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === text && Number(m[1]) >= 1970 && Number(m[1]) <= 2100 ? t : null;
}

/** Daily bars (t = the day's 00:00 UTC, prices at PRICE_SCALE, volume at QTY_SCALE) in ascending order. */
export function parseYahooCsv(text: string, pricePrecision: number): HistoryParse {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0]?.trim() !== YAHOO_HEADER) return { ok: false, line: 1, reason: `the header must be exactly ${YAHOO_HEADER}` };
  const bars: HistoryBar[] = [];
  const seen = new Set<number>();
  let skipped = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    const cells = line.split(",");
    if (cells.length !== 7) return { ok: false, line: i + 1, reason: "a row has 7 comma-separated values" };
    const [date, ...values] = cells as [string, ...string[]];
    const t = dayStart(date);
    if (t === null) return { ok: false, line: i + 1, reason: "Date must be a calendar date YYYY-MM-DD" };
    if (values.some((v) => v === "null")) {
      skipped += 1;
      continue;
    }
    const [o, h, l, c] = values.slice(0, 4).map((v) => parseScaled(v, pricePrecision));
    // Adj Close is not stored (bars are unadjusted), but it must still be a number.
    const adj = parseScaled(values[4]!, PRICE_DECIMALS);
    const v = parseScaledBig(values[5]!, QTY_DECIMALS);
    if (o == null || h == null || l == null || c == null || adj == null)
      return { ok: false, line: i + 1, reason: `prices must be non-negative decimals with at most ${pricePrecision} places` };
    if (v == null) return { ok: false, line: i + 1, reason: "Volume must be a non-negative whole or decimal number" };
    const scale = 10 ** (PRICE_DECIMALS - pricePrecision);
    const bar = { t, o: o * scale, h: h * scale, l: l * scale, c: c * scale, v };
    if (bar.o <= 0 || bar.l <= 0 || bar.h < Math.max(bar.o, bar.c, bar.l) || bar.l > Math.min(bar.o, bar.c))
      return { ok: false, line: i + 1, reason: "prices must be positive with Low ≤ Open, Close ≤ High" };
    if (seen.has(t)) return { ok: false, line: i + 1, reason: `${date} appears twice` };
    seen.add(t);
    bars.push(bar);
    if (bars.length > MAX_HISTORY_ROWS) return { ok: false, line: i + 1, reason: `at most ${MAX_HISTORY_ROWS} rows per import` };
  }
  bars.sort((a, b) => a.t - b.t);
  return { ok: true, bars, skipped };
}
