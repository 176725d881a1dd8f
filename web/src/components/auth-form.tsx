/** The sign-in and registration form (one component, two pages). */
import { useState } from "preact/hooks";
import { ErrorNote } from "./status";

interface Props {
  submitLabel: string;
  withName?: boolean;
  onSubmit: (f: { email: string; password: string; name: string }) => Promise<void>;
}

export function AuthForm({ submitLabel, withName, onSubmit }: Props) {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card narrow"
      onSubmit={async (e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        setBusy(true);
        setError(undefined);
        try {
          await onSubmit({
            email: String(data.get("email")),
            password: String(data.get("password")),
            name: String(data.get("name") ?? ""),
          });
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      {withName && (
        <label>
          Name (optional)
          <input name="name" autoComplete="name" />
        </label>
      )}
      <label>
        Email
        <input name="email" type="email" required autoComplete="email" />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          required
          minLength={withName ? 10 : 1}
          autoComplete={withName ? "new-password" : "current-password"}
        />
      </label>
      <ErrorNote error={error} />
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
