// Rate limit for failed token checks, per client address: after `TESSERA_AUTH_FAILURE_LIMIT`
// failures (401 on /api/v1, `valid: false` from the verify endpoint) within a minute, the address
// gets 429 with Retry-After until the minute is over.
//
// Counted in memory, per instance: a malformed-token flood must be turned away without touching
// the database (that is the point of the checksum), so a shared counter would defeat it. With N
// instances an address gets at most N × the limit per minute. Memory is bounded: at most
// MAX_ADDRESSES windows are kept, oldest evicted first.
import { config } from "../config";
import { AppError } from "../errors";

const WINDOW_MS = 60_000;
const MAX_ADDRESSES = 100_000;

type Window = { start: number; failures: number };
const windows = new Map<string, Window>();

const keyOf = (ip: string | null) => ip ?? "unknown";

function current(key: string, now: number): Window | undefined {
  const w = windows.get(key);
  if (w && now - w.start >= WINDOW_MS) {
    windows.delete(key);
    return undefined;
  }
  return w;
}

/** Throws RATE_LIMITED (429, Retry-After) when the address used up its failures for this minute. */
export function assertNotBlocked(ip: string | null, now = Date.now()): void {
  const w = current(keyOf(ip), now);
  if (w && w.failures >= config().authFailureLimit) {
    const retryAfterSeconds = Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
    throw new AppError("RATE_LIMITED", `Too many failed token checks from this address. Try again in ${retryAfterSeconds} s.`, {
      retryAfterSeconds,
    });
  }
}

/** Counts one failed check for the address. */
export function recordFailure(ip: string | null, now = Date.now()): void {
  const key = keyOf(ip);
  const w = current(key, now);
  if (w) {
    w.failures += 1;
    return;
  }
  if (windows.size >= MAX_ADDRESSES) {
    const oldest = windows.keys().next().value;
    if (oldest !== undefined) windows.delete(oldest);
  }
  windows.set(key, { start: now, failures: 1 });
}

/** Forgets all counts (tests). */
export function resetFailureLimits(): void {
  windows.clear();
}
