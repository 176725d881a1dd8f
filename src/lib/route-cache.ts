/**
 * Remembers the router's answer per method and path. The app's 560-odd
 * routes fall back from Hono's RegExpRouter to its TrieRouter (a few static
 * paths sit beside parameters, e.g. /v1/notifications/read-all), which walks
 * the trie and sorts every matched handler on each request; a money route's
 * match was 2–4 % of a deposit's isolate time. The match is a pure function
 * of the method and path once the routes are built, and Hono only reads what
 * it returns, so a repeat answers from the map. Bounded: long paths are not
 * kept, and the map starts over at MAX_PATHS.
 */
import type { Router } from "hono/router";

export const MAX_PATHS = 2_000;
const MAX_PATH_LENGTH = 200;

export function cacheRoutes<T>(router: Router<T>): void {
  // The first match builds the routes and makes the router settle on its implementation
  // (SmartRouter replaces its own `match` then), so the wrapper goes on the settled one.
  router.match("GET", "/");
  const match = router.match.bind(router);
  const seen = new Map<string, ReturnType<Router<T>["match"]>>();
  router.match = (method, path) => {
    if (path.length > MAX_PATH_LENGTH) return match(method, path);
    const key = `${method} ${path}`;
    let result = seen.get(key);
    if (result === undefined) {
      result = match(method, path);
      if (seen.size >= MAX_PATHS) seen.clear();
      seen.set(key, result);
    }
    return result;
  };
}
