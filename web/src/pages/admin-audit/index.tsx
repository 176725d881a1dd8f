/** Admin: the audit log, newest first, filtered by action, actor and target, a page at a time. */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { AuditEntry } from "../../api/types";
import { type Column, DataTable } from "../../components/data-table";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { formatDateTime } from "../../lib/dates";
import type { PageRoute } from "../../router";
import { AdminNav } from "../admin/admin-nav";

const columns: Column<AuditEntry>[] = [
  { header: "When", cell: (e) => formatDateTime(e.at), rowHeader: true },
  { header: "Action", cell: (e) => e.action, testId: "audit-action" },
  { header: "Actor", cell: (e) => e.actor_id },
  { header: "Target", cell: (e) => `${e.target_type}${e.target_id ? ` ${e.target_id}` : ""}`, testId: "audit-target" },
  { header: "Request", cell: (e) => e.request_id ?? <span class="muted">—</span> },
  { header: "Detail", cell: (e) => (e.detail ? <code>{JSON.stringify(e.detail)}</code> : <span class="muted">—</span>) },
];

const ACTION = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

function Audit() {
  const [action, setAction] = useState("");
  const [actor, setActor] = useState("");
  const [target, setTarget] = useState("");
  const [cursor, setCursor] = useState<string | undefined>();
  const a = action.trim();
  const { data, error, loading } = useData(
    async () =>
      unwrap(
        await api.GET("/v1/admin/audit", {
          params: {
            query: {
              limit: 50,
              ...(ACTION.test(a) ? { action: a } : {}),
              ...(actor.trim() ? { actor: actor.trim() } : {}),
              ...(target.trim() ? { target: target.trim() } : {}),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    [a, actor, target, cursor],
  );
  const filter = (set: (v: string) => void) => (e: { currentTarget: HTMLInputElement }) => {
    setCursor(undefined);
    set(e.currentTarget.value);
  };
  return (
    <>
      <h1>Admin: audit log</h1>
      <AdminNav />
      <div class="form-row">
        <label class="inline">
          Action
          <input type="search" value={action} onInput={filter(setAction)} placeholder="user.disable" />
        </label>
        <label class="inline">
          Actor id
          <input type="search" value={actor} onInput={filter(setActor)} />
        </label>
        <label class="inline">
          Target id
          <input type="search" value={target} onInput={filter(setTarget)} />
        </label>
      </div>
      <ErrorNote error={error} />
      {loading && !data && <Loading />}
      {data && (
        <DataTable
          caption="Admin and security actions, newest first"
          columns={columns}
          rows={data.data}
          rowKey={(e) => String(e.id)}
          rowTestId="audit-entry"
          empty="No entries match."
        />
      )}
      <div class="form-row">
        {cursor && (
          <button type="button" onClick={() => setCursor(undefined)}>
            Newest
          </button>
        )}
        {data?.next_cursor && (
          <button type="button" onClick={() => setCursor(data.next_cursor ?? undefined)}>
            Older
          </button>
        )}
      </div>
    </>
  );
}

export const route: PageRoute = { path: "/admin/audit", title: "Admin: audit log", access: "admin", component: Audit };
