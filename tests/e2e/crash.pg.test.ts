// The short crash test (on both databases): the production server is SIGKILLed three times during
// bursts of acknowledged writes and restarted; every acknowledged write is there, nothing is
// half-written, and the database passes its own integrity checks. `npm run crash-test` runs the
// long version (tests/chaos/crash-lib.ts holds both).
import { expect, it } from "vitest";
import { formatFigures, runCrashTest } from "../chaos/crash-lib";

it("keeps every acknowledged write, and nothing half-written, across SIGKILLs of the server", { timeout: 1_800_000 }, async () => {
  const figures = await runCrashTest({
    kills: 3,
    env: { DATABASE_URL: process.env.DATABASE_URL!, TESSERA_AUTH_SECRET: process.env.TESSERA_AUTH_SECRET!, TESSERA_MASTER_KEY: process.env.TESSERA_MASTER_KEY! },
  });
  console.log(formatFigures(figures));
  expect(figures.problems).toEqual([]);
  expect(figures.kills).toBe(3);
  expect(figures.acknowledged).toBeGreaterThan(0);
  expect(figures.found).toBe(figures.acknowledged);
  expect(figures.integrity).toMatch(/integrity_check ok, foreign_key_check 0 rows|clean/);
});
