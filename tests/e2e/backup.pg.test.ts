// `npm run backup` and `npm run restore` (both databases): an online backup taken while the
// production server serves a write load, restored into a fresh file / database, a server started
// on the restore: every write acknowledged before the backup began is there, every secret
// decrypts (a workload's env resolution through the API, and every stored value in-process), and
// the restore refuses to overwrite data or to run without the master key the manifest names.
// Prints the figures: rows, backup size and time, restore time.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { resetConfig } from "@/lib/config";
import { closeDb, db } from "@/lib/db/client";
import { parseDatabaseUrl } from "@/lib/db/url";
import { createSecret } from "@/lib/services/secrets";
import { createWorkload } from "@/lib/services/workloads";
import { call, invariants } from "../chaos/crash-lib";
import { makeToken, makeWorkspace } from "../helpers/fixtures";
import { ROOT, startServer, userEnv, type RunningServer } from "../helpers/server";

const SECRETS = Number(process.env.BACKUP_TEST_SECRETS ?? 1000);
const AUDIT_EVENTS = Number(process.env.BACKUP_TEST_AUDIT_EVENTS ?? 10_000);
const TSX = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
const TOOL = path.join(ROOT, "lib/launcher/backup.ts");

const source = process.env.DATABASE_URL!;
const keys = { TESSERA_AUTH_SECRET: process.env.TESSERA_AUTH_SECRET!, TESSERA_MASTER_KEY: process.env.TESSERA_MASTER_KEY! };
const dir = mkdtempSync(path.join(tmpdir(), "tessera-backup-"));
let restoreUrl: string;
let restoreDb: string | null = null;
const servers: RunningServer[] = [];
let workspaceId: string;
let ownerToken: string;
let workload: { id: string; token: string; env: Record<string, string> };
/** Every value sent, by secret id: a restored secret must decrypt to its own. */
const sent = new Map<string, Set<string>>();

/** Runs the backup tool (as `npm run backup/restore` does) with a user's environment. */
function tool(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, TOOL, ...args], { cwd: ROOT, env: userEnv({ DATABASE_URL: source, ...keys, TESSERA_DATA_DIR: dir, ...env }) });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, out, ms: Date.now() - started }));
  });
}

beforeAll(async () => {
  const { workspace, owner } = await makeWorkspace({ active: true });
  workspaceId = workspace.id;
  ownerToken = (await makeToken(owner, workspace.id, { name: "backup owner" })).value;
  const env: Record<string, string> = {};
  const ids: string[] = [];
  for (let i = 0; i < SECRETS; i++) {
    const value = `seed-${i}-${randomBytes(12).toString("hex")}`;
    ids.push((await createSecret(owner, workspace.id, { name: `seed-${i}`, value, visibility: "public" })).secret.id);
    sent.set(ids[i]!, new Set([value]));
    if (i < 20) env[`SEED_${i}`] = value;
  }
  const w = await createWorkload(owner, workspace.id, { name: "backed-up", kind: "job", bindings: Object.keys(env).map((envName, i) => ({ envName, secretId: ids[i]! })) });
  const token = await makeToken(owner, workspace.id, { kind: "workload", name: "backed-up", workloadId: w.id, expiresInDays: 7 });
  workload = { id: w.id, token: token.value, env };
  // Audit history in bulk (as months of use would leave it).
  for (let done = 0; done < AUDIT_EVENTS; done += 500) {
    await db().auditEvent.createMany({
      data: Array.from({ length: Math.min(500, AUDIT_EVENTS - done) }, (_, i) => ({
        workspaceId,
        actorType: "user",
        actorId: owner.userId,
        action: "workspace.read",
        targetType: "workspace",
        targetId: workspaceId,
        result: "success",
        ip: "203.0.113.7",
        requestId: `seed-${done + i}`,
      })),
    });
  }
  await closeDb();
  const target = parseDatabaseUrl(source)!;
  if (target.provider === "sqlite") restoreUrl = `file:${path.join(dir, "restored", "tessera.db")}`;
  else {
    restoreDb = `restore_${randomBytes(6).toString("hex")}`;
    const url = new URL(source);
    url.pathname = `/${restoreDb}`;
    restoreUrl = url.toString();
  }
  servers.push(await startServer({ DATABASE_URL: source, ...keys, TESSERA_DATA_DIR: dir, TESSERA_LOG_LEVEL: "warn" }));
}, 900_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await closeDb();
  if (restoreDb) {
    const c = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${restoreDb}" WITH (FORCE)`);
    await c.end();
  }
});

const api = (server: RunningServer, method: string, pathname: string, token: string, body?: unknown) => call(server.url, token, method, pathname, body);

