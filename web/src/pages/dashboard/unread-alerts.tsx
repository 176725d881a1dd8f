/** The dashboard's "Unread alerts" panel: the newest unread notifications (UNREAD_SHOWN of them) and a link to the inbox. */
import type { Notification } from "../../api/types";
import { Link } from "../../components/link";
import { formatAgo } from "../../lib/dates";

export const UNREAD_SHOWN = 5;

export function UnreadAlerts({ items, total }: { items: Notification[]; total: number }) {
  return (
    <section class="card" aria-labelledby="h-unread" data-testid="unread-alerts">
      <h2 id="h-unread">Unread alerts</h2>
      {items.length === 0 ? (
        <p class="muted">No unread alerts. You are all caught up.</p>
      ) : (
        <ul class="inbox-list">
          {items.map((n) => (
            <li key={n.id} class="inbox-item unread" data-testid="unread-alert">
              <strong>{n.title}</strong> <span class="muted">{formatAgo(n.created_at)}</span>
              <p>{n.body}</p>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link href="/inbox">{total > items.length ? `Open the inbox (${total} unread)` : "Open the inbox"}</Link>
      </p>
    </section>
  );
}
