// `npm run soak`: the production server under a long mixed load. It starts the server the way
// `npm start` does (through npm unless SOAK_VIA=launcher) on a fresh SQLite database (or
// SOAK_DATABASE_URL), seeds a workspace (owner and members, a user token, secrets, a workload with
// its workload token, a signed-in dashboard session), then for SOAK_MINUTES (default 10) keeps
// SOAK_CONNECTIONS (default 50) requests in flight, each loop picking one of:
//   API        list / create+delete (workspace) tokens, list / create+delete secrets, members, audit list
//   env        workload token -> short-lived credential -> resolved environment (10 bindings)
//   pages      Overview, Secrets, Tokens and Audit with the session cookie
// Every SOAK_SAMPLE_SECONDS (default 5) it samples the RSS of the server's whole process tree
// (from /proc) and the server's event-loop delay (tests/bench/event-loop-delay.mjs, preloaded into
// the server process only, with perf_hooks.monitorEventLoopDelay). Warm-up is the first
// SOAK_WARMUP_MINUTES (default 2): RSS "after warm-up" is the median of the samples of the 30 s
// after it, "end" the median of the last 30 s, and growth is end against after warm-up.
// It prints requests, errors (any unexpected status or network error), req/s, p50/p99 per kind,
// RSS start / after warm-up / end / growth / max, and the event-loop delay p50/p99/max over the
// load, and writes tests/bench/results/soak-<database>.json. Exits 1 on any error.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { freePort, startServer } from "../helpers/server";
import { KEYS, OUT_DIR, ROOT, SERVER_HEAP_ENV, sampleTree, treeRss, type TreeSample, openBenchDb } from "./common";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const WARMUP_MINUTES = Number(process.env.SOAK_WARMUP_MINUTES ?? Math.min(2, MINUTES / 5));
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 50);
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 5) * 1000;
const VIA = process.env.SOAK_VIA === "launcher" ? "launcher" : "npm";
// A request still unanswered after this counts as an error (a hang), not a wait.
const REQUEST_LIMIT_MS = 60_000;

async function seed(databaseUrl: string) {
  const { db, closeDb } = await openBenchDb(databaseUrl);
  const { createWorkspace } = await import("../../lib/services/workspaces");
  const { createToken } = await import("../../lib/services/tokens");
  const { createSecret } = await import("../../lib/services/secrets");
  const { createWorkload } = await import("../../lib/services/workloads");
  const { createSession, sessionCookieName } = await import("../../lib/auth/session");
  const { encode } = await import("next-auth/jwt");
  const meta = { requestId: "soak", ip: null, userAgent: "soak" };
  const user = await db().user.create({ data: { email: `soak-${Date.now()}@example.com`, name: "Soak", emailVerifiedAt: new Date() } });
  const actor = { type: "user" as const, userId: user.id, email: user.email, isPlatformAdmin: false, sessionId: null, meta };
  const ws = await createWorkspace(actor, { name: "Soak" });
  await db().workspace.update({ where: { id: ws.id }, data: { status: "active" } });
  for (const role of ["admin", "member", "viewer"] as const) {
    const m = await db().user.create({ data: { email: `soak-${role}-${Date.now()}@example.com`, name: role, emailVerifiedAt: new Date() } });
    await db().membership.create({ data: { workspaceId: ws.id, userId: m.id, role } });
  }
  const token = await createToken(actor, ws.id, { name: "soak", expiresInDays: 7 });
  const bindings = [];
  for (let i = 0; i < 10; i++) {
    if (i % 5 === 0) bindings.push({ envName: `LITERAL_${i}`, value: `value-${i}` });
    else bindings.push({ envName: `SECRET_${i}`, secretId: (await createSecret(actor, ws.id, { name: `soak-${i}`, value: randomBytes(24).toString("base64"), visibility: "public" })).secret.id });
  }
  const workload = await createWorkload(actor, ws.id, { name: "soak-serve", kind: "endpoint", bindings });
  const workloadToken = await createToken(actor, ws.id, { kind: "workload", name: "soak-serve", workloadId: workload.id, expiresInDays: 7 });
  // The dashboard's cookie, as NextAuth writes it after a sign-in: a JWE holding the session secret.
  const session = await createSession(user.id, meta);
  const cookie = `${sessionCookieName(true)}=${await encode({ token: { sub: user.id, sst: session.value }, secret: KEYS.TESSERA_AUTH_SECRET })}`;
  await closeDb();
  return { workspaceId: ws.id, workloadId: workload.id, token: token.value, workloadToken: workloadToken.value, cookie };
}

