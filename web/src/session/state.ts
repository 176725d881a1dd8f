/**
 * The signed-in user and access token, in memory only; components subscribe
 * through useSession(). `restoring` is true while the start-up refresh (from
 * the HttpOnly cookie) is in flight, so guarded pages wait instead of sending
 * a returning visitor to sign in.
 */
import { useEffect, useState } from "preact/hooks";
import type { User } from "../api/types";

export interface SessionState {
  user: User;
  accessToken: string;
}

let current: SessionState | null = null;
let restoring = false;
const listeners = new Set<() => void>();

export function getSession(): SessionState | null {
  return current;
}

function emit(): void {
  for (const l of listeners) l();
}

export function setSession(next: SessionState | null): void {
  current = next;
  emit();
}

export function setRestoring(value: boolean): void {
  restoring = value;
  emit();
}

export function isRestoring(): boolean {
  return restoring;
}

function useStore<T>(read: () => T): T {
  const [value, set] = useState(read);
  useEffect(() => {
    const on = () => set(read);
    listeners.add(on);
    on();
    return () => void listeners.delete(on);
  }, []);
  return value;
}

export function useSession(): SessionState | null {
  return useStore(getSession);
}

export function useRestoring(): boolean {
  return useStore(isRestoring);
}
