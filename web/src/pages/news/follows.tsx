/** The topics and symbols the reader follows (PUT /v1/news/preferences): they personalize the "For you" sort. */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { NewsPreferences } from "../../api/types";
import { useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";

export interface TopicCount {
  topic: string;
  articles: number;
  followed: boolean;
}

export function Follows({
  topics,
  symbols,
  prefs,
  onDone,
}: {
  topics: TopicCount[];
  symbols: string[];
  prefs: NewsPreferences;
  onDone: () => Promise<void>;
}) {
  const s = useSubmit(async (f) => {
    const body = { topics: f.getAll("topic").map(String), symbols: f.getAll("symbol").map(String) };
    const saved = unwrap(await api.PUT("/v1/news/preferences", { body }));
    await onDone();
    return `Following ${saved.topics.length} topics and ${saved.symbols.length} symbols.`;
  });
  const followedTopics = new Set(prefs.topics);
  const followedSymbols = new Set(prefs.symbols);
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-follows" data-testid="news-follows">
      <h2 id="h-follows">What you follow</h2>
      <p class="muted">Followed topics and symbols, with the symbols you hold, rank stories higher under “For you”.</p>
      <fieldset class="choices">
        <legend>Topics</legend>
        {topics.map((t) => (
          <label key={t.topic}>
            <input type="checkbox" name="topic" value={t.topic} defaultChecked={followedTopics.has(t.topic)} /> {t.topic} ({t.articles})
          </label>
        ))}
      </fieldset>
      <fieldset class="choices">
        <legend>Symbols</legend>
        {symbols.map((sym) => (
          <label key={sym}>
            <input type="checkbox" name="symbol" value={sym} defaultChecked={followedSymbols.has(sym)} /> {sym}
          </label>
        ))}
      </fieldset>
      <FormStatus s={s} />
      <button type="submit" disabled={s.busy}>
        Save follows
      </button>
    </form>
  );
}
