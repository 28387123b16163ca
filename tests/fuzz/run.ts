// `npm run fuzz`: the long fuzz run (tests/fuzz/fuzz.ts) against the production server, with figures.
//   FUZZ_RUNS  requests (default 100,000)
//   FUZZ_SEED  the seed (default: a new one, printed first); FUZZ_PATH: fast-check's path, to replay one failure
//   FUZZ_DB    sqlite (default: a new file in a temporary folder) or postgres (a new schema in
//              FUZZ_POSTGRES_URL or TEST_POSTGRES_URL, dropped afterwards)
// Every property failure is counted (the run goes on); the exit code is 1 when there was any.
// Ctrl-C stops it early and still prints the figures.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { KEYS, newPgSchema } from "../bench/common";
import { startServer } from "../helpers/server";
import { fuzzSeed, FUZZ_SERVER_ENV } from "./settings";

const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
const seed = fuzzSeed();
const which = process.env.FUZZ_DB ?? "sqlite";
if (which !== "sqlite" && which !== "postgres") throw new Error("FUZZ_DB must be sqlite or postgres");

const dir = mkdtempSync(path.join(tmpdir(), "tessera-fuzz-"));
let databaseUrl = `file:${dir}/fuzz.db`;
let dropSchema = async () => {};
if (which === "postgres") {
  const base = process.env.FUZZ_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;
  if (!base) throw new Error("FUZZ_DB=postgres needs FUZZ_POSTGRES_URL or TEST_POSTGRES_URL");
  ({ url: databaseUrl, drop: dropSchema } = await newPgSchema(base, `fuzz_${randomBytes(4).toString("hex")}`));
}

console.log(`FUZZ_SEED=${seed} FUZZ_RUNS=${runs} FUZZ_DB=${which}`);
// The server migrates the database as it starts; this process then reads the same database (the
// world's fixtures, the state hashes) with the same keys.
Object.assign(process.env, KEYS, { DATABASE_URL: databaseUrl, TESSERA_DATA_DIR: dir, TESSERA_LOG_LEVEL: "silent" });
const server = await startServer({ ...KEYS, DATABASE_URL: databaseUrl, TESSERA_DATA_DIR: dir, ...FUZZ_SERVER_ENV });
let code = 1;
// Ctrl-C (SIGINT) ends the run after the request in flight and prints the figures so far.
let interrupted = false;
process.on("SIGINT", () => {
  interrupted = true;
});
try {
  const { formatStats, runFuzz } = await import("./fuzz");
  const stats = await runFuzz({
    url: server.url,
    runs,
    seed,
    mode: "collect",
    path: process.env.FUZZ_PATH,
    progressEvery: 2000,
    progress: (s) => console.log(`  ${s.requests} requests, ${(s.requests / s.seconds).toFixed(1)}/s, 5xx ${s.fiveHundreds}, failures ${s.failureCount}`),
    stopRequested: () => interrupted,
  });
  if (interrupted) console.log(`interrupted: the figures of the first ${stats.requests} requests`);
  console.log(formatStats(stats, seed));
  code = stats.failureCount ? 1 : 0;
  if (stats.fiveHundreds) console.log(`server output (last 4000 characters):\n${server.output().slice(-4000)}`);
} finally {
  await server.stop();
  const { closeDb } = await import("@/lib/db/client");
  await closeDb();
  await dropSchema();
}
process.exit(code);
