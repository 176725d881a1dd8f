/** The signed-in user and access token, in memory only; components subscribe through useSession(). */
import { useEffect, useState } from "preact/hooks";
import type { User } from "../api/types";

export interface SessionState {
  user: User;
  accessToken: string;
}

let current: SessionState | null = null;
const listeners = new Set<(s: SessionState | null) => void>();

export function getSession(): SessionState | null {
  return current;
}

export function setSession(next: SessionState | null): void {
  current = next;
  for (const l of listeners) l(next);
}

export function useSession(): SessionState | null {
  const [s, set] = useState(current);
  useEffect(() => {
    listeners.add(set);
    set(current);
    return () => void listeners.delete(set);
  }, []);
  return s;
}
