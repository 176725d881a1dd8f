import { Link } from "../../components/link";

/** Links between the admin pages (each its own folder under pages/). */
export function AdminNav() {
  return (
    <nav aria-label="Admin" class="subnav">
      <Link href="/admin">Pipeline runs</Link> · <Link href="/admin/dead-letters">Dead letters</Link> ·{" "}
      <Link href="/admin/replay">Replay</Link> · <Link href="/admin/reconcile">Reconcile</Link> · <Link href="/admin/users">Users</Link> ·{" "}
      <Link href="/admin/audit">Audit log</Link>
    </nav>
  );
}
