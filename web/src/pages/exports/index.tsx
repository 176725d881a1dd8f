/**
 * Exports: request one (dataset, date range, format), watch its progress (the
 * job is polled until it finishes) and download its files. Downloads go
 * through the signed-in client (the files need the access token), then are
 * saved from a blob URL. Your exports are listed newest first (GET
 * /v1/exports), a page at a time.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api/client";
import { errorMessage, unwrap } from "../../api/errors";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { usePolledJob } from "../../components/use-polled-job";
import { formatDateTime } from "../../lib/dates";
import type { PageRoute } from "../../router";
import type { components } from "../../api/schema";

type Dataset = components["schemas"]["ExportRequest"]["dataset"];
const POLL_MS = 1000;

const PAGE = 10;

async function download(url: string, name: string): Promise<void> {
  const r = await api.GET("/v1/exports/{id}/files/{name}", {
    params: { path: { id: url.split("/")[3]!, name } },
    parseAs: "blob",
  });
  if (!r.response.ok || !r.data) throw new Error(`The download failed (HTTP ${r.response.status})`);
  const href = URL.createObjectURL(r.data as Blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

function ExportJob({ id }: { id: string }) {
  const [downloadError, setError] = useState<string | undefined>();
  const { job, error: pollError } = usePolledJob(
    async () => unwrap(await api.GET("/v1/exports/{id}", { params: { path: { id } } })),
    id,
    POLL_MS,
  );
  const error = pollError ?? downloadError;
  if (error)
    return (
      <li class="error" role="alert">
        {error}
      </li>
    );
  if (!job) return <li class="muted">Loading {id}…</li>;
  const params = (job.params ?? {}) as { dataset?: string; from?: string; to?: string; format?: string };
  return (
    <li class="card" data-testid="export-job">
      <p>
        <strong>{params.dataset ?? "export"}</strong> {params.from} – {params.to} ({params.format}) · requested{" "}
        {formatDateTime(job.created_at)}
      </p>
      <label>
        <span data-testid="export-status">
          {job.status} · {job.percent}%
        </span>
        <progress max={100} value={job.percent} />
      </label>
      {job.error && <p class="error">{job.error}</p>}
      {job.files.length > 0 && (
        <ul>
          {job.files.map((f) => (
            <li key={f.name}>
              <button type="button" class="secondary" onClick={() => void download(f.url, f.name).catch((e) => setError(errorMessage(e)))}>
                Download {f.name}
              </button>{" "}
              <span class="muted small">
                {f.rows} rows · {f.bytes} bytes
              </span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function ExportsPage() {
  const [ids, setIds] = useState<string[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [listError, setListError] = useState<string | undefined>();
  const [loaded, setLoaded] = useState(false);
  const loadPage = async (after: string | null) => {
    try {
      const page = unwrap(await api.GET("/v1/exports", { params: { query: after ? { limit: PAGE, cursor: after } : { limit: PAGE } } }));
      setIds((have) => [...have, ...page.data.map((e) => e.id).filter((id) => !have.includes(id))]);
      setCursor(page.has_more ? (page.next_cursor ?? null) : null);
    } catch (e) {
      setListError(errorMessage(e));
    } finally {
      setLoaded(true);
    }
  };
  useEffect(() => {
    void loadPage(null);
  }, []);
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  const s = useSubmit(async (f) => {
    const from = field(f, "from");
    const to = field(f, "to");
    if (!from || !to) throw new InputError("Choose both dates");
    const job = unwrap(
      await api.POST("/v1/exports", {
        body: {
          dataset: (field(f, "dataset") ?? "transactions") as Dataset,
          from,
          to,
          format: field(f, "format") === "parquet" ? "parquet" : "ndjson",
        },
      }),
    );
    setIds((have) => [job.id, ...have.filter((id) => id !== job.id)]);
    return "Export requested.";
  });
  return (
    <>
      <h1>Exports</h1>
      <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-new-export">
        <h2 id="h-new-export">Request an export</h2>
        <div class="form-row">
          <label>
            Dataset
            <select name="dataset">
              <option value="transactions">transactions</option>
              <option value="daily_balances">daily balances</option>
              <option value="events">events</option>
            </select>
          </label>
          <label>
            From
            <input name="from" type="date" required defaultValue={monthAgo} />
          </label>
          <label>
            To
            <input name="to" type="date" required defaultValue={today} />
          </label>
          <label>
            Format
            <select name="format">
              <option value="ndjson">NDJSON</option>
              <option value="parquet">Parquet</option>
            </select>
          </label>
        </div>
        <FormStatus s={s} />
        <button type="submit" disabled={s.busy}>
          Request export
        </button>
      </form>
      <section aria-labelledby="h-exports">
        <h2 id="h-exports">Your exports</h2>
        {listError && (
          <p class="error" role="alert">
            {listError}
          </p>
        )}
        {!loaded ? (
          <p class="muted">Loading your exports…</p>
        ) : ids.length === 0 ? (
          <p class="muted">None yet.</p>
        ) : (
          <ul class="jobs">
            {ids.map((id) => (
              <ExportJob key={id} id={id} />
            ))}
          </ul>
        )}
        {cursor && (
          <button type="button" class="secondary" onClick={() => void loadPage(cursor)}>
            Show older exports
          </button>
        )}
      </section>
    </>
  );
}

export const route: PageRoute = {
  path: "/exports",
  title: "Exports",
  access: "user",
  nav: { label: "Exports", order: 40 },
  component: ExportsPage,
};
