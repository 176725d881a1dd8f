import { Link } from "./link";

/** The page for an unknown path, and for data the API answers 404 (another user's account looks exactly like a missing one). */
export function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no page here. <Link href="/">Go to the dashboard</Link>.
      </p>
    </section>
  );
}
