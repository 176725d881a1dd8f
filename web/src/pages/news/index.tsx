/**
 * News: the feed (GET /v1/news) sorted by recent, popular or "for you"
 * (relevance from holdings and follows), filtered by topic and symbol, with
 * like and save on each story and "Show more" by cursor; the saved tab
 * (GET /v1/news/saved); and the follow preferences (follows.tsx).
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { NewsArticle, NewsPreferences } from "../../api/types";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import type { PageRoute } from "../../router";
import { ArticleItem } from "./article-item";
import { Follows, type TopicCount } from "./follows";

type Sort = "recent" | "popular" | "relevant";
type Tab = "feed" | "saved";
const PAGE = 20;
const SORTS: { value: Sort; label: string }[] = [
  { value: "recent", label: "Recent" },
  { value: "popular", label: "Popular" },
  { value: "relevant", label: "For you" },
];

interface Filters {
  tab: Tab;
  sort: Sort;
  topic: string;
  symbol: string;
}

async function loadSide(): Promise<{ topics: TopicCount[]; symbols: string[]; prefs: NewsPreferences }> {
  const [topics, symbols, prefs] = await Promise.all([
    api.GET("/v1/news/topics"),
    api.GET("/v1/market/symbols"),
    api.GET("/v1/news/preferences"),
  ]);
  return { topics: unwrap(topics).data, symbols: unwrap(symbols).data.map((s) => s.symbol), prefs: unwrap(prefs) };
}

async function loadPage(f: Filters, cursor: string | null) {
  const page = { limit: PAGE, ...(cursor ? { cursor } : {}) };
  if (f.tab === "saved") return unwrap(await api.GET("/v1/news/saved", { params: { query: page } }));
  const query = { ...page, sort: f.sort, ...(f.topic ? { topic: f.topic } : {}), ...(f.symbol ? { symbol: f.symbol } : {}) };
  return unwrap(await api.GET("/v1/news", { params: { query } }));
}

function NewsPage() {
  const side = useData(loadSide, []);
  const [f, setF] = useState<Filters>({ tab: "feed", sort: "recent", topic: "", symbol: "" });
  const [items, setItems] = useState<NewsArticle[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  const load = async (after: string | null) => {
    try {
      const page = await loadPage(f, after);
      setItems((prev) => [...(after ? (prev ?? []) : []), ...page.data]);
      setCursor(page.has_more ? page.next_cursor : null);
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    setItems(null);
    void load(null);
  }, [f.tab, f.sort, f.topic, f.symbol]);

  const replace = (a: NewsArticle) =>
    setItems((prev) =>
      prev ? prev.filter((x) => f.tab !== "saved" || x.id !== a.id || a.viewer.saved).map((x) => (x.id === a.id ? a : x)) : prev,
    );
  const followsSaved = async () => {
    await side.reload();
    await load(null);
  };
  const set = (change: Partial<Filters>) => setF((prev) => ({ ...prev, ...change }));

  return (
    <>
      <h1>News</h1>
      <ErrorNote error={error ?? side.error} />
      <section class="card" aria-labelledby="h-news-list">
        <h2 id="h-news-list">{f.tab === "saved" ? "Saved stories" : "Stories"}</h2>
        <div class="actions">
          <button type="button" class="secondary" aria-pressed={f.tab === "feed"} onClick={() => set({ tab: "feed" })}>
            Feed
          </button>
          <button type="button" class="secondary" aria-pressed={f.tab === "saved"} onClick={() => set({ tab: "saved" })}>
            Saved
          </button>
        </div>
        {f.tab === "feed" && (
          <div class="form-row filters" data-testid="news-filters">
            <label>
              Sort
              <select value={f.sort} onChange={(e) => set({ sort: e.currentTarget.value as Sort })}>
                {SORTS.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Topic
              <select value={f.topic} onChange={(e) => set({ topic: e.currentTarget.value })}>
                <option value="">Every topic</option>
                {(side.data?.topics ?? []).map((t) => (
                  <option key={t.topic} value={t.topic}>
                    {t.topic}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Symbol
              <select value={f.symbol} onChange={(e) => set({ symbol: e.currentTarget.value })}>
                <option value="">Every symbol</option>
                {(side.data?.symbols ?? []).map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
        {!items ? (
          <Loading what="Loading stories" />
        ) : items.length === 0 ? (
          <p class="muted">{f.tab === "saved" ? "No saved stories yet." : "No stories match."}</p>
        ) : (
          <ul class="news-list" data-testid="news-list">
            {items.map((a) => (
              <ArticleItem key={a.id} a={a} onChange={replace} onError={setError} />
            ))}
          </ul>
        )}
        {cursor && (
          <button type="button" class="secondary" onClick={() => load(cursor)}>
            Show more
          </button>
        )}
      </section>
      {side.data && <Follows topics={side.data.topics} symbols={side.data.symbols} prefs={side.data.prefs} onDone={followsSaved} />}
    </>
  );
}

export const route: PageRoute = {
  path: "/news",
  title: "News",
  access: "user",
  nav: { label: "News", order: 27 },
  component: NewsPage,
};
