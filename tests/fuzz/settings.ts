// What the bounded test and `npm run fuzz` share: the seed and the server's configuration.
import { randomInt } from "node:crypto";

/** FUZZ_SEED when given (a replay), otherwise a new one. */
export function fuzzSeed(): number {
  const given = process.env.FUZZ_SEED;
  if (given !== undefined && given !== "") {
    const n = Number(given);
    if (!Number.isSafeInteger(n)) throw new Error(`FUZZ_SEED must be an integer, not ${given}`);
    return n;
  }
  return randomInt(0, 2 ** 31 - 1);
}

/**
 * The fuzzed server's configuration (both documented in docs/configuration.md):
 * - TESSERA_TRUST_PROXY=true: the client address is the request's last X-Forwarded-For entry, which
 *   the fuzzer sets (tests/fuzz/requests.ts `clientAddress`). Its anonymous, malformed, expired and
 *   revoked callers fail on purpose; from one address, every failure after the first minute's limit
 *   would be a 429 that hides the 401 paths. Spread over addresses, only the hot one trips the limit.
 * - TESSERA_AUTH_FAILURE_LIMIT=30 (default 60): lower, so that the hot address trips it within seconds
 *   even on a slow machine, and 429s (with Retry-After) are exercised in every run.
 * The limits kept in the database (match checks, device logins, workspace creation) keep their
 * defaults. Logging stays at warn so that a 5xx's "request failed" line shows in the output.
 */
export const FUZZ_SERVER_ENV: Record<string, string> = {
  TESSERA_TRUST_PROXY: "true",
  TESSERA_AUTH_FAILURE_LIMIT: "30",
  TESSERA_LOG_LEVEL: "warn",
};
