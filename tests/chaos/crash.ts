// `npm run crash-test`: kills the production server with SIGKILL during bursts of acknowledged
// writes and checks, after each restart, that every acknowledged write is there, nothing is
// half-written and the database is sound (tests/chaos/crash-lib.ts says what is checked).
//   CRASH_KILLS  kills per database (default 50 on SQLite, 20 on PostgreSQL)
//   CRASH_DB     sqlite, postgres, or both (default: both; PostgreSQL needs BENCH_POSTGRES_URL or
//                TEST_POSTGRES_URL, and runs in a schema of its own, dropped afterwards)
//   CRASH_BURST  writes sent at once in each burst (default 24)
// Figures go to stdout and tests/bench/results/crash-<database>.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { KEYS, OUT_DIR, ROOT, runPerDatabase } from "../bench/common";
import { formatFigures, runCrashTest, type CrashFigures } from "./crash-lib";

const [mode, url] = process.argv.slice(2);

if (mode === "--help" || mode === "-h") {
  console.log("usage: npm run crash-test   (CRASH_KILLS=50 CRASH_DB=sqlite|postgres|both CRASH_BURST=24; PostgreSQL on TEST_POSTGRES_URL)");
  process.exit(0);
}

if (mode === "sqlite" || mode === "postgres") {
  Object.assign(process.env, KEYS, { DATABASE_URL: url });
  const { migrateUrl } = await import("../../lib/db/migrate");
  await migrateUrl(url!, ROOT);
  const kills = Number(process.env.CRASH_KILLS ?? (mode === "sqlite" ? 50 : 20));
  console.log(`\n== ${mode}: ${kills} kills`);
  const figures = await runCrashTest({
    kills,
    burstSize: Number(process.env.CRASH_BURST ?? 24),
    env: { ...KEYS, DATABASE_URL: url! },
    log: (line) => console.log(`  ${line}`),
  });
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(`${OUT_DIR}/crash-${mode}.json`, JSON.stringify(figures, null, 2) + "\n");
  const failed = figures.problems.length > 0 || figures.found !== figures.acknowledged;
  // The parent prints the figures of a clean run; a failed one is printed here.
  if (failed) console.log(formatFigures(figures));
  process.exit(failed ? 1 : 0);
}

const which = (process.env.CRASH_DB ?? "both").toLowerCase();
if (!["sqlite", "postgres", "both"].includes(which)) {
  console.error("crash-test: CRASH_DB must be sqlite, postgres or both");
  process.exit(2);
}
if (which === "postgres" && !(process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL)) {
  console.error("crash-test: CRASH_DB=postgres needs TEST_POSTGRES_URL (or BENCH_POSTGRES_URL)");
  process.exit(2);
}
await runPerDatabase(import.meta.filename, "crash", (r) => console.log(`\n${formatFigures(r as unknown as CrashFigures)}`), which === "both" ? ["sqlite", "postgres"] : [which as "sqlite" | "postgres"]);
