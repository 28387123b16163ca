// `npm run bench:audit`: the audit export benchmark. It seeds BENCH_AUDIT_EVENTS (default
// 1,000,000) audit events in one workspace, starts the production server (SQLite, and PostgreSQL
// when BENCH_POSTGRES_URL or TEST_POSTGRES_URL is set), and streams the CSV and the JSON Lines
// export over HTTP while sampling the server's resident memory every 100 ms. In the same run it
// measures two baselines:
//   raw read      the same rows read straight from the driver (better-sqlite3 / pg, keyset
//                 batches) and serialised to JSON in this process: what the export does, minus
//                 HTTP, Prisma and the server;
//   ping          GET /api/ping latency (no database), for the export's time to first byte.
// It prints rows, MB, seconds, events/s (and its ratio to the raw read), time to first byte (and
// its ratio to a ping), and the server's peak memory; it writes tests/bench/results/audit-export-<database>.json.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { freePort, startServer, type RunningServer } from "../helpers/server";
import { KEYS, OUT_DIR, ratio, runPerDatabase, serverMemoryMb, openBenchDb } from "./common";

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const BATCH = 1000;

async function seed(databaseUrl: string) {
  const { db, closeDb } = await openBenchDb(databaseUrl);
  const { createWorkspace } = await import("../../lib/services/workspaces");
  const { createToken } = await import("../../lib/services/tokens");
  const meta = { requestId: "bench", ip: null, userAgent: "bench" };
  const user = await db().user.create({ data: { email: `bench-${Date.now()}@example.com`, name: "Bench" } });
  const actor = { type: "user" as const, userId: user.id, email: user.email, isPlatformAdmin: false, sessionId: null, meta };
  const ws = await createWorkspace(actor, { name: "Bench" });
  const token = await createToken(actor, ws.id, { name: "bench", expiresInDays: 7 });
  const started = Date.now();
  await closeDb();
  await bulkInsert(databaseUrl, ws.id, user.id, user.email);
  const seedSeconds = (Date.now() - started) / 1000;
  const count = await db().auditEvent.count({ where: { workspaceId: ws.id } });
  await closeDb();
  return { workspaceId: ws.id, value: token.value, count, seedSeconds };
}

/**
 * Inserts EVENTS events with the driver (Prisma's createMany manages ~3,000 rows/s on SQLite):
 * one prepared statement in 50,000-row transactions on SQLite, generate_series on PostgreSQL.
 * Ten milliseconds apart, with the values Prisma would write (ids, ISO dates on SQLite).
 */
async function bulkInsert(databaseUrl: string, workspaceId: string, userId: string, email: string) {
  const t0 = Date.now() - EVENTS * 10;
  const actions = ["member.role.update", "token.create", "workspace.update", "member.invite"];
  if (databaseUrl.startsWith("file:")) {
    const d = new Database(databaseUrl.replace(/^file:/, ""));
    const insert = d.prepare(
      `INSERT INTO AuditEvent (id, workspaceId, actorType, actorId, actorLabel, action, targetType, targetId, result, ip, userAgent, requestId, metadata, createdAt)
       VALUES (?, ?, 'user', ?, ?, ?, 'user', ?, ?, ?, 'Mozilla/5.0 (X11; Linux x86_64) bench', ?, ?, ?)`,
    );
    const chunk = d.transaction((from: number, to: number) => {
      for (let k = from; k < to; k++) {
        insert.run(
          `bench${k.toString(36).padStart(20, "0")}`,
          workspaceId,
          userId,
          email,
          actions[k % 4],
          `target${k % 997}`,
          k % 17 ? "success" : "denied",
          `198.51.100.${k % 250}`,
          `req-${k}`,
          JSON.stringify({ from: "viewer", to: "member", n: k }),
          new Date(t0 + k * 10).toISOString().replace("Z", "+00:00"),
        );
      }
    });
    for (let k = 0; k < EVENTS; k += 50_000) chunk(k, Math.min(EVENTS, k + 50_000));
    d.close();
    return;
  }
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? "public";
  url.searchParams.delete("schema");
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  await c.query(`SET search_path = "${schema}"`);
  await c.query(
    `INSERT INTO "AuditEvent" (id, "workspaceId", "actorType", "actorId", "actorLabel", action, "targetType", "targetId", result, ip, "userAgent", "requestId", metadata, "createdAt")
     SELECT 'bench' || lpad(k::text, 20, '0'), $1, 'user', $2, $3, ($4::text[])[k % 4 + 1], 'user', 'target' || (k % 997), CASE WHEN k % 17 = 0 THEN 'denied' ELSE 'success' END,
            '198.51.100.' || (k % 250), 'Mozilla/5.0 (X11; Linux x86_64) bench', 'req-' || k, json_build_object('from', 'viewer', 'to', 'member', 'n', k)::text,
            (to_timestamp($5::double precision / 1000) AT TIME ZONE 'UTC') + (k * interval '10 milliseconds')
     FROM generate_series(0, $6::int - 1) AS k`,
    [workspaceId, userId, email, actions, t0, EVENTS],
  );
  await c.end();
}

