/**
 * The closed list of error codes FinEdge answers with, and the one place that
 * maps each to an HTTP status. Domain code throws `DomainError`; the edge turns
 * it into the `{ error: { code, message, request_id, details? } }` envelope.
 */

export const ERROR_STATUS = {
  validation_error: 400,
  invalid_json: 400,
  idempotency_key_required: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  insufficient_buying_power: 403,
  insufficient_qty: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  idempotency_in_progress: 409,
  email_taken: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  idempotency_key_reused: 422,
  insufficient_funds: 422,
  account_closed: 422,
  account_not_empty: 422,
  currency_mismatch: 422,
  transfer_rejected: 422,
  invalid_state: 422,
  already_reversed: 422,
  not_brokerage: 422,
  market_closed: 422,
  self_modification: 422,
  rate_limited: 429,
  internal_error: 500,
  misconfigured: 503,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "DomainError";
  }

  get status(): number {
    return statusOf(this.code);
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; request_id: string; details?: unknown };
}

export function errorBody(code: ErrorCode, message: string, requestId: string, details?: unknown): ErrorBody {
  const error: ErrorBody["error"] = { code, message, request_id: requestId };
  if (details !== undefined) error.details = details;
  return { error };
}