type Seeded = Awaited<ReturnType<typeof seed>>;
type Call = { kind: string; method?: string; path: string; auth?: string; cookie?: string; body?: unknown; expect: number };

/** The mixed load: each entry is one "operation" (one or more requests), with its weight. */
function operations(s: Seeded): { weight: number; run: (call: (c: Call) => Promise<unknown>) => Promise<void> }[] {
  const ws = `/api/v1/workspaces/${s.workspaceId}`;
  const api = (kind: string, p: string) => async (call: (c: Call) => Promise<unknown>) => {
    await call({ kind, path: `${ws}${p}`, auth: s.token, expect: 200 });
  };
  const page = (kind: string, p: string) => async (call: (c: Call) => Promise<unknown>) => {
    await call({ kind, path: `/w/${s.workspaceId}${p}`, cookie: s.cookie, expect: 200 });
  };
  const name = () => `soak-${randomBytes(6).toString("hex")}`;
  return [
    { weight: 10, run: api("api tokens list", "/tokens") },
    { weight: 10, run: api("api secrets list", "/secrets") },
    { weight: 8, run: api("api members list", "/members") },
    { weight: 8, run: api("api audit list", "/audit") },
    {
      weight: 5,
      run: async (call) => {
        const t = (await call({ kind: "api token create", method: "POST", path: `${ws}/tokens`, auth: s.token, body: { kind: "workspace", name: name(), expiresInDays: 1 }, expect: 201 })) as { id?: string } | null;
        if (t?.id) await call({ kind: "api token delete", method: "DELETE", path: `${ws}/tokens/${t.id}`, auth: s.token, expect: 200 });
      },
    },
    {
      weight: 5,
      run: async (call) => {
        const r = (await call({ kind: "api secret create", method: "POST", path: `${ws}/secrets`, auth: s.token, body: { name: name(), value: randomBytes(24).toString("base64") }, expect: 201 })) as {
          secret?: { id?: string };
        } | null;
        if (r?.secret?.id) await call({ kind: "api secret delete", method: "DELETE", path: `${ws}/secrets/${r.secret.id}`, auth: s.token, expect: 200 });
      },
    },
    {
      weight: 10,
      run: async (call) => {
        const base = `${ws}/workloads/${s.workloadId}`;
        const c = (await call({ kind: "env credential", method: "POST", path: `${base}/credentials`, auth: s.workloadToken, expect: 201 })) as { credential?: string } | null;
        if (c?.credential) await call({ kind: "env resolve", path: `${base}/env`, auth: c.credential, expect: 200 });
      },
    },
    { weight: 4, run: page("page overview", "") },
    { weight: 4, run: page("page secrets", "/secrets") },
    { weight: 4, run: page("page tokens", "/tokens") },
    { weight: 4, run: page("page audit", "/audit") },
  ];
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

type EldLine = {
  at: number;
  interval: { p50: number; p99: number; max: number };
  total: { count: number; p50: number; p99: number; max: number; mean: number } | null;
  mem: Record<"rss" | "heapTotal" | "heapUsed" | "external", number>;
};

async function soak(name: string, databaseUrl: string) {
  console.log(`\n== ${name}: seeding…`);
  const seeded = await seed(databaseUrl);
  const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-soak-"));
  const eldFile = path.join(dataDir, "event-loop-delay.jsonl");
  const port = await freePort();
  const server = await startServer(
    {
      ...KEYS,
      DATABASE_URL: databaseUrl,
      TESSERA_DATA_DIR: dataDir,
      TESSERA_PUBLIC_URL: `http://localhost:${port}`,
      TESSERA_LOG_LEVEL: "warn",
      ...SERVER_HEAP_ENV,
      // Measurement only, in the server process only (see event-loop-delay.mjs).
      NODE_OPTIONS: `--import ${path.join(ROOT, "tests/bench/event-loop-delay.mjs")}`,
      SOAK_ELD_FILE: eldFile,
      SOAK_ELD_EVERY_MS: String(SAMPLE_MS),
    },
    600_000,
    port,
    { via: VIA },
  );
  const latencies = new Map<string, number[]>();
  const errors: { kind: string; status: number | string; body: string }[] = [];
  let requests = 0;
  const call = async (c: Call): Promise<unknown> => {
    const started = performance.now();
    requests++;
    try {
      const headers: Record<string, string> = {};
      if (c.auth) headers.authorization = `Bearer ${c.auth}`;
      if (c.cookie) headers.cookie = c.cookie;
      if (c.body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${server.url}${c.path}`, {
        method: c.method ?? "GET",
        headers,
        body: c.body === undefined ? undefined : JSON.stringify(c.body),
        redirect: "manual",
        signal: AbortSignal.timeout(REQUEST_LIMIT_MS),
      });
      const text = await res.text();
      const list = latencies.get(c.kind) ?? [];
      list.push(performance.now() - started);
      latencies.set(c.kind, list);
      if (res.status !== c.expect) {
        errors.push({ kind: c.kind, status: res.status, body: text.slice(0, 200) });
        return null;
      }
      return (res.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : null;
    } catch (err) {
      errors.push({ kind: c.kind, status: "network", body: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
      return null;
    }
  };
  const ops = operations(seeded);
  const totalWeight = ops.reduce((a, o) => a + o.weight, 0);
  const pick = () => {
    let r = Math.random() * totalWeight;
    for (const o of ops) if ((r -= o.weight) < 0) return o;
    return ops[0]!;
  };
  const rssStart = treeRss(server.child.pid!);
  const tree = sampleTree(server.child.pid!, SAMPLE_MS);
  writeFileSync(`${eldFile}.start`, "");
  const startedAt = Date.now();
  const endAt = startedAt + MINUTES * 60_000;
  const warmEnd = startedAt + WARMUP_MINUTES * 60_000;
  const progress = setInterval(() => {
    const last = tree.samples.at(-1)!;
    console.log(`  ${((Date.now() - startedAt) / 60_000).toFixed(1)} min: ${requests} requests, ${errors.length} errors, tree RSS ${last.totalMb} MB, load ${loadavg()[0]!.toFixed(1)}`);
  }, 60_000);
  try {
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (Date.now() < endAt) await pick().run(call);
      }),
    );
  } finally {
    clearInterval(progress);
    tree.stop();
  }
  const seconds = (Date.now() - startedAt) / 1000;
  const eld = readFileSync(eldFile, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as EldLine);
  const lastEld = eld.at(-1)?.total;
  await server.stop();

  const inWindow = (from: number, to: number) => tree.samples.filter((s) => s.at >= from && s.at < to).map((s) => s.totalMb);
  const afterWarm = median(inWindow(warmEnd, warmEnd + 30_000));
  const end = median(inWindow(endAt - 30_000, endAt + 60_000));
  const maxAfterWarm = Math.max(...inWindow(warmEnd, Infinity));
  const kinds = Object.fromEntries(
    [...latencies].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => {
      const sorted = [...v].sort((a, b) => a - b);
      return [k, { requests: v.length, p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)) }];
    }),
  );
  const all = [...latencies.values()].flat().sort((a, b) => a - b);
  return {
    database: name,
    startedWith: VIA === "npm" ? "npm start" : "the launcher (no npm)",
    minutes: MINUTES,
    warmupMinutes: WARMUP_MINUTES,
    connections: CONNECTIONS,
    loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
    requests,
    errors: errors.length,
    errorSamples: errors.slice(0, 10),
    rps: Math.round(requests / seconds),
    latencyMs: { all: { p50: Math.round(percentile(all, 50)), p99: Math.round(percentile(all, 99)) }, ...kinds },
    rssMb: {
      start: rssStart.totalMb,
      afterWarmup: afterWarm,
      end,
      growthAfterWarmupPercent: Math.round(((end - afterWarm) / afterWarm) * 1000) / 10,
      maxAfterWarmup: maxAfterWarm,
      peak: tree.peak().totalMb,
      processesAtEnd: tree.samples.at(-1)!.processes,
    },
    eventLoopDelayMs: lastEld ?? null,
    rssSamples: tree.samples.map((s) => [Math.round((s.at - startedAt) / 1000), s.totalMb]),
    eventLoopSamples: eld.map((l) => [Math.round((l.at - startedAt) / 1000), l.interval.p99, l.interval.max]),
    // [seconds, rss, heapTotal, heapUsed, external] of the server process, MB.
    serverMemorySamples: eld.map((l) => [Math.round((l.at - startedAt) / 1000), l.mem.rss, l.mem.heapTotal, l.mem.heapUsed, l.mem.external]),
  };
}

function print(r: Awaited<ReturnType<typeof soak>>) {
  console.log(`\n${r.database}: ${r.minutes} min at ${r.connections} connections (started with ${r.startedWith}), load average at the end ${r.loadAverageAtEnd.join(" ")}`);
  console.log(`  requests ${r.requests}, errors ${r.errors}, ${r.rps} req/s`);
  for (const e of r.errorSamples) console.log(`    error: ${e.kind} ${e.status} ${e.body}`);
  console.log(`  latency ms          requests      p50      p99`);
  for (const [k, v] of Object.entries(r.latencyMs)) {
    const f = v as { requests?: number; p50: number; p99: number };
    console.log(`    ${k.padEnd(18)} ${String(f.requests ?? r.requests).padStart(8)} ${String(f.p50).padStart(8)} ${String(f.p99).padStart(8)}`);
  }
  const m = r.rssMb;
  console.log(
    `  tree RSS MB: start ${m.start}, after warm-up (${r.warmupMinutes} min) ${m.afterWarmup}, end ${m.end}, growth after warm-up ${m.growthAfterWarmupPercent}%, max after warm-up ${m.maxAfterWarmup}, peak ${m.peak}`,
  );
  console.log(`    RSS      PSS    at the end`);
  for (const p of m.processesAtEnd as TreeSample["processes"]) console.log(`    ${p.rssMb.toFixed(0).padStart(5)} MB ${(p.pssMb ?? 0).toFixed(0).padStart(5)} MB  ${p.pid}  ${p.cmdline.slice(0, 100)}`);
  const e = r.eventLoopDelayMs;
  console.log(e ? `  event-loop delay ms (server, over the load): p50 ${e.p50}, p99 ${e.p99}, max ${e.max}, mean ${e.mean}` : "  event-loop delay: no samples");
}

const dbUrl = process.env.SOAK_DATABASE_URL ?? `file:${mkdtempSync(path.join(tmpdir(), "tessera-soak-db-"))}/soak.db`;
const dbName = dbUrl.startsWith("postgres") ? "postgres" : "sqlite";
const result = await soak(dbName, dbUrl);
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(path.join(OUT_DIR, `soak-${dbName}.json`), JSON.stringify(result, null, 2) + "\n");
print(result);
console.log(`\nwrote ${path.relative(ROOT, OUT_DIR)}/soak-${dbName}.json`);
process.exit(result.errors === 0 ? 0 : 1);
