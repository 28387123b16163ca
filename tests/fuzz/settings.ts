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
 * The fuzzed server's configuration. TESSERA_AUTH_FAILURE_LIMIT (failed token checks per address per
 * minute, default 60) is raised: the fuzzer's anonymous, malformed, expired and revoked callers fail
 * on purpose from one address, and at the default every later failure would be a 429 that hides the
 * 401 paths. At 1,000 a minute it still trips in long runs (429 with Retry-After, checked like any
 * answer). Logging stays at warn so that a 5xx's "request failed" line shows in the output.
 */
export const FUZZ_SERVER_ENV: Record<string, string> = {
  TESSERA_AUTH_FAILURE_LIMIT: "1000",
  TESSERA_LOG_LEVEL: "warn",
};
