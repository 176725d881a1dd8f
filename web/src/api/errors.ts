/** The API's error envelope as a thrown value, so pages can show `message` and branch on `code` / `status`. */
import type { ApiErrorBody } from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** openapi-fetch's `{data, error, response}` → the data, or an ApiError. */
export function unwrap<T>(r: { data?: T; error?: unknown; response: Response }): T {
  if (r.error !== undefined || !r.response.ok) {
    const body = r.error as Partial<ApiErrorBody> | undefined;
    const e = body?.error;
    throw new ApiError(r.response.status, e?.code ?? "http_error", e?.message ?? `HTTP ${r.response.status}`, e?.details);
  }
  return r.data as T;
}

interface Issue {
  path?: string;
  message?: string;
}

/** The first few field issues of a validation error, as "field: message". */
function issueText(details: unknown): string {
  const issues = (details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return "";
  return (issues as Issue[])
    .slice(0, 3)
    .filter((i) => typeof i.message === "string")
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join("; ");
}

/** What a page shows for a failure: the API's message, with the fields a validation error names. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = issueText(err.details);
    return fields ? `${err.message}: ${fields}` : err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
