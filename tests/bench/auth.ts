// `npm run bench`: the authentication benchmark. It starts the production server (SQLite, and
// PostgreSQL when BENCH_POSTGRES_URL or TEST_POSTGRES_URL is set), seeds 100,000 tokens, and
// measures with autocannon, in one run and against the same server:
//   baseline       GET /api/ping (no auth, no database)
//   authenticated  GET /api/v1/workspaces/{id} with a valid bearer token
//   verify         POST /api/v1/tokens/verify
//   malformed      GET /api/v1/workspaces/{id} with a malformed token (401 before any database work)
//   secretMeta     GET …/secrets/{id} with the same token: one secret's metadata (never its value)
//   env50          GET …/workloads/{id}/env with a short-lived credential of its workload token: 50 bindings
//                  (40 secrets decrypted), the parent token re-read in the same statement, audited
// at 50 and 10 connections; then the authenticated figure again with only 100 tokens stored.
// It prints requests/s, p50 and p99 latency, each as a ratio to the baseline, and the server's
// peak memory and the peak RSS of its whole process tree (npm included: BENCH_VIA), and writes them to tests/bench/results/auth-<database>.json.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { freePort, startServer } from "../helpers/server";
import { KEYS, OUT_DIR, peakMemoryMb, ratio, runPerDatabase, sampleTree, SERVER_HEAP_ENV, type TreeSample, openBenchDb } from "./common";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 100_000);
// How the server is started: "npm" (`npm start`, as a user does: npm stays its parent and counts
// in the tree) or "launcher" (without npm, as under a process manager).
const VIA = process.env.BENCH_VIA === "launcher" ? "launcher" : "npm";

type Figures = { rps: number; p50: number; p99: number; non2xx: number; errors: number };

async function load(url: string, connections: number, opts: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string } = {}): Promise<Figures> {
  const r = await autocannon({ url, connections, duration: SECONDS, pipelining: 1, ...opts });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

async function seed(databaseUrl: string, total: number) {
  const { db, closeDb } = await openBenchDb(databaseUrl);
  const { createWorkspace } = await import("../../lib/services/workspaces");
  const { createToken } = await import("../../lib/services/tokens");
  const meta = { requestId: "bench", ip: null, userAgent: "bench" };
  const user = await db().user.create({ data: { email: `bench-${Date.now()}@example.com`, name: "Bench" } });
  const actor = { type: "user" as const, userId: user.id, email: user.email, isPlatformAdmin: false, sessionId: null, meta };
  const ws = await createWorkspace(actor, { name: "Bench" });
  await db().workspace.update({ where: { id: ws.id }, data: { status: "active" } });
  const token = await createToken(actor, ws.id, { name: "bench", expiresInDays: 7 });
  // A workload with 50 bindings (40 secrets, 10 literal values) and its workload token, for the env endpoint.
  const { createSecret } = await import("../../lib/services/secrets");
  const { createWorkload } = await import("../../lib/services/workloads");
  const bindings = [];
  for (let i = 0; i < 50; i++) {
    if (i % 5 === 0) bindings.push({ envName: `LITERAL_${i}`, value: `value-${i}` });
    else bindings.push({ envName: `SECRET_${i}`, secretId: (await createSecret(actor, ws.id, { name: `bench-${i}`, value: randomBytes(24).toString("base64"), visibility: "public" })).secret.id });
  }
  const workload = await createWorkload(actor, ws.id, { name: "bench-serve", kind: "endpoint", bindings });
  const workloadToken = await createToken(actor, ws.id, { kind: "workload", name: "bench-serve", workloadId: workload.id, expiresInDays: 7 });
  const batch = 5000;
  for (let done = 1; done < total; done += batch) {
    const n = Math.min(batch, total - done);
    await db().token.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        workspaceId: ws.id,
        kind: "user",
        name: `filler ${done + i}`,
        prefix: "tsr_usr_",
        lastFour: "xxxx",
        hash: randomBytes(32).toString("hex"),
        hashKeyId: "1",
        expiresAt: new Date(Date.now() + 86_400_000),
        createdById: user.id,
      })),
    });
  }
  // Settle the tables after the bulk insert: on PostgreSQL autovacuum would otherwise analyse the
  // 100,000 new rows during the first figures (measured: authenticated 0.43× then 0.67× a minute
  // later in one run) and the machine has two cores.
  if (databaseUrl.startsWith("postgres")) await db().$executeRawUnsafe(`VACUUM ANALYZE`);
  const prune = async (keep: number) => {
    const extra = await db().token.findMany({ where: { id: { not: token.id } }, select: { id: true }, skip: keep - 1 });
    for (let i = 0; i < extra.length; i += 5000) {
      await db().token.deleteMany({ where: { id: { in: extra.slice(i, i + 5000).map((t) => t.id) } } });
    }
    return db().token.count();
  };
  return {
    workspaceId: ws.id,
    value: token.value,
    secretId: (bindings.find((b) => "secretId" in b) as { secretId: string }).secretId,
    env: { url: `/api/v1/workspaces/${ws.id}/workloads/${workload.id}/env`, value: workloadToken.value },
    count: await db().token.count(),
    prune,
    disconnect: () => closeDb(),
  };
}

