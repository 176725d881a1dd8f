/**
 * The shell: skip link, header and navigation, then the page the router
 * matched. Pages marked `user` need a session (else → /signin?next=…), pages
 * marked `admin` need the admin role (else a "not allowed" page). Focus moves
 * to the main region on every navigation, and the document title follows.
 * While the start-up refresh runs (session/actions.ts restoreSession), guarded
 * pages wait for it rather than sending a returning visitor to sign in.
 */
import { useEffect, useRef } from "preact/hooks";
import { Link } from "./components/link";
import { NotFound } from "./components/not-found";
import { Loading } from "./components/status";
import { useUnread } from "./lib/unread";
import { match, navigate, routes, useLocation } from "./router";
import { signOut } from "./session/actions";
import { useRestoring, useSession } from "./session/state";

export function App() {
  const url = useLocation();
  const session = useSession();
  const restoring = useRestoring();
  const unread = useUnread(session?.user.id);
  const main = useRef<HTMLElement>(null);
  const found = match(url.pathname);
  const route = found?.route;
  const waiting = route && route.access !== "public" && !session && restoring;
  const needsSignIn = route && route.access !== "public" && !session && !restoring;
  const forbidden = route?.access === "admin" && session && session.user.role !== "admin";

  useEffect(() => {
    if (needsSignIn) navigate(`/signin?next=${encodeURIComponent(url.pathname + url.search)}`, { replace: true });
  }, [needsSignIn, url.pathname, url.search]);

  const title = forbidden ? "Not allowed" : (route?.title ?? "Not found");
  useEffect(() => {
    document.title = `${title} · FinEdge`;
    main.current?.focus({ preventScroll: true });
  }, [title, url.pathname]);

  const nav = routes
    .filter((r) => r.nav && (r.access === "user" || (r.access === "admin" && session?.user.role === "admin")))
    .sort((a, b) => a.nav!.order - b.nav!.order);

  let page = null;
  if (!route) page = <NotFound />;
  else if (waiting) page = <Loading what="Restoring your session" />;
  else if (needsSignIn) page = null;
  else if (forbidden) page = <Forbidden />;
  else page = <route.component params={found.params} />;

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href={session ? "/" : "/signin"} class="brand">
          FinEdge
        </Link>
        {session && (
          <nav aria-label="Main">
            <ul>
              {nav.map((r) => (
                <li key={r.path}>
                  <Link href={r.path} aria-current={url.pathname === r.path ? "page" : undefined}>
                    {r.nav!.label}
                    {r.path === "/inbox" && unread ? (
                      <span class="badge" data-testid="unread-badge">
                        {unread}
                        <span class="sr-only"> unread</span>
                      </span>
                    ) : null}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {session && (
          <div class="who">
            <span class="muted" data-testid="signed-in-as">
              {session.user.email}
            </span>
            <button
              type="button"
              class="secondary"
              onClick={async () => {
                await signOut();
                // Pushed, so Back lands on the page just left, which now asks to sign in again.
                navigate("/signin");
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {page}
      </main>
    </>
  );
}

function Forbidden() {
  return (
    <section>
      <h1>Not allowed</h1>
      <p>This page is for administrators.</p>
    </section>
  );
}