/** The baseline: the same rows, oldest first, read from the driver in keyset batches and serialised. */
async function rawRead(name: "sqlite" | "postgres", databaseUrl: string, workspaceId: string) {
  const started = performance.now();
  let rows = 0;
  let bytes = 0;
  const sink = (r: Record<string, unknown>) => {
    rows++;
    bytes += Buffer.byteLength(JSON.stringify(r)) + 1;
  };
  if (name === "sqlite") {
    const file = databaseUrl.replace(/^file:/, "");
    const d = new Database(file, { readonly: true });
    const first = d.prepare(`SELECT * FROM AuditEvent WHERE workspaceId = ? ORDER BY createdAt, id LIMIT ${BATCH}`);
    const next = d.prepare(
      `SELECT * FROM AuditEvent WHERE workspaceId = ? AND createdAt >= ? AND NOT (createdAt = ? AND id <= ?) ORDER BY createdAt, id LIMIT ${BATCH}`,
    );
    let batch = first.all(workspaceId) as Record<string, unknown>[];
    while (batch.length) {
      batch.forEach(sink);
      if (batch.length < BATCH) break;
      const last = batch[batch.length - 1]!;
      batch = next.all(workspaceId, last.createdAt, last.createdAt, last.id) as Record<string, unknown>[];
    }
    d.close();
  } else {
    const url = new URL(databaseUrl);
    const schema = url.searchParams.get("schema") ?? "public";
    url.searchParams.delete("schema");
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    await c.query(`SET search_path = "${schema}"`);
    let last: Record<string, unknown> | null = null;
    for (;;) {
      const res: pg.QueryResult<Record<string, unknown>> = last
        ? await c.query(
            `SELECT * FROM "AuditEvent" WHERE "workspaceId" = $1 AND "createdAt" >= $2 AND NOT ("createdAt" = $2 AND id <= $3) ORDER BY "createdAt", id LIMIT ${BATCH}`,
            [workspaceId, last.createdAt, last.id],
          )
        : await c.query(`SELECT * FROM "AuditEvent" WHERE "workspaceId" = $1 ORDER BY "createdAt", id LIMIT ${BATCH}`, [workspaceId]);
      res.rows.forEach(sink);
      if (res.rows.length < BATCH) break;
      last = res.rows[res.rows.length - 1]!;
    }
    await c.end();
  }
  const seconds = (performance.now() - started) / 1000;
  return { rows, mb: Math.round(bytes / 1e5) / 10, seconds: Math.round(seconds * 10) / 10, eventsPerSecond: Math.round(rows / seconds) };
}

async function pingMs(url: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await (await fetch(`${url}/api/ping`)).text();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}

