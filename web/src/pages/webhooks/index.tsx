/**
 * Webhook settings: your endpoints (URL, filters, status), a form that adds
 * one and shows its `whsec_` secret once, rotate (the new secret shown once,
 * the old one signing beside it for 24 h), enable/disable, send a test event,
 * delete, and each endpoint's delivery log with its attempts and redelivery.
 */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { errorMessage, unwrap } from "../../api/errors";
import type { WebhookDelivery, WebhookEndpoint } from "../../api/types";
import { DataTable } from "../../components/data-table";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { KIND_LABELS, NOTIFICATION_KINDS, type NotificationKind } from "../../lib/notification-kinds";
import type { PageRoute } from "../../router";

type EventType = "*" | NotificationKind;

async function loadEndpoints(): Promise<WebhookEndpoint[]> {
  return unwrap(await api.GET("/v1/webhooks")).data;
}

function SecretNote({ secret, onClose }: { secret: { url: string; value: string }; onClose: () => void }) {
  return (
    <section class="card" aria-labelledby="h-secret" data-testid="webhook-secret">
      <h2 id="h-secret">Signing secret for {secret.url}</h2>
      <p>Copy it now: it is shown only this once. Verify deliveries with any Standard Webhooks library.</p>
      <p>
        <code data-testid="secret-value">{secret.value}</code>
      </p>
      <button type="button" class="secondary" onClick={onClose}>
        I have copied it
      </button>
    </section>
  );
}

function CreateForm({ onCreated }: { onCreated: (e: WebhookEndpoint & { secret: string }) => void }) {
  const s = useSubmit(async (f, _key, form) => {
    const url = field(f, "url");
    if (!url) throw new InputError("Enter the endpoint's URL");
    const all = f.get("all") === "on";
    const kinds = f.getAll("kind").filter((k): k is EventType => typeof k === "string");
    if (!all && kinds.length === 0) throw new InputError("Choose at least one kind, or every kind");
    const description = field(f, "description");
    const made = unwrap(
      await api.POST("/v1/webhooks", {
        body: { url, event_types: all ? ["*"] : kinds, ...(description ? { description } : {}) },
      }),
    );
    form.reset();
    onCreated(made);
    return `Endpoint added: ${made.url}`;
  });
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-webhook-form" data-testid="webhook-form">
      <h2 id="h-webhook-form">New endpoint</h2>
      <div class="form-row">
        <label>
          URL
          <input name="url" type="url" required maxLength={2048} placeholder="https://hooks.example.com/finedge" />
        </label>
        <label>
          Description
          <input name="description" maxLength={200} />
        </label>
      </div>
      <fieldset>
        <legend>Send these notifications</legend>
        <label>
          <input type="checkbox" name="all" /> Every kind
        </label>
        {NOTIFICATION_KINDS.map((k) => (
          <label key={k}>
            <input type="checkbox" name="kind" value={k} /> {KIND_LABELS[k]}
          </label>
        ))}
      </fieldset>
      <p class="muted">A kind is sent only when its webhook channel is on in your notification preferences.</p>
      <FormStatus s={s} />
      <button type="submit" disabled={s.busy}>
        Add endpoint
      </button>
    </form>
  );
}

