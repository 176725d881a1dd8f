/**
 * The unread-notification count shown beside "Inbox" in the navigation:
 * loaded from GET /v1/me, then set by the inbox socket's `unread` frames and
 * by the inbox page after it marks notifications read.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client";

let count: number | null = null;
const listeners = new Set<() => void>();

export function setUnread(next: number): void {
  count = next;
  for (const l of listeners) l();
}

/** Re-reads the count from /v1/me (errors leave the badge as it is). */
export async function refreshUnread(): Promise<void> {
  const { data } = await api.GET("/v1/me");
  if (data) setUnread(data.unread_notifications);
}

/** The count (null until known); reloads it whenever `userId` changes. */
export function useUnread(userId: string | undefined): number | null {
  const [value, setValue] = useState(count);
  useEffect(() => {
    const update = () => setValue(count);
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  useEffect(() => {
    if (userId) void refreshUnread().catch(() => undefined);
  }, [userId]);
  return userId ? value : null;
}
