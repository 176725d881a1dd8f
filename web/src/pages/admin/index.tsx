/** The admin area's overview: recent pipeline runs, with links to dead letters, replay and reconcile. */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { formatDateTime } from "../../lib/dates";
import type { PageRoute } from "../../router";
import { AdminNav } from "./admin-nav";
import { TableWrap } from "../../components/table-wrap";

function PipelineRuns() {
  const { data, error, loading } = useData(
    async () => unwrap(await api.GET("/v1/admin/pipeline/runs", { params: { query: { limit: 50 } } })),
    [],
    {
      pollMs: 5000,
    },
  );
  return (
    <>
      <h1>Admin: pipeline runs</h1>
      <AdminNav />
      <ErrorNote error={error} />
      {loading && !data && <Loading />}
      {data && (
        <TableWrap label="Latest consumer batches and replay chunks">
          <table>
            <caption>Latest consumer batches and replay chunks</caption>
            <thead>
              <tr>
                <th scope="col">Finished</th>
                <th scope="col">Queue</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Messages
                </th>
                <th scope="col" class="num">
                  Valid
                </th>
                <th scope="col" class="num">
                  Invalid
                </th>
                <th scope="col" class="num">
                  Duplicates
                </th>
                <th scope="col" class="num">
                  Gold rows
                </th>
                <th scope="col" class="num">
                  ms
                </th>
              </tr>
            </thead>
            <tbody>
              {data.data.map((r) => (
                <tr key={r.id} data-testid="pipeline-run">
                  <td>{formatDateTime(r.finished_at)}</td>
                  <td>{r.queue}</td>
                  <td class={r.status === "ok" ? "success" : "error"}>
                    {r.status}
                    {r.error ? `: ${r.error}` : ""}
                  </td>
                  <td class="num">{r.messages}</td>
                  <td class="num">{r.valid}</td>
                  <td class="num">{r.invalid}</td>
                  <td class="num">{r.duplicates}</td>
                  <td class="num">{r.gold_rows}</td>
                  <td class="num">{r.duration_ms}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}

export const route: PageRoute = {
  path: "/admin",
  title: "Admin: pipeline runs",
  access: "admin",
  nav: { label: "Admin", order: 90 },
  component: PipelineRuns,
};
