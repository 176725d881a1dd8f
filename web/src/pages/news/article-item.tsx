/** One article of the feed: title (opens the story and records a click), source, date, tags, why it is shown, like and save. */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { NewsArticle } from "../../api/types";
import { formatDateTime } from "../../lib/dates";

type Action = "like" | "unlike" | "save" | "unsave";

function reason(a: NewsArticle): string | null {
  if (!a.matched) return null;
  const parts = [
    a.matched.held.length ? `you hold ${a.matched.held.join(", ")}` : "",
    a.matched.watched.length ? `you follow ${a.matched.watched.join(", ")}` : "",
    a.matched.topics.length ? `you follow ${a.matched.topics.join(", ")}` : "",
  ].filter(Boolean);
  return parts.length ? `Because ${parts.join(" and ")}` : null;
}

export function ArticleItem({
  a,
  onChange,
  onError,
}: {
  a: NewsArticle;
  onChange: (a: NewsArticle) => void;
  onError: (e: unknown) => void;
}) {
  const act = async (action: Action) => {
    const params = { path: { id: a.id } };
    try {
      const reply =
        action === "like"
          ? await api.POST("/v1/news/{id}/like", { params })
          : action === "unlike"
            ? await api.POST("/v1/news/{id}/unlike", { params })
            : action === "save"
              ? await api.POST("/v1/news/{id}/save", { params })
              : await api.POST("/v1/news/{id}/unsave", { params });
      const next = unwrap(reply);
      onChange({ ...next, score: a.score, matched: a.matched });
    } catch (err) {
      onError(err);
    }
  };
  const click = () => {
    void api.POST("/v1/news/{id}/click", { params: { path: { id: a.id } } }).catch(() => undefined);
  };
  const why = reason(a);
  const headingId = `news-${a.id}`;
  return (
    <li class="news-item" data-testid="news-article" data-id={a.id} aria-labelledby={headingId}>
      <h3 id={headingId}>
        <a href={a.url} target="_blank" rel="noopener noreferrer" onClick={click}>
          {a.title}
        </a>
      </h3>
      <p class="muted">
        {a.source} · <time dateTime={a.published_at}>{formatDateTime(a.published_at)}</time>
        {a.symbols.length > 0 && <> · {a.symbols.join(", ")}</>}
      </p>
      <p>{a.summary}</p>
      {why && (
        <p class="muted" data-testid="news-reason">
          {why}
        </p>
      )}
      <div class="actions">
        {a.topics.map((t) => (
          <span key={t} class="tag">
            {t}
          </span>
        ))}
        <button
          type="button"
          class="secondary"
          aria-pressed={a.viewer.liked}
          onClick={() => act(a.viewer.liked ? "unlike" : "like")}
          data-testid="news-like"
        >
          Like · {a.likes}
        </button>
        <button
          type="button"
          class="secondary"
          aria-pressed={a.viewer.saved}
          onClick={() => act(a.viewer.saved ? "unsave" : "save")}
          data-testid="news-save"
        >
          Save
        </button>
      </div>
    </li>
  );
}