/** Streams one export, counting lines and bytes without keeping them, while sampling server memory. */
async function exportOnce(server: RunningServer, workspaceId: string, token: string, format: "csv" | "jsonl") {
  let peakRss = 0;
  const samples: number[] = [];
  const sampler = setInterval(() => {
    const rss = serverMemoryMb(server, "VmRSS");
    samples.push(rss);
    peakRss = Math.max(peakRss, rss);
  }, 100);
  const started = performance.now();
  const res = await fetch(`${server.url}/api/v1/workspaces/${workspaceId}/audit/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200 || !res.body) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  let ttfb = 0;
  let bytes = 0;
  let lines = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (!ttfb) ttfb = performance.now() - started;
    bytes += value.byteLength;
    for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
  }
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const rows = format === "csv" ? lines - 1 : lines;
  return {
    rows,
    mb: Math.round(bytes / 1e5) / 10,
    seconds: Math.round(seconds * 10) / 10,
    eventsPerSecond: Math.round(rows / seconds),
    mbPerSecond: Math.round((bytes / 1e6 / seconds) * 10) / 10,
    ttfbMs: Math.round(ttfb * 10) / 10,
    peakRssMb: peakRss,
    medianRssMb: samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? 0,
  };
}

async function benchDatabase(name: "sqlite" | "postgres", databaseUrl: string) {
  console.log(`\n== ${name}: seeding ${EVENTS.toLocaleString()} audit events…`);
  const seeded = await seed(databaseUrl);
  console.log(`   seeded ${seeded.count.toLocaleString()} in ${seeded.seedSeconds.toFixed(0)} s`);
  const server = await startServer(
    { ...KEYS, DATABASE_URL: databaseUrl, TESSERA_DATA_DIR: mkdtempSync(path.join(tmpdir(), "tessera-bench-")), TESSERA_LOG_LEVEL: "warn" },
    300_000,
    await freePort(),
  );
  try {
    const idleRssMb = serverMemoryMb(server, "VmRSS");
    // The raw read first: an idle keep-alive connection from the pings could be closed under the export.
    const raw = await rawRead(name, databaseUrl, seeded.workspaceId);
    const ping = await pingMs(server.url);
    const csv = await exportOnce(server, seeded.workspaceId, seeded.value, "csv");
    const jsonl = await exportOnce(server, seeded.workspaceId, seeded.value, "jsonl");
    const withRatios = (e: typeof csv) => ({ ...e, throughputRatio: ratio(e.eventsPerSecond, raw.eventsPerSecond), ttfbRatio: ratio(e.ttfbMs, ping) });
    return {
      database: name,
      events: seeded.count,
      idleRssMb,
      baseline: { rawRead: raw, pingMs: ping },
      csv: withRatios(csv),
      jsonl: withRatios(jsonl),
      peakServerMemoryMb: serverMemoryMb(server, "VmHWM"),
    };
  } finally {
    await server.stop();
  }
}

type Export = { rows: number; mb: number; seconds: number; eventsPerSecond: number; mbPerSecond: number; ttfbMs: number; peakRssMb: number; throughputRatio: number; ttfbRatio: number };

function print(r: Record<string, unknown>) {
  const base = r.baseline as { rawRead: { rows: number; mb: number; seconds: number; eventsPerSecond: number }; pingMs: number };
  console.log(`\n${String(r.database)}: ${Number(r.events).toLocaleString()} audit events; server idle ${String(r.idleRssMb)} MB RSS`);
  console.log(`  baseline raw read  ${base.rawRead.rows.toLocaleString()} rows, ${base.rawRead.mb} MB JSON, ${base.rawRead.seconds} s, ${base.rawRead.eventsPerSecond.toLocaleString()} events/s; ping p50 ${base.pingMs} ms`);
  console.log(`  export   rows        MB     s   events/s  ×raw   MB/s  TTFB ms  ×ping  peak RSS MB`);
  for (const f of ["csv", "jsonl"] as const) {
    const e = r[f] as Export;
    console.log(
      `  ${f.padEnd(6)} ${e.rows.toLocaleString().padStart(10)} ${String(e.mb).padStart(7)} ${String(e.seconds).padStart(5)} ${e.eventsPerSecond.toLocaleString().padStart(10)} ${e.throughputRatio.toFixed(2).padStart(5)} ${String(e.mbPerSecond).padStart(6)} ${String(e.ttfbMs).padStart(8)} ${e.ttfbRatio.toFixed(1).padStart(6)} ${String(e.peakRssMb).padStart(12)}`,
    );
  }
  console.log(`  server peak memory over the whole run (VmHWM): ${String(r.peakServerMemoryMb)} MB (target: under 300 MB)`);
}

mkdirSync(OUT_DIR, { recursive: true });
const [mode, onlyUrl] = process.argv.slice(2);
if (mode === "sqlite" || mode === "postgres") {
  const r = await benchDatabase(mode, onlyUrl!);
  writeFileSync(path.join(OUT_DIR, `audit-export-${mode}.json`), JSON.stringify(r, null, 2) + "\n");
  process.exit(0);
}
await runPerDatabase(import.meta.filename, "audit-export", print);
