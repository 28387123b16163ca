// `npm run bench:dispatch`: how should route handlers be bound to the contract? Measured in one
// process on SQLite, against the same handlers, the same token and the same workspace:
//   per-route  Next.js matches the folder (app/api/v1/…/route.ts) and calls the bound handler
//              with its params: what Tessera does (the handler is called as Next.js calls it)
//   catch-all  one handler matches the path against every contract entry (regexes built from the
//              paths, static segments first), then calls the same bound handler
// Both run GET /api/v1/workspaces/{id} (authenticated, one workspace read) and GET …/secrets/{id},
// interleaved in rounds so that the machine's drift falls on both alike, and the matching alone
// is timed over 1,000,000 paths. It prints requests/s and the catch-all's ratio to per-route.
import { readdirSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { KEYS, ROOT, ratio } from "./common";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 1500);
const CONCURRENCY = 10;

const dir = mkdtempSync(path.join(tmpdir(), "tessera-dispatch-"));
const databaseUrl = `file:${dir}/bench.db`;
Object.assign(process.env, KEYS, { DATABASE_URL: databaseUrl, TESSERA_DATA_DIR: dir, TESSERA_LOG_LEVEL: "silent" });

const { migrateUrl } = await import("../../lib/db/migrate");
await migrateUrl(databaseUrl, ROOT);
const { db } = await import("../../lib/db/client");
const { createWorkspace } = await import("../../lib/services/workspaces");
const { createToken } = await import("../../lib/services/tokens");
const { createSecret } = await import("../../lib/services/secrets");
const { operations } = await import("../../lib/contract");
const { OPERATION } = await import("../../lib/http/route");

const meta = { requestId: "bench", ip: null, userAgent: "bench" };
const user = await db().user.create({ data: { email: `dispatch-${Date.now()}@example.com`, name: "Bench" } });
const actor = { type: "user" as const, userId: user.id, email: user.email, isPlatformAdmin: false, sessionId: null, meta };
const ws = await createWorkspace(actor, { name: "Bench" });
await db().workspace.update({ where: { id: ws.id }, data: { status: "active" } });
const token = await createToken(actor, ws.id, { name: "bench", expiresInDays: 7 });
const secret = await createSecret(actor, ws.id, { name: "bench", value: "v", visibility: "public" });

type Handler = ((req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>) & { [OPERATION]?: { id: string } };

// Every route module, as Next.js would load it: folder path → exports.
const modules = new Map<string, Record<string, unknown>>();
async function walk(folder: string, url: string) {
  for (const e of readdirSync(folder, { withFileTypes: true })) {
    if (e.isDirectory()) await walk(path.join(folder, e.name), `${url}/${e.name}`);
    else if (e.name === "route.ts") modules.set(url, await import(path.join(folder, e.name)));
  }
}
await walk(path.join(ROOT, "app/api/v1"), "/api/v1");

// The catch-all's table: each entry's bound handler and a regex of its path; static paths first.
const byId = new Map<string, Handler>();
for (const mod of modules.values()) for (const v of Object.values(mod)) if (typeof v === "function" && (v as Handler)[OPERATION]) byId.set((v as Handler)[OPERATION]!.id, v as Handler);
const table = [...operations]
  .sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0))
  .map((op) => ({ method: op.method as string, regex: new RegExp(`^${op.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`), handler: byId.get(op.id)! }));
function match(method: string, pathname: string): { handler: Handler; params: Record<string, string> } | null {
  for (const r of table) {
    if (r.method !== method) continue;
    const m = r.regex.exec(pathname);
    if (m) return { handler: r.handler, params: { ...m.groups } };
  }
  return null;
}
const catchAll = (req: Request) => {
  const found = match(req.method, new URL(req.url).pathname)!;
  return found.handler(req, { params: Promise.resolve(found.params) });
};

const wsPath = `/api/v1/workspaces/${ws.id}`;
const cases: { name: string; url: string; route: Handler; params: Record<string, string> }[] = [
  { name: "workspace", url: `http://localhost${wsPath}`, route: modules.get("/api/v1/workspaces/[workspaceId]")!.GET as Handler, params: { workspaceId: ws.id } },
  {
    name: "secretMeta",
    url: `http://localhost${wsPath}/secrets/${secret.secret.id}`,
    route: modules.get("/api/v1/workspaces/[workspaceId]/secrets/[secretId]")!.GET as Handler,
    params: { workspaceId: ws.id, secretId: secret.secret.id },
  },
];
const request = (url: string) => new Request(url, { headers: { authorization: `Bearer ${token.value}`, "x-tessera-client-ip": "198.51.100.7" } });

async function run(n: number, call: () => Promise<Response>): Promise<number> {
  let left = n;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) {
        const res = await call();
        if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  return n / ((performance.now() - started) / 1000);
}

console.log(`dispatch: ${operations.length} contract entries, ${ROUNDS} rounds × ${PER_ROUND} requests per mode, ${CONCURRENCY} at a time (SQLite, in process)`);
for (const c of cases) {
  await run(300, () => c.route(request(c.url), { params: Promise.resolve(c.params) })); // warm-up
  await run(300, () => catchAll(request(c.url)));
  const per: number[] = [];
  const all: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    per.push(await run(PER_ROUND, () => c.route(request(c.url), { params: Promise.resolve(c.params) })));
    all.push(await run(PER_ROUND, () => catchAll(request(c.url))));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`  ${c.name.padEnd(11)} per-route ${median(per).toFixed(0).padStart(6)} req/s   catch-all ${median(all).toFixed(0).padStart(6)} req/s   ×${ratio(median(all), median(per))}`);
}
const paths = [wsPath, `${wsPath}/secrets/${secret.secret.id}`, `${wsPath}/members/me`, `${wsPath}/workloads/${secret.secret.id}/env`, "/api/v1/me"];
const t0 = performance.now();
for (let i = 0; i < 1_000_000; i++) match("GET", paths[i % paths.length]!);
console.log(`  matching alone: ${((performance.now() - t0) * 1000 / 1_000_000).toFixed(2)} µs per request (worst case: the last entries of the table)`);
process.exit(0);
