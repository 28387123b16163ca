import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";
import { HOOK_HANG_GUARD_MS, POLL_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from "./tests/helpers/hang-guard.ts";

// The integration suite runs on SQLite always, and again on PostgreSQL when TEST_POSTGRES_URL
// is set (CI sets it). Each test file gets a fresh database: a copy of a migrated SQLite
// template, or its own PostgreSQL schema that is dropped afterwards.
const postgresUrl = process.env.TEST_POSTGRES_URL;

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    pool: "forks",
    // At least 2 test files at once, even on a 2-core machine (vitest's default is cores - 1, so 1 there):
    // most of an end-to-end file's time is spent waiting for its own server, browser or CLI process.
    // Files share nothing: each has its own database, data folder and server port.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Hang guards, not budgets (tests/helpers/hang-guard.ts): a verdict never depends on the
    // machine's speed, so no test or file sets a shorter limit of its own.
    testTimeout: TEST_HANG_GUARD_MS,
    hookTimeout: HOOK_HANG_GUARD_MS,
    expect: { poll: { timeout: POLL_HANG_GUARD_MS, interval: 100 } },
    setupFiles: ["tests/setup/per-file.ts"],
    projects: [
      {
        extends: true as const,
        test: { name: "sqlite", globalSetup: ["tests/setup/global.ts"], include: ["tests/**/*.test.ts"], env: { TEST_DB: "sqlite" } },
      },
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: {
                name: "postgres",
                globalSetup: ["tests/setup/global.ts"],
                include: ["tests/integration/**/*.test.ts", "tests/e2e/**/*.pg.test.ts"],
                // No database work: the route tree against the contract, and the OpenAPI document.
                // They gain nothing from a second run (and a PostgreSQL schema migrated for it).
                exclude: ["tests/integration/contract-routes.test.ts", "tests/integration/openapi.test.ts"],
                env: { TEST_DB: "postgres" },
              },
            },
          ]
        : []),
    ],
  },
});
