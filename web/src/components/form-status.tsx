/** A form's outcome: the error (role=alert) or the success note (role=status), announced to screen readers. */
import type { Submit } from "./form";
import { ErrorNote } from "./status";

export function FormStatus({ s }: { s: Submit }) {
  return (
    <>
      <ErrorNote error={s.error} />
      <p class="success" role="status" aria-live="polite">
        {s.done ?? ""}
      </p>
    </>
  );
}
