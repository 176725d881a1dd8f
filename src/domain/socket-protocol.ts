/**
 * What every FinEdge WebSocket shares (the price stream and the inbox
 * stream), pure: first-message auth within AUTH_TIMEOUT_MS, the error codes
 * (Alpaca's numbers where one fits) and the close codes (4000 + the error
 * code, in the range RFC 6455 leaves to applications).
 */

export const AUTH_TIMEOUT_MS = 5_000;

export const STREAM_ERRORS = {
  invalid_syntax: { code: 400, msg: "invalid syntax" },
  not_authenticated: { code: 401, msg: "not authenticated" },
  auth_failed: { code: 402, msg: "auth failed" },
  already_authenticated: { code: 403, msg: "already authenticated" },
  auth_timeout: { code: 404, msg: "auth timeout" },
  symbol_limit_exceeded: { code: 405, msg: "symbol limit exceeded" },
  connection_limit_exceeded: { code: 406, msg: "connection limit exceeded" },
  slow_client: { code: 407, msg: "slow client" },
  unknown_symbol: { code: 409, msg: "unknown symbol" },
  /** The session the socket signed in with was revoked (sign-out, sign-out everywhere, a password change). */
  session_revoked: { code: 411, msg: "session revoked" },
  internal_error: { code: 500, msg: "internal error" },
} as const;
export type StreamErrorName = keyof typeof STREAM_ERRORS;

/** The WebSocket close code for an error that ends the connection. */
export const closeCodeOf = (name: StreamErrorName) => 4000 + STREAM_ERRORS[name].code;

export const errorFrame = (name: StreamErrorName, detail?: string) => ({
  T: "error" as const,
  code: STREAM_ERRORS[name].code,
  msg: detail ? `${STREAM_ERRORS[name].msg}: ${detail}` : STREAM_ERRORS[name].msg,
});

/** A client frame's JSON, or the error to answer: text frames of at most 16 KiB only. */
export function parseClientJson(raw: string | ArrayBuffer): { ok: true; json: unknown } | { ok: false; detail: string } {
  if (typeof raw !== "string" || raw.length > 16_384) return { ok: false, detail: "send JSON text frames of at most 16 KiB" };
  try {
    return { ok: true, json: JSON.parse(raw) };
  } catch {
    return { ok: false, detail: "not JSON" };
  }
}