function Deliveries({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { data, error, reload } = useData(
    async () => unwrap(await api.GET("/v1/webhooks/{id}/deliveries", { params: { path: { id: endpoint.id }, query: { limit: 20 } } })).data,
    [endpoint.id],
    { pollMs: 3_000 },
  );
  const [actionError, setActionError] = useState<string | undefined>();
  const redeliver = async (d: WebhookDelivery) => {
    setActionError(undefined);
    try {
      unwrap(
        await api.POST("/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver", {
          params: { path: { id: endpoint.id, delivery_id: d.id } },
        }),
      );
      await reload();
    } catch (err) {
      setActionError(errorMessage(err));
    }
  };
  if (!data) return <ErrorNote error={error} />;
  return (
    <>
      <ErrorNote error={actionError} />
      <DataTable
        caption={`Deliveries to ${endpoint.url}`}
        rows={data}
        rowKey={(d) => d.id}
        rowTestId="delivery"
        empty="No deliveries yet."
        columns={[
          { header: "Created", cell: (d) => new Date(d.created_at).toLocaleString(), rowHeader: true },
          { header: "Type", cell: (d) => d.type },
          { header: "Status", cell: (d) => d.status, testId: "delivery-status" },
          {
            header: "Attempts",
            testId: "delivery-attempts",
            cell: (d) =>
              d.attempts.length === 0
                ? "none yet"
                : d.attempts
                    .map((a) => `#${a.n} ${a.status_code ?? "no answer"} (${a.duration_ms} ms)${a.error ? ` ${a.error}` : ""}`)
                    .join("; "),
          },
          {
            header: "Actions",
            cell: (d) => (
              <button type="button" class="secondary" onClick={() => void redeliver(d)} aria-label={`Redeliver the ${d.type} message`}>
                Redeliver
              </button>
            ),
          },
        ]}
      />
    </>
  );
}

function WebhooksPage() {
  const { data, error, loading, reload } = useData(loadEndpoints, []);
  const [secret, setSecret] = useState<{ url: string; value: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | undefined>();
  if (loading && !data) return <Loading what="Loading webhooks" />;
  if (!data) return <ErrorNote error={error} />;
  const act = async (run: () => Promise<void>) => {
    setActionError(undefined);
    try {
      await run();
      await reload();
    } catch (err) {
      setActionError(errorMessage(err));
    }
  };
  const rotate = (e: WebhookEndpoint) =>
    act(async () => {
      const r = unwrap(await api.POST("/v1/webhooks/{id}/rotate-secret", { params: { path: { id: e.id } } }));
      setSecret({ url: r.url, value: r.secret });
    });
  const toggle = (e: WebhookEndpoint) =>
    act(async () => {
      unwrap(await api.PATCH("/v1/webhooks/{id}", { params: { path: { id: e.id } }, body: { enabled: e.status === "disabled" } }));
    });
  const test = (e: WebhookEndpoint) =>
    act(async () => {
      unwrap(await api.POST("/v1/webhooks/{id}/test", { params: { path: { id: e.id } } }));
      setOpen(e.id);
    });
  const remove = (e: WebhookEndpoint) =>
    act(async () => {
      unwrap(await api.DELETE("/v1/webhooks/{id}", { params: { path: { id: e.id } } }));
      if (open === e.id) setOpen(null);
    });
  const shown = data.find((e) => e.id === open);
  return (
    <>
      <h1>Webhooks</h1>
      <ErrorNote error={error} />
      {secret && <SecretNote secret={secret} onClose={() => setSecret(null)} />}
      <section class="card" aria-labelledby="h-webhook-list">
        <h2 id="h-webhook-list">Your endpoints</h2>
        <ErrorNote error={actionError} />
        <DataTable
          caption="Webhook endpoints"
          rows={data}
          rowKey={(e) => e.id}
          rowTestId="webhook"
          empty="No endpoints yet."
          columns={[
            { header: "URL", cell: (e) => e.url, rowHeader: true, testId: "webhook-url" },
            { header: "Sends", cell: (e) => (e.event_types.includes("*") ? "every kind" : e.event_types.join(", ")) },
            {
              header: "Status",
              testId: "webhook-status",
              cell: (e) => (e.status === "enabled" ? "enabled" : `disabled: ${e.disabled_reason ?? ""}`),
            },
            {
              header: "Actions",
              cell: (e) => (
                <span class="actions">
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => setOpen(open === e.id ? null : e.id)}
                    aria-label={`Deliveries to ${e.url}`}
                  >
                    Deliveries
                  </button>
                  <button type="button" class="secondary" onClick={() => void test(e)} aria-label={`Send a test event to ${e.url}`}>
                    Test
                  </button>
                  <button type="button" class="secondary" onClick={() => void rotate(e)} aria-label={`Rotate the secret of ${e.url}`}>
                    Rotate secret
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => void toggle(e)}
                    aria-label={`${e.status === "enabled" ? "Disable" : "Enable"} ${e.url}`}
                  >
                    {e.status === "enabled" ? "Disable" : "Enable"}
                  </button>
                  <button type="button" class="danger" onClick={() => void remove(e)} aria-label={`Delete ${e.url}`}>
                    Delete
                  </button>
                </span>
              ),
            },
          ]}
        />
      </section>
      {shown && (
        <section class="card" aria-labelledby="h-deliveries">
          <h2 id="h-deliveries">Delivery log</h2>
          <Deliveries endpoint={shown} />
        </section>
      )}
      <CreateForm
        onCreated={(e) => {
          setSecret({ url: e.url, value: e.secret });
          void reload();
        }}
      />
    </>
  );
}

export const route: PageRoute = {
  path: "/webhooks",
  title: "Webhooks",
  access: "user",
  nav: { label: "Webhooks", order: 50 },
  component: WebhooksPage,
};