async function benchDatabase(name: "sqlite" | "postgres", databaseUrl: string) {
  console.log(`\n== ${name}: seeding ${TOKENS.toLocaleString()} tokens…`);
  const seeded = await seed(databaseUrl, TOKENS);
  // Let go of the database while the server starts (it applies migrations, which lock SQLite).
  await seeded.disconnect();
  const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-bench-"));
  // The per-address limit on failed token checks would turn the malformed-token load into 429s
  // after 60 requests; it is raised so that the 401 path (counting included) is what is measured.
  const server = await startServer(
    { ...KEYS, DATABASE_URL: databaseUrl, TESSERA_DATA_DIR: dataDir, TESSERA_LOG_LEVEL: "warn", TESSERA_AUTH_FAILURE_LIMIT: "1000000000", ...SERVER_HEAP_ENV },
    300_000,
    await freePort(),
    { via: VIA },
  );
  // The whole process tree's resident memory, sampled from /proc during the run.
  const tree = sampleTree(server.child.pid!);
  const ws = `${server.url}/api/v1/workspaces/${seeded.workspaceId}`;
  const auth = { authorization: `Bearer ${seeded.value}` };
  // SEC-14: the env endpoint takes a short-lived credential; a fresh one (as `tessera run` would
  // get) before each env load, so that none runs out mid-measurement.
  const envAuth = async () => {
    const res = await fetch(`${server.url}${seeded.env.url.replace(/\/env$/, "/credentials")}`, { method: "POST", headers: { authorization: `Bearer ${seeded.env.value}` } });
    if (res.status !== 201) throw new Error(`could not get a workload credential: ${res.status} ${await res.text()}`);
    return { authorization: `Bearer ${((await res.json()) as { credential: string }).credential}` };
  };
  const results: Record<string, unknown> = { database: name, tokens: seeded.count, seconds: SECONDS };
  try {
    await load(`${server.url}/api/ping`, 10, {}); // warm-up
    await load(ws, 10, { headers: auth });
    await load(`${ws}/secrets/${seeded.secretId}`, 10, { headers: auth });
    await load(`${server.url}${seeded.env.url}`, 10, { headers: await envAuth() });
    for (const connections of [50, 10]) {
      const baseline = await load(`${server.url}/api/ping`, connections);
      const authenticated = await load(ws, connections, { headers: auth });
      const verify = await load(`${server.url}/api/v1/tokens/verify`, connections, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: seeded.value }),
      });
      const secretMeta = await load(`${ws}/secrets/${seeded.secretId}`, connections, { headers: auth });
      const malformed = await load(ws, connections, { headers: { authorization: "Bearer tsr_usr_not-a-real-token" } });
      const env = await load(`${server.url}${seeded.env.url}`, connections, { headers: await envAuth() });
      const row = (f: Figures) => ({ ...f, rpsRatio: ratio(f.rps, baseline.rps), p50Ratio: ratio(f.p50, baseline.p50 || 1), p99Ratio: ratio(f.p99, baseline.p99 || 1) });
      results[`c${connections}`] = { baseline: row(baseline), authenticated: row(authenticated), secretMeta: row(secretMeta), verify: row(verify), malformed: row(malformed), env50: row(env) };
    }
    // The same authenticated figure with 100 tokens stored. The machine's speed drifts during a
    // run, so the baseline is measured again right before each of the two figures, and the
    // comparison is also given normalised by it.
    const manyBase = await load(`${server.url}/api/ping`, 50);
    const many = await load(ws, 50, { headers: auth });
    const remaining = await seeded.prune(100);
    const fewBase = await load(`${server.url}/api/ping`, 50);
    const few = await load(ws, 50, { headers: auth });
    results.fewTokens = {
      tokens: remaining,
      manyTokens: { baseline: manyBase, authenticated: many },
      fewTokens: { baseline: fewBase, authenticated: few },
      throughputChange: ratio(few.rps, many.rps),
      normalisedChange: ratio(few.rps / fewBase.rps, many.rps / manyBase.rps),
    };
    results.peakServerMemoryMb = peakMemoryMb(server);
    const peak = tree.peak();
    results.tree = { startedWith: VIA === "npm" ? "npm start" : "the launcher (no npm)", samples: tree.samples.length, peakMb: peak.totalMb, atPeak: peak.processes };
  } finally {
    tree.stop();
    await server.stop();
    await seeded.disconnect();
  }
  return results;
}

