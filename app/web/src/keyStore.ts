/**
 * Where the API key lives: in memory, and in sessionStorage (this tab only, gone when it closes) when the user asks.
 * Never localStorage: a key there outlives the session and is readable by any later script on the origin.
 */
const SESSION_KEY = "groundwork.apiKey";

let current: string | undefined;

/** The key in use, if any (memory first, then this tab's session storage). */
export function getKey(): string | undefined {
  if (current === undefined) current = sessionStorage.getItem(SESSION_KEY) ?? undefined;
  return current;
}

/** Uses `key`; `remember` also keeps it in this tab's session storage, otherwise any stored copy is removed. */
export function setKey(key: string, remember: boolean): void {
  current = key;
  if (remember) sessionStorage.setItem(SESSION_KEY, key);
  else sessionStorage.removeItem(SESSION_KEY);
}

/** Forgets the key everywhere it was kept. */
export function clearKey(): void {
  current = undefined;
  sessionStorage.removeItem(SESSION_KEY);
}
