/**
 * A button's action (delete, acknowledge, cancel…): its error is cleared when
 * it starts and shown when it fails, so every row action reports the same way.
 */
import { useState } from "preact/hooks";
import { errorMessage } from "../api/errors";

export function useAction(): { error: string | undefined; run: (action: () => Promise<unknown>) => Promise<void> } {
  const [error, setError] = useState<string | undefined>();
  const run = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return { error, run };
}
