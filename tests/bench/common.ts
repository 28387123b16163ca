// Shared by the benchmarks: the server's memory, seeding a user and workspace, and running each
// database in its own process (configuration is read once per process).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { RunningServer } from "../helpers/server";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const KEYS = {
  TESSERA_AUTH_SECRET: "bench-auth-secret-0123456789abcdefghijklmnop",
  TESSERA_MASTER_KEY: `1:${Buffer.alloc(32, 3).toString("base64")}`,
};
export const OUT_DIR = path.join(ROOT, "tests/bench/results");

/** The pids of the Next.js server process (lib/launcher/server.mjs) under the launcher. */
export function serverPids(server: RunningServer): number[] {
  const found: number[] = [];
  const visit = (pid: number) => {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("server.mjs")) found.push(pid);
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
      for (const c of children) visit(Number(c));
    } catch {
      /* gone */
    }
  };
  visit(server.child.pid!);
  return found;
}

/** A field of /proc/<pid>/status in MB (VmRSS now, VmHWM the peak), summed over the server's processes. */
export function serverMemoryMb(server: RunningServer, field: "VmRSS" | "VmHWM"): number {
  let total = 0;
  for (const pid of serverPids(server)) {
    try {
      total += Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
    } catch {
      /* gone */
    }
  }
  return Math.round(total);
}

/** Peak resident memory (VmHWM, MB) of the server process. */
export const peakMemoryMb = (server: RunningServer) => serverMemoryMb(server, "VmHWM");

export const ratio = (x: number, base: number) => Math.round((x / base) * 100) / 100;

/**
 * Runs `file` once per database in a child process (`<file> <name> <url>`), SQLite always and
 * PostgreSQL when BENCH_POSTGRES_URL or TEST_POSTGRES_URL is set (in a schema dropped afterwards),
 * of those `databases` names, then prints each result with `print`. Exits the process.
 */
export async function runPerDatabase(
  file: string,
  resultName: string,
  print: (r: Record<string, unknown>) => void,
  databases: ("sqlite" | "postgres")[] = ["sqlite", "postgres"],
): Promise<never> {
  const sqliteDir = mkdtempSync(path.join(tmpdir(), "tessera-bench-db-"));
  const runs: ["sqlite" | "postgres", string, (() => Promise<void>)?][] = databases.includes("sqlite") ? [["sqlite", `file:${sqliteDir}/bench.db`]] : [];
  const pgBase = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;
  if (pgBase && databases.includes("postgres")) {
    const schema = `bench_${Date.now()}`;
    const c = new pg.Client({ connectionString: pgBase });
    await c.connect();
    await c.query(`CREATE SCHEMA "${schema}"`);
    await c.end();
    const url = new URL(pgBase);
    url.searchParams.set("schema", schema);
    runs.push([
      "postgres",
      url.toString(),
      async () => {
        const d = new pg.Client({ connectionString: pgBase });
        await d.connect();
        await d.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await d.end();
      },
    ]);
  }
  let failed = false;
  for (const [name, url, cleanup] of runs) {
    try {
      const child = spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), file, name, url], { stdio: "inherit", cwd: ROOT });
      if (child.status !== 0) {
        failed = true;
        continue;
      }
      print(JSON.parse(readFileSync(path.join(OUT_DIR, `${resultName}-${name}.json`), "utf8")));
    } finally {
      await cleanup?.();
    }
  }
  console.log(`\nwrote ${path.relative(ROOT, OUT_DIR)}/${resultName}-*.json`);
  process.exit(failed ? 1 : 0);
}
