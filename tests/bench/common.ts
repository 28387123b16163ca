// Shared by the benchmarks: the server's memory, seeding a user and workspace, and running each
// database in its own process (configuration is read once per process).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
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
/** TESSERA_SERVER_HEAP_MB of the bench's own environment, passed to the server (to compare ceilings). */
export const SERVER_HEAP_ENV: Record<string, string> = process.env.TESSERA_SERVER_HEAP_MB ? { TESSERA_SERVER_HEAP_MB: process.env.TESSERA_SERVER_HEAP_MB } : {};

/** `pid` and its descendants (from /proc), each with its command line. */
export function processTree(pid: number): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  const visit = (p: number) => {
    try {
      found.push({ pid: p, cmdline: readFileSync(`/proc/${p}/cmdline`, "utf8").replaceAll("\0", " ").trim() });
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const children = readFileSync(`/proc/${p}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
        for (const c of children) visit(Number(c));
      }
    } catch {
      /* gone */
    }
  };
  visit(pid);
  return found;
}

/** The pids of the Next.js server process (lib/launcher/server.mjs) under the launcher. */
export function serverPids(server: RunningServer): number[] {
  return processTree(server.child.pid!)
    .filter((p) => p.cmdline.includes("server.mjs"))
    .map((p) => p.pid);
}

function statusMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  } catch {
    return 0; // gone
  }
}

/** Proportional set size (MB): private pages plus a share of those mapped by several processes. */
function pssMb(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0) / 1024;
  } catch {
    return 0; // gone, or no smaps_rollup (Linux < 4.14)
  }
}

export type TreeSample = { at: number; totalMb: number; totalPssMb: number; processes: { pid: number; cmdline: string; rssMb: number; pssMb: number }[] };

/**
 * The resident memory (VmRSS, MB) of each process of the tree under `pid`, and their sum; and the
 * same in PSS, which counts the node binary's pages once between npm and the server (a sum of RSS
 * counts them in each).
 */
export function treeRss(pid: number): TreeSample {
  const processes = processTree(pid).map((p) => ({ ...p, rssMb: Math.round(statusMb(p.pid, "VmRSS") * 10) / 10, pssMb: Math.round(pssMb(p.pid) * 10) / 10 }));
  const sum = (k: "rssMb" | "pssMb") => Math.round(processes.reduce((a, p) => a + p[k], 0));
  return { at: Date.now(), totalMb: sum("rssMb"), totalPssMb: sum("pssMb"), processes };
}

/**
 * Samples the tree's RSS every `everyMs` until stopped: the peak of the sum (the processes' own
 * peaks, VmHWM, need not coincide) and the sample it was seen in.
 */
export function sampleTree(pid: number, everyMs = 250) {
  let peak: TreeSample = treeRss(pid);
  const samples: TreeSample[] = [peak];
  const timer = setInterval(() => {
    const s = treeRss(pid);
    samples.push(s);
    if (s.totalMb > peak.totalMb) peak = s;
  }, everyMs);
  timer.unref();
  return {
    samples,
    peak: () => peak,
    stop: () => clearInterval(timer),
  };
}

/** A field of /proc/<pid>/status in MB (VmRSS now, VmHWM the peak), summed over the server's processes. */
export function serverMemoryMb(server: RunningServer, field: "VmRSS" | "VmHWM"): number {
  return Math.round(serverPids(server).reduce((total, pid) => total + statusMb(pid, field), 0));
}

/** Peak resident memory (VmHWM, MB) of the server process. */
export const peakMemoryMb = (server: RunningServer) => serverMemoryMb(server, "VmHWM");

export const ratio = (x: number, base: number) => Math.round((x / base) * 100) / 100;

/** A new PostgreSQL schema on `base`: its DATABASE_URL, and a function that drops it. */
export async function newPgSchema(base: string, schema: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const query = async (sql: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await query(`CREATE SCHEMA "${schema}"`);
  const url = new URL(base);
  url.searchParams.set("schema", schema);
  return { url: url.toString(), drop: () => query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`) };
}

/** Points this process at `databaseUrl` (with the bench keys), migrates it, and opens its client: a seed step's start. */
export async function openBenchDb(databaseUrl: string) {
  process.env.DATABASE_URL = databaseUrl;
  Object.assign(process.env, KEYS);
  const { migrateUrl } = await import("../../lib/db/migrate");
  await migrateUrl(databaseUrl, ROOT);
  return import("../../lib/db/client");
}

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
    const { url, drop } = await newPgSchema(pgBase, `bench_${Date.now()}`);
    runs.push(["postgres", url, drop]);
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
