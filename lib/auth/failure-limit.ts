// Rate limit for failed token checks, per client address: after `TESSERA_AUTH_FAILURE_LIMIT`
// failures (401 on /api/v1, `valid: false` from the verify endpoint) within a minute, the address's
// further failures get 429 with Retry-After until the minute is over.
//
// It limits failures, not successes: a presented token is always checked, and a valid one passes
// whatever its address did (one bad client behind a shared NAT or gateway must not cut off the
// others). A malformed value (shape or checksum) is refused before any database work, so a blocked
// address's malformed flood costs nothing; a well-formed unknown value costs the one indexed lookup
// that every authenticated request costs, then gets its 429. Telling a valid token from a
// well-formed unknown one needs that lookup, so it cannot be refused more cheaply without refusing
// valid tokens too.
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

/**
 * A failed token check from `ip`: once the address has used up its failures for this minute the
 * failure is answered with RATE_LIMITED (429, thrown) instead of a 401, otherwise it is counted.
 * Call it after a check has failed, never before checking: the limit is on failures, so a valid
 * token from a blocked address (a shared NAT or gateway) still passes.
 */
export function countFailure(ip: string | null, now = Date.now()): void {
  assertNotBlocked(ip, now);
  recordFailure(ip, now);
}

/** Forgets all counts (tests). */
export function resetFailureLimits(): void {
  windows.clear();
}
