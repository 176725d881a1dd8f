/**
 * Polls a background job (an export, a replay) until it leaves `queued` and
 * `running`, and gives its latest state or the error that stopped the polling.
 */
import { useEffect, useState } from "preact/hooks";
import { errorMessage } from "../api/errors";

export function usePolledJob<J extends { status: string }>(
  load: () => Promise<J>,
  key: string,
  everyMs: number,
): { job: J | undefined; error: string | undefined } {
  const [job, setJob] = useState<J | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        const j = await load();
        if (stop) return;
        setJob(j);
        if (j.status === "queued" || j.status === "running") timer = setTimeout(tick, everyMs);
      } catch (err) {
        if (!stop) setError(errorMessage(err));
      }
    };
    void tick();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [key]); // the job is named by `key`; `load` is a new closure on every render
  return { job, error };
}
