/**
 * Bulk D1 statements bind one JSON array and read it with `json_each`, so a
 * statement carries any number of rows with 1–2 bound parameters (D1 allows
 * 100) while each bound value stays far below D1's 2 MB value limit.
 */

export const MAX_JSON_PARAM_BYTES = 1_500_000;

/** Rows serialized into JSON arrays of at most `maxBytes` characters each. */
export function jsonChunks(rows: readonly unknown[], maxBytes = MAX_JSON_PARAM_BYTES): string[] {
  return joinJsonChunks(
    rows.map((row) => JSON.stringify(row)),
    maxBytes,
  );
}

/** Already-serialized rows joined into JSON arrays of at most `maxBytes` characters each. */
export function joinJsonChunks(serialized: readonly string[], maxBytes = MAX_JSON_PARAM_BYTES): string[] {
  const out: string[] = [];
  let parts: string[] = [];
  let size = 2;
  for (const s of serialized) {
    if (parts.length > 0 && size + s.length + 1 > maxBytes) {
      out.push(`[${parts.join(",")}]`);
      parts = [];
      size = 2;
    }
    parts.push(s);
    size += s.length + 1;
  }
  if (parts.length > 0) out.push(`[${parts.join(",")}]`);
  return out;
}

/** `value->>'$[0]', value->>'$[1]', …` for a row tuple of `n` columns. */
export function tupleColumns(n: number): string {
  return Array.from({ length: n }, (_, i) => `value->>'$[${i}]'`).join(", ");
}
