/** Rejects request bodies over 64 KiB with 413 before anything parses them. */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../types";
import { errorResponse } from "./errors";

export const MAX_BODY_BYTES = 64 * 1024;

export function limitBody(): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => errorResponse(c as never, "payload_too_large", `Request body exceeds ${MAX_BODY_BYTES} bytes`),
  }) as MiddlewareHandler<AppEnv>;
}
