/**
 * Load something for a page: `{data, error, loading, reload}`. With `pollMs`
 * it reloads on that interval while the tab is visible, so Gold-backed views
 * (the dashboard) follow the pipeline without a page reload.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
}

export function useData<T>(load: () => Promise<T>, deps: unknown[], { pollMs }: { pollMs?: number } = {}): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const last = useRef("");
  // The caller's deps decide when the loader changes.
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const value = await load();
      if (mine !== generation.current) return;
      // A poll that brings the same data leaves the page (and its charts) as they are.
      const json = JSON.stringify(value);
      if (json !== last.current) {
        last.current = json;
        setData(value);
      }
      setError(undefined);
    } catch (err) {
      if (mine === generation.current) setError(err);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, deps);

  useEffect(() => {
    setLoading(true);
    setData(undefined);
    last.current = "";
    void reload();
    if (!pollMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void reload();
    }, pollMs);
    return () => {
      clearInterval(timer);
      generation.current++;
    };
  }, [reload, pollMs]);

  return { data, error, loading, reload };
}