function print(r: Record<string, unknown>) {
  console.log(`\n${String(r.database)} (${Number(r.tokens).toLocaleString()} tokens, ${SECONDS}s per figure)`);
  for (const c of ["c50", "c10"]) {
    console.log(`  ${c.slice(1)} connections        req/s   ×base   p50 ms ×base   p99 ms ×base   non-2xx`);
    for (const [k, v] of Object.entries(r[c] as Record<string, Figures & { rpsRatio: number; p50Ratio: number; p99Ratio: number }>)) {
      console.log(
        `    ${k.padEnd(14)} ${v.rps.toFixed(0).padStart(8)} ${v.rpsRatio.toFixed(2).padStart(7)} ${String(v.p50).padStart(8)} ${v.p50Ratio.toFixed(2).padStart(5)} ${String(v.p99).padStart(8)} ${v.p99Ratio.toFixed(2).padStart(5)} ${String(v.non2xx).padStart(9)}`,
      );
    }
  }
  const few = r.fewTokens as {
    tokens: number;
    manyTokens: { baseline: Figures; authenticated: Figures };
    fewTokens: { baseline: Figures; authenticated: Figures };
    throughputChange: number;
    normalisedChange: number;
  };
  console.log(
    `  ${Number(r.tokens).toLocaleString()} tokens: authenticated ${few.manyTokens.authenticated.rps.toFixed(0)} req/s (baseline just before: ${few.manyTokens.baseline.rps.toFixed(0)})`,
  );
  console.log(
    `  ${few.tokens} tokens: authenticated ${few.fewTokens.authenticated.rps.toFixed(0)} req/s (baseline just before: ${few.fewTokens.baseline.rps.toFixed(0)})`,
  );
  console.log(`  100 vs ${Number(r.tokens).toLocaleString()} tokens: ${few.throughputChange}× raw, ${few.normalisedChange}× against the baseline`);
  console.log(`  server peak memory: ${String(r.peakServerMemoryMb)} MB`);
  const tree = r.tree as { startedWith: string; samples: number; peakMb: number; atPeak: TreeSample["processes"] };
  console.log(`  process tree peak RSS (started with ${tree.startedWith}, ${tree.samples} samples): ${tree.peakMb} MB (RSS, PSS of each process at the peak:)`);
  for (const p of tree.atPeak) console.log(`    ${p.rssMb.toFixed(0).padStart(5)} MB ${(p.pssMb ?? 0).toFixed(0).padStart(5)} MB  ${p.pid}  ${p.cmdline.slice(0, 100)}`);
}

const outDir = OUT_DIR;
mkdirSync(outDir, { recursive: true });

// Each database runs in its own process (configuration is read once per process).
const [mode, onlyUrl] = process.argv.slice(2);
if (mode === "sqlite" || mode === "postgres") {
  const r = await benchDatabase(mode, onlyUrl!);
  writeFileSync(path.join(outDir, `auth-${mode}.json`), JSON.stringify(r, null, 2) + "\n");
  process.exit(0);
}

await runPerDatabase(import.meta.filename, "auth", print);
