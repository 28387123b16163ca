// When to retry and how long to wait: pure functions, tested in tests/unit/sdk-retry.test.ts.
import type { Method } from "../contract/define";

/** Statuses that mean "not done, try again later": the request was refused before any change. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Methods that may be sent twice with the effect of once (RFC 9110 §9.2.2). */
export function isIdempotent(method: Method): boolean {
  return method === "GET" || method === "PUT" || method === "DELETE";
}

/**
 * Retry-After as milliseconds from `now`: a whole number of seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`; a date in the past is 0). Anything else is undefined.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // An HTTP date names its weekday and month; a bare number or a sloppy string is not one.
  if (!/^[A-Za-z]{3},? /.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export type BackoffOptions = { baseDelayMs: number; maxDelayMs: number };

/**
 * Exponential backoff with jitter for retry `attempt` (1 for the first retry): half of
 * min(max, base·2^(attempt−1)) plus a random part of the other half ("equal jitter"), so that
 * clients that failed together do not retry together, and the wait still grows.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Error codes (Node's, under `cause`) that mean the request never left: safe to retry any method. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** The system error code under a fetch failure (`ECONNREFUSED`), where the runtime gives one. */
export function networkErrorCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown; errors?: { code?: unknown }[] } } | null)?.cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  return typeof code === "string" ? code : undefined;
}

/** True when a failed fetch certainly sent nothing (the connection was never made). */
export function certainlyNotSent(err: unknown): boolean {
  const code = networkErrorCode(err);
  return code !== undefined && NOT_SENT.has(code);
}
