/**
 * Form submission for the pages: `useSubmit(run)` gives `{busy, error, done,
 * onSubmit}`; the handler reads the form's fields, prevents a double submit
 * and shows the API's error message. An idempotency key is made once per form
 * showing and renewed after a success or a 4xx answer, so a retried click after
 * a lost reply replays rather than repeating the operation, and a corrected
 * form is a new request.
 */
import { useRef, useState } from "preact/hooks";
import { ApiError } from "../api/errors";

export interface Submit {
  busy: boolean;
  error: unknown;
  done: string | undefined;
  onSubmit: (e: Event) => Promise<void>;
}

export function useSubmit(run: (fields: FormData, key: string, form: HTMLFormElement) => Promise<string | undefined>): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const key = useRef(crypto.randomUUID());
  return {
    busy,
    error,
    done,
    onSubmit: async (e: Event) => {
      e.preventDefault();
      if (busy) return;
      const form = e.currentTarget as HTMLFormElement;
      setBusy(true);
      setError(undefined);
      setDone(undefined);
      try {
        // With the submitter, so a form with two buttons (name="action") knows which was pressed.
        setDone(await run(new FormData(form, (e as SubmitEvent).submitter), key.current, form));
        key.current = crypto.randomUUID();
      } catch (err) {
        setError(err);
        // The server answered (a 4xx is final and may be recorded under the key): the next attempt is a new
        // request, so a corrected body must not meet this key's record. Only a lost or 5xx reply keeps the key for a retry.
        if (err instanceof ApiError && err.status < 500) key.current = crypto.randomUUID();
        // Focus the first field so a keyboard user can correct the input at once.
        (form.querySelector("input, select, textarea") as HTMLElement | null)?.focus();
      } finally {
        setBusy(false);
      }
    },
  };
}

/** A field's text, trimmed; undefined when empty. */
export function field(data: FormData, name: string): string | undefined {
  const v = data.get(name);
  const s = typeof v === "string" ? v.trim() : "";
  return s === "" ? undefined : s;
}

/** An error a person made in the form, shown like an API error. */
export class InputError extends Error {}