it("backs up under write load, restores into a fresh database, and the restore serves every acknowledged write and secret", { timeout: 1_800_000 }, async () => {
  const live = servers[0]!;
  const ws = `/api/v1/workspaces/${workspaceId}`;
  // The write load: four writers creating secrets and tokens until told to stop.
  const acked: { kind: "secret" | "token"; id: string; at: number }[] = [];
  let stop = false;
  let n = 0;
  let firstAcks: () => void;
  const someAcked = new Promise<void>((r) => (firstAcks = r));
  const writer = async () => {
    while (!stop) {
      const i = n++;
      if (i % 2) {
        const value = `load-${i}-${randomBytes(8).toString("hex")}`;
        const a = await api(live, "POST", `${ws}/secrets`, ownerToken, { name: `load-${i}`, value, visibility: "public" });
        expect(a.status).toBe(201);
        const id = (a.body!.secret as { id: string }).id;
        sent.set(id, new Set([value]));
        acked.push({ kind: "secret", id, at: Date.now() });
      } else {
        const a = await api(live, "POST", `${ws}/tokens`, ownerToken, { kind: "workspace", name: `load ${i}`, expiresInDays: 7 });
        expect(a.status).toBe(201);
        acked.push({ kind: "token", id: a.body!.id as string, at: Date.now() });
      }
      if (acked.length === 20) firstAcks();
    }
  };
  const writers = Promise.all([writer(), writer(), writer(), writer()]);
  await someAcked;
  const backupStarted = Date.now();
  const before = acked.filter((a) => a.at < backupStarted);
  const out = path.join(dir, "backups", "tessera.backup");
  const backup = await tool(["backup", "--out", out]);
  const duringBackup = acked.filter((a) => a.at >= backupStarted).length;
  stop = true;
  await writers;
  expect(backup.code, backup.out).toBe(0);
  expect(backup.out).toContain("needs master key");
  expect(backup.out).not.toContain(keys.TESSERA_MASTER_KEY.split(":")[1]!);
  const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, "utf8"));
  expect(manifest).toMatchObject({ provider: parseDatabaseUrl(source)!.provider, masterKeyIds: [keys.TESSERA_MASTER_KEY.split(":")[0]] });
  expect(manifest.migration).toMatch(/^\d+_/);
  expect(JSON.stringify(manifest)).not.toContain(keys.TESSERA_MASTER_KEY.split(":")[1]!);
  expect(manifest.counts.secrets).toBeGreaterThanOrEqual(SECRETS + before.filter((a) => a.kind === "secret").length);
  expect(manifest.counts.auditEvents).toBeGreaterThanOrEqual(AUDIT_EVENTS);

  // Without the master key the manifest names: a one-line refusal, nothing restored.
  const noKey = await tool(["restore", out, restoreUrl], { TESSERA_MASTER_KEY: `other:${Buffer.alloc(32, 9).toString("base64")}` });
  expect(noKey.code).toBe(1);
  expect(noKey.out.trim().split("\n")).toHaveLength(1);
  expect(noKey.out).toMatch(/master key "t1".*does not contain/);
  const restoreTarget = parseDatabaseUrl(restoreUrl)!;
  if (restoreTarget.provider === "sqlite") expect(existsSync(restoreTarget.file)).toBe(false);

  const restored = await tool(["restore", out, restoreUrl]);
  expect(restored.code, restored.out).toBe(0);
  // A second restore onto it refuses to overwrite, unless --force.
  const again = await tool(["restore", out, restoreUrl]);
  expect(again.code).toBe(1);
  expect(again.out).toMatch(/--force/);
  console.log(
    `backup (${manifest.provider}): ${manifest.counts.secrets} secrets, ${manifest.counts.tokens} tokens, ${manifest.counts.auditEvents} audit events; ` +
      `${(manifest.size / 1024 / 1024).toFixed(1)} MB in ${(backup.ms / 1000).toFixed(1)} s (tool run; ${manifest.seconds.toFixed(2)} s taking the copy), ` +
      `${duringBackup} writes acknowledged while it ran; restore ${(restored.ms / 1000).toFixed(1)} s (tool run)\n${restored.out.trim()}`,
  );

  const server = await startServer({ DATABASE_URL: restoreUrl, ...keys, TESSERA_DATA_DIR: mkdtempSync(path.join(tmpdir(), "tessera-restored-")), TESSERA_LOG_LEVEL: "warn" });
  servers.push(server);
  for (const a of before) {
    const got = await api(server, "GET", `${ws}/${a.kind === "secret" ? "secrets" : "tokens"}/${a.id}`, ownerToken);
    expect(got.status, `${a.kind} ${a.id} acknowledged before the backup`).toBe(200);
  }
  // Secrets decrypt on the restored server: the workload's environment, through its credential.
  const cred = await api(server, "POST", `${ws}/workloads/${workload.id}/credentials`, workload.token);
  expect(cred.status).toBe(201);
  const env = await api(server, "GET", `${ws}/workloads/${workload.id}/env`, cred.body!.credential as string);
  expect(env.status).toBe(200);
  expect(env.body!.env).toEqual(workload.env);
  // And every stored secret decrypts to a value that was sent for it, with nothing half-written.
  process.env.DATABASE_URL = restoreUrl;
  resetConfig();
  try {
    const problems: string[] = [];
    await invariants(problems, sent);
    expect(problems).toEqual([]);
    expect(await db().secret.count()).toBe(manifest.counts.secrets);
  } finally {
    await closeDb();
    process.env.DATABASE_URL = source;
    resetConfig();
  }
});
