/**
 * Admin: users filtered by email, role and status, PAGE_SIZE at a time with
 * "Load more" (the API's cursor); disable or enable one, change a role.
 * Every change lands in the audit log.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { AdminUser } from "../../api/types";
import { type Column, DataTable } from "../../components/data-table";
import { useAction } from "../../components/use-action";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { formatDateTime } from "../../lib/dates";
import type { PageRoute } from "../../router";
import { AdminNav } from "../admin/admin-nav";

type Role = AdminUser["role"];
type Status = AdminUser["status"];
const ROLES: Role[] = ["user", "feeder", "admin"];
export const PAGE_SIZE = 25;

function Actions({ u, onDone, run }: { u: AdminUser; onDone: () => Promise<void>; run: ReturnType<typeof useAction>["run"] }) {
  const [role, setRole] = useState<Role>(u.role);
  const toggle = () =>
    run(async () => {
      const path = u.status === "active" ? "/v1/admin/users/{id}/disable" : "/v1/admin/users/{id}/enable";
      unwrap(await api.POST(path, { params: { path: { id: u.id } }, body: {} }));
      await onDone();
    });
  const changeRole = () =>
    run(async () => {
      unwrap(await api.PATCH("/v1/admin/users/{id}/role", { params: { path: { id: u.id } }, body: { role } }));
      await onDone();
    });
  return (
    <div class="form-row">
      <button
        type="button"
        class={u.status === "active" ? "danger" : undefined}
        onClick={() => void toggle()}
        aria-label={`${u.status === "active" ? "Disable" : "Enable"} ${u.email}`}
      >
        {u.status === "active" ? "Disable" : "Enable"}
      </button>
      <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} aria-label={`Role of ${u.email}`}>
        {ROLES.map((r) => (
          <option value={r} key={r}>
            {r}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => void changeRole()} disabled={role === u.role} aria-label={`Change the role of ${u.email}`}>
        Change role
      </button>
    </div>
  );
}

function Users() {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role | "">("");
  const [status, setStatus] = useState<Status | "">("");
  const { error: actionError, run } = useAction();
  const fetchPage = async (cursor?: string) =>
    unwrap(
      await api.GET("/v1/admin/users", {
        params: {
          query: {
            limit: PAGE_SIZE,
            ...(email.trim() ? { email: email.trim() } : {}),
            ...(role ? { role } : {}),
            ...(status ? { status } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    );
  const { data, error, loading, reload } = useData(() => fetchPage(), [email, role, status]);
  // Pages after the first, appended by "Load more"; a new first page (filters, reload) starts over.
  const [more, setMore] = useState<{ users: AdminUser[]; next: string | null }>({ users: [], next: null });
  useEffect(() => setMore({ users: [], next: data?.has_more ? (data.next_cursor ?? null) : null }), [data]);
  const loadMore = () =>
    run(async () => {
      if (!more.next) return;
      const page = await fetchPage(more.next);
      setMore({ users: [...more.users, ...page.data], next: page.has_more ? (page.next_cursor ?? null) : null });
    });
  const columns: Column<AdminUser>[] = [
    { header: "Email", cell: (u) => u.email, rowHeader: true },
    { header: "Name", cell: (u) => u.name ?? <span class="muted">—</span> },
    { header: "Role", cell: (u) => u.role, testId: "user-role" },
    { header: "Status", cell: (u) => u.status, testId: "user-status" },
    { header: "Joined", cell: (u) => formatDateTime(u.created_at) },
    { header: "Actions", cell: (u) => <Actions u={u} run={run} onDone={reload} key={`${u.id}:${u.role}`} /> },
  ];
  return (
    <>
      <h1>Admin: users</h1>
      <AdminNav />
      <div class="form-row">
        <label class="inline">
          Email contains
          <input type="search" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label class="inline">
          Role filter
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role | "")}>
            <option value="">any</option>
            {ROLES.map((r) => (
              <option value={r} key={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label class="inline">
          Status filter
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as Status | "")}>
            <option value="">any</option>
            <option value="active">active</option>
            <option value="disabled">disabled</option>
          </select>
        </label>
      </div>
      <ErrorNote error={actionError ?? error} />
      {loading && !data && <Loading />}
      {data && (
        <DataTable
          caption="Users, newest first"
          columns={columns}
          rows={[...data.data, ...more.users]}
          rowKey={(u) => u.id}
          rowTestId="admin-user"
          empty="No users match."
        />
      )}
      {data && more.next && (
        <button type="button" class="secondary" onClick={() => void loadMore()}>
          Load more
        </button>
      )}
    </>
  );
}

export const route: PageRoute = { path: "/admin/users", title: "Admin: users", access: "admin", component: Users };
