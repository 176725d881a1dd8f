/**
 * The inbox stream's wire protocol (GET /v1/notifications/stream), pure:
 * first-message auth as on the price stream (src/domain/socket-protocol.ts),
 * then `resume` to catch up after the last notification id a client saw.
 */
import { z } from "zod";
import { parseClientJson, type StreamErrorName } from "../socket-protocol";

/** Notifications sent per frame when a socket catches up. */
export const RESUME_FRAME_SIZE = 100;
/** Sockets a user's inbox holds before they authenticate; more are refused (4406). */
export const MAX_PENDING_SOCKETS = 20;

const NotificationId = z.string().regex(/^ntf_\d{12}$/, "a notification id (ntf_ and 12 digits)");

const ClientMessage = z.discriminatedUnion("action", [
  z.object({ action: z.literal("auth"), token: z.string().min(1).max(4096) }).strict(),
  z.object({ action: z.literal("resume"), after: NotificationId.nullable() }).strict(),
]);
export type InboxClientMessage = z.infer<typeof ClientMessage>;

export type ParsedInboxMessage = { ok: true; message: InboxClientMessage } | { ok: false; error: StreamErrorName; detail?: string };

export function parseInboxMessage(raw: string | ArrayBuffer): ParsedInboxMessage {
  const text = parseClientJson(raw);
  if (!text.ok) return { ok: false, error: "invalid_syntax", detail: text.detail };
  const parsed = ClientMessage.safeParse(text.json);
  if (!parsed.success) return { ok: false, error: "invalid_syntax", detail: parsed.error.issues[0]?.message };
  return { ok: true, message: parsed.data };
}
