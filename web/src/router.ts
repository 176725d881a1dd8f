/**
 * A small client-side router. Every folder web/src/pages/<name>/ with an
 * index.tsx exporting `route` is a page: adding a page is adding a folder.
 * Paths are patterns like "/accounts/:id"; links are plain <a href> that the
 * shell intercepts (see components/link.tsx), and back/forward work.
 */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

export type Access = "public" | "user" | "admin";

export interface PageRoute {
  path: string;
  /** The document title and the page's heading. */
  title: string;
  access: Access;
  /** Shown in the navigation with this label, in this order. */
  nav?: { label: string; order: number };
  component: ComponentType<{ params: Record<string, string> }>;
}

const modules = import.meta.glob<{ route: PageRoute }>("./pages/*/index.tsx", { eager: true });
export const routes: PageRoute[] = Object.values(modules).map((m) => m.route);

const compiled = routes.map((r) => {
  const names: string[] = [];
  const source = r.path.replace(/:([a-z_]+)/gi, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { route: r, re: new RegExp(`^${source}/?$`), names };
});

export function match(pathname: string): { route: PageRoute; params: Record<string, string> } | null {
  for (const c of compiled) {
    const m = c.re.exec(pathname);
    if (m) return { route: c.route, params: Object.fromEntries(c.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return null;
}

const EVENT = "finedge:navigate";

export function navigate(to: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  window.dispatchEvent(new Event(EVENT));
}

/** The current location (path + search), re-rendering on navigation. */
export function useLocation(): URL {
  const [url, setUrl] = useState(() => new URL(location.href));
  useEffect(() => {
    const update = () => setUrl(new URL(location.href));
    window.addEventListener("popstate", update);
    window.addEventListener(EVENT, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(EVENT, update);
    };
  }, []);
  return url;
}
