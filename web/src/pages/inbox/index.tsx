/**
 * The inbox: your notifications, newest first, unread ones marked; mark one
 * or all read, show unread only. Live: new notifications arrive over the
 * inbox socket (lib/inbox-socket.ts) and are put on top without a reload.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../../api/client";
import { errorMessage, unwrap } from "../../api/errors";
import type { Notification } from "../../api/types";
import { Link } from "../../components/link";
import { ErrorNote, Loading } from "../../components/status";
import { formatDateTime } from "../../lib/dates";
import { openInboxSocket } from "../../lib/inbox-socket";
import { refreshUnread, setUnread } from "../../lib/unread";
import type { PageRoute } from "../../router";

const PAGE = 50;

/** Puts `fresh` into `list` (newest first), once per id. */
function merge(list: Notification[], fresh: Notification[]): Notification[] {
  const byId = new Map(list.map((n) => [n.id, n]));
  for (const n of fresh) byId.set(n.id, n);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

function Item({ n, onRead }: { n: Notification; onRead: (id: string) => void }) {
  const unread = n.read_at === null;
  return (
    <li class={unread ? "inbox-item unread" : "inbox-item"} data-testid="notification" data-id={n.id}>
      <div class="inbox-head">
        <strong>{n.title}</strong>
        {unread && (
          <span class="tag" data-testid="unread-mark">
            unread
          </span>
        )}
        <span class="tag">{n.kind.replaceAll("_", " ")}</span>
      </div>
      <p>{n.body}</p>
      <p class="muted">
        <time dateTime={n.created_at}>{formatDateTime(n.created_at)}</time>
        {n.link && (
          <>
            {" · "}
            <Link href={n.link}>Open</Link>
          </>
        )}
      </p>
      {unread && (
        <button type="button" class="secondary" onClick={() => onRead(n.id)} aria-label={`Mark read: ${n.title}`}>
          Mark read
        </button>
      )}
    </li>
  );
}

function InboxPage() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [items, setItems] = useState<Notification[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [live, setLive] = useState(false);
  const newest = useRef<string | null>(null);

  const load = async (after: string | null, only: boolean) => {
    try {
      const query = { limit: PAGE, ...(only ? { unread: "true" as const } : {}), ...(after ? { cursor: after } : {}) };
      const page = unwrap(await api.GET("/v1/notifications", { params: { query } }));
      setUnread(page.unread_count);
      setItems((prev) => merge(after ? (prev ?? []) : [], page.data));
      setCursor(page.has_more ? page.next_cursor : null);
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  };

  useEffect(() => {
    setItems(null);
    void load(null, unreadOnly);
  }, [unreadOnly]);

  useEffect(() => {
    const top = items?.[0]?.id;
    if (top && (!newest.current || top > newest.current)) newest.current = top;
  }, [items]);

  useEffect(
    () =>
      openInboxSocket({
        lastId: () => newest.current,
        onNotification: (n) => {
          if (!newest.current || n.id > newest.current) newest.current = n.id;
          setItems((prev) => (prev ? merge(prev, [n]) : prev));
        },
        onStatus: setLive,
      }),
    [],
  );

  const markRead = async (id: string) => {
    try {
      const n = unwrap(await api.POST("/v1/notifications/{id}/read", { params: { path: { id } }, body: {} }));
      setItems((prev) => (prev ? prev.map((x) => (x.id === id ? n : x)) : prev));
      await refreshUnread();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const markAll = async () => {
    try {
      unwrap(await api.POST("/v1/notifications/read-all", { body: {} }));
      const now = new Date().toISOString();
      setItems((prev) => (prev ? prev.map((x) => (x.read_at ? x : { ...x, read_at: now })) : prev));
      setUnread(0);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const shown = items && (unreadOnly ? items.filter((n) => n.read_at === null) : items);
  return (
    <>
      <div class="page-head">
        <h1>Inbox</h1>
        <p class="muted" role="status" data-testid="live-status">
          {live ? "Live: new notifications appear here" : "Connecting for live updates…"}
        </p>
      </div>
      <ErrorNote error={error} />
      <section class="card" aria-labelledby="h-inbox">
        <h2 id="h-inbox">Notifications</h2>
        <div class="form-row">
          <label>
            <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.currentTarget.checked)} /> Unread only
          </label>
          <button type="button" class="secondary" onClick={markAll} disabled={!items?.some((n) => n.read_at === null)}>
            Mark all read
          </button>
        </div>
        {!shown ? (
          <Loading what="Loading notifications" />
        ) : shown.length === 0 ? (
          <p class="muted">{unreadOnly ? "No unread notifications." : "No notifications yet."}</p>
        ) : (
          <ul class="inbox-list" data-testid="notifications">
            {shown.map((n) => (
              <Item key={n.id} n={n} onRead={markRead} />
            ))}
          </ul>
        )}
        {cursor && (
          <button type="button" class="secondary" onClick={() => load(cursor, unreadOnly)}>
            Show older
          </button>
        )}
      </section>
    </>
  );
}

export const route: PageRoute = {
  path: "/inbox",
  title: "Inbox",
  access: "user",
  nav: { label: "Inbox", order: 45 },
  component: InboxPage,
};
