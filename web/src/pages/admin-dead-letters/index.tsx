/** Admin: the pipeline's dead letters by status; inspect one (error, raw body), replay it (as stored or corrected) or discard it. */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { DeadLetter } from "../../api/types";
import { type Column, DataTable } from "../../components/data-table";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { formatDateTime } from "../../lib/dates";
import type { PageRoute } from "../../router";
import { AdminNav } from "../admin/admin-nav";

type Status = DeadLetter["status"];

function Inspect({ d, onDone }: { d: DeadLetter; onDone: () => void }) {
  const s = useSubmit(async (f) => {
    if (field(f, "action") === "discard") {
      unwrap(await api.POST("/v1/admin/dead-letters/{id}/discard", { params: { path: { id: d.id } }, body: {} }));
      onDone();
      return "Discarded.";
    }
    const corrected = field(f, "corrected");
    let body: unknown;
    if (corrected) {
      try {
        body = JSON.parse(corrected);
      } catch {
        throw new InputError("The corrected body is not valid JSON");
      }
    }
    unwrap(
      await api.POST("/v1/admin/dead-letters/{id}/replay", { params: { path: { id: d.id } }, body: body === undefined ? {} : { body } }),
    );
    onDone();
    return "Sent back through the pipeline.";
  });
  return (
    <details data-testid="dead-letter-detail">
      <summary>Inspect</summary>
      <dl class="facts">
        <dt>Error</dt>
        <dd>{d.error}</dd>
        <dt>Queue</dt>
        <dd>{d.source_queue}</dd>
        <dt>Attempts</dt>
        <dd>
          {d.attempts} ({d.delivery_attempts} deliveries)
        </dd>
        <dt>Seen</dt>
        <dd>
          {formatDateTime(d.first_seen_at)} – {formatDateTime(d.last_seen_at)}
        </dd>
      </dl>
      <pre>{d.raw_body}</pre>
      {d.status === "open" && (
        <form onSubmit={s.onSubmit}>
          <label>
            Corrected body (JSON, optional)
            <textarea name="corrected" rows={4} />
          </label>
          <FormStatus s={s} />
          <div class="form-row">
            <button type="submit" name="action" value="replay" disabled={s.busy}>
              Replay
            </button>
            <button type="submit" name="action" value="discard" class="danger" disabled={s.busy}>
              Discard
            </button>
          </div>
        </form>
      )}
    </details>
  );
}

function DeadLetters() {
  const [status, setStatus] = useState<Status>("open");
  const { data, error, loading, reload } = useData(
    async () => unwrap(await api.GET("/v1/admin/dead-letters", { params: { query: { status, limit: 100 } } })),
    [status],
  );
  const columns: Column<DeadLetter>[] = [
    { header: "Last seen", cell: (d) => formatDateTime(d.last_seen_at) },
    { header: "Event", cell: (d) => d.event_id ?? <span class="muted">unparsed</span> },
    { header: "Error", cell: (d) => d.error },
    { header: "Status", cell: (d) => d.status, testId: "dead-letter-status" },
    { header: "Details", cell: (d) => <Inspect d={d} onDone={() => void reload()} /> },
  ];
  return (
    <>
      <h1>Admin: dead letters</h1>
      <AdminNav />
      <label class="inline">
        Status
        <select value={status} onChange={(e) => setStatus(e.currentTarget.value as Status)}>
          <option value="open">open</option>
          <option value="replayed">replayed</option>
          <option value="discarded">discarded</option>
        </select>
      </label>
      <ErrorNote error={error} />
      {loading && !data && <Loading />}
      {data && (
        <DataTable
          caption={`Dead letters: ${status}`}
          columns={columns}
          rows={data.data}
          rowKey={(d) => d.id}
          rowTestId="dead-letter"
          empty={`No ${status} dead letters.`}
        />
      )}
    </>
  );
}

export const route: PageRoute = { path: "/admin/dead-letters", title: "Admin: dead letters", access: "admin", component: DeadLetters };
