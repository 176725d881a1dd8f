/** The open alerts with their reasons, to acknowledge or dismiss. */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { Alert } from "../../api/types";
import { useAction } from "../../components/use-action";
import { ErrorNote } from "../../components/status";
import { formatDateTime } from "../../lib/dates";
import { refreshUnread } from "../../lib/unread";

export function OpenAlerts({ alerts, onChange }: { alerts: Alert[]; onChange: () => Promise<void> }) {
  const { error, run } = useAction();
  const act = (id: string, action: "acknowledge" | "dismiss") =>
    run(async () => {
      if (action === "acknowledge") unwrap(await api.POST("/v1/alerts/{id}/acknowledge", { params: { path: { id } }, body: {} }));
      else unwrap(await api.POST("/v1/alerts/{id}/dismiss", { params: { path: { id } }, body: {} }));
      await Promise.all([onChange(), refreshUnread()]);
    });
  return (
    <section class="card" aria-labelledby="h-open-alerts">
      <h2 id="h-open-alerts">Open alerts</h2>
      <ErrorNote error={error} />
      {alerts.length === 0 ? (
        <p class="muted">No open alerts.</p>
      ) : (
        <ul class="inbox-list" data-testid="open-alerts">
          {alerts.map((a) => (
            <li key={a.id} class={a.status === "open" ? "inbox-item unread" : "inbox-item"} data-testid="open-alert" data-id={a.id}>
              <div class="inbox-head">
                <strong>{a.title}</strong>
                <span class="tag" data-testid="alert-status">
                  {a.status}
                </span>
              </div>
              <ul data-testid="alert-reasons">
                {a.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
              <p class="muted">
                <time dateTime={a.created_at}>{formatDateTime(a.created_at)}</time>
              </p>
              <span class="actions">
                {a.status === "open" && (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => void act(a.id, "acknowledge")}
                    aria-label={`Acknowledge: ${a.title}`}
                  >
                    Acknowledge
                  </button>
                )}
                <button type="button" class="secondary" onClick={() => void act(a.id, "dismiss")} aria-label={`Dismiss: ${a.title}`}>
                  Dismiss
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
