// The crash test (`npm run crash-test`, and a short version in tests/e2e/crash.pg.test.ts): the
// production server is killed with SIGKILL while a burst of acknowledged writes is in flight, then
// restarted on the same database, again and again. After each restart:
//   - every write answered 2xx is there, with its audit event (found = acknowledged);
//   - a write that got no answer is all there or not there at all (counted when present);
//   - nothing half-written is visible anywhere in the database: a secret without its current
//     version, a version without its data key, a value that does not decrypt to what was sent, a
//     binding to a missing secret, a workload token on a missing workload, a token, secret or
//     workload without its creation event, a deletion event whose target is still there;
//   - the database is sound: SQLite `PRAGMA integrity_check` and `foreign_key_check`, PostgreSQL
//     `pg_amcheck` over the schema (or amcheck's bt_index_check on its indexes).
// The caller sets DATABASE_URL and the keys in process.env before calling runCrashTest: this
// process seeds and checks the database through the application's own modules.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import Database from "better-sqlite3";
import { closeDb, db } from "../../lib/db/client";
import { parseDatabaseUrl, type DbTarget } from "../../lib/db/url";
import { dataKeyFor, decryptValue } from "../../lib/crypto/envelope";
import { findPgTool } from "../../lib/launcher/backup";
import { makeToken, makeWorkspace } from "../helpers/fixtures";
import { startServer, type RunningServer } from "../helpers/server";
import { serverPids } from "../bench/common";

export type CrashFigures = {
  database: "sqlite" | "postgres";
  kills: number;
  sent: number;
  acknowledged: number;
  found: number;
  unacknowledged: number;
  unacknowledgedPresent: number;
  integrity: string;
  seconds: number;
  problems: string[];
};

type Api = { status: number; body: Record<string, unknown> | null };

/** One write of a burst: what it sends, and how to check it afterwards (acknowledged or not). */
type Op = {
  label: string;
  send: (url: string) => Promise<Api>;
  /** Called after the restart: problems (empty when the write is there, or cleanly absent if unacknowledged). */
  check: (acked: Api | null) => Promise<{ problems: string[]; present: boolean }>;
};

const rand = (n: number) => Math.floor(Math.random() * n);

/** The database's own soundness checks; returns a one-line result, throws nothing (problems are pushed). */
export async function integrityCheck(target: DbTarget, problems: string[]): Promise<string> {
  if (target.provider === "sqlite") {
    const sqlite = new Database(target.file, { readonly: true, fileMustExist: true });
    try {
      const integrity = (sqlite.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check);
      const fk = sqlite.pragma("foreign_key_check") as unknown[];
      if (integrity.join() !== "ok") problems.push(`PRAGMA integrity_check: ${integrity.slice(0, 5).join("; ")}`);
      if (fk.length) problems.push(`PRAGMA foreign_key_check: ${fk.length} row(s), e.g. ${JSON.stringify(fk[0])}`);
      return `integrity_check ${integrity.join()}, foreign_key_check ${fk.length} rows`;
    } finally {
      sqlite.close();
    }
  }
  const amcheck = findPgTool("pg_amcheck");
  const url = new URL(target.connectionString);
  if (amcheck) {
    try {
      // Heap and B-tree checks of every relation in the schema (--install-missing adds the amcheck extension).
      execFileSync(amcheck, ["--install-missing", "--heapallindexed", "--schema", target.schema, url.toString()], { stdio: "pipe" });
      return `pg_amcheck (heap and B-tree, --heapallindexed) clean on schema ${target.schema}`;
    } catch (err) {
      const e = err as { stdout?: Buffer; stderr?: Buffer; status?: number };
      problems.push(`pg_amcheck exited ${e.status}: ${String(e.stdout ?? "").slice(0, 500)} ${String(e.stderr ?? "").slice(0, 500)}`);
      return `pg_amcheck failed`;
    }
  }
  const c = new pg.Client({ connectionString: target.connectionString });
  await c.connect();
  try {
    await c.query("CREATE EXTENSION IF NOT EXISTS amcheck");
    const { rows } = await c.query(
      `SELECT c.oid::regclass::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_am am ON am.oid = c.relam WHERE n.nspname = $1 AND am.amname = 'btree'`,
      [target.schema],
    );
    for (const r of rows) await c.query(`SELECT bt_index_check($1::regclass, true)`, [r.name]);
    return `bt_index_check clean on ${rows.length} indexes of schema ${target.schema}`;
  } catch (err) {
    problems.push(`bt_index_check: ${(err as Error).message}`);
    return "bt_index_check failed";
  } finally {
    await c.end();
  }
}

/**
 * What must hold in the whole database whatever was acknowledged: no half-written row anywhere.
 * `sentValues` lists, per secret id, every value ever sent for it (a current value must be one).
 */
export async function invariants(problems: string[], sentValues?: Map<string, Set<string>>): Promise<void> {
  const d = db();
  const created = new Map<string, Set<string>>();
  for (const e of await d.auditEvent.findMany({ where: { result: "success" }, select: { action: true, targetId: true, metadata: true } })) {
    if (!e.targetId) continue;
    const set = created.get(e.action) ?? new Set<string>();
    set.add(e.targetId);
    created.set(e.action, set);
  }
  const has = (action: string, id: string) => created.get(action)?.has(id) ?? false;
  const versions = new Map<string, { version: number; dataKeyVersion: number; aadScheme: number; iv: Uint8Array; ciphertext: Uint8Array }[]>();
  for (const v of await d.secretVersion.findMany()) versions.set(v.secretId, [...(versions.get(v.secretId) ?? []), v]);
  for (const s of await d.secret.findMany()) {
    if (!has("secret.create", s.id) && !has("secret.import", s.id)) problems.push(`secret ${s.name} has no secret.create event`);
    const current = versions.get(s.id)?.find((v) => v.version === s.currentVersion);
    if (!current) {
      problems.push(`secret ${s.name} has no row for its current version ${s.currentVersion}`);
      continue;
    }
    try {
      const value = decryptValue(await dataKeyFor(d, s.workspaceId, current.dataKeyVersion), { workspaceId: s.workspaceId, secretId: s.id, name: s.name, ...current });
      const sent = sentValues?.get(s.id);
      if (sent && !sent.has(value)) problems.push(`secret ${s.name} decrypts to a value that was never sent for it`);
    } catch (err) {
      problems.push(`secret ${s.name} version ${s.currentVersion} does not decrypt: ${(err as Error).message}`);
    }
  }
  const workloads = new Set((await d.workload.findMany({ select: { id: true } })).map((w) => w.id));
  for (const w of workloads) if (!has("workload.create", w)) problems.push(`workload ${w} has no workload.create event`);
  const secrets = new Set((await d.secret.findMany({ select: { id: true } })).map((s) => s.id));
  for (const b of await d.workloadBinding.findMany()) {
    if (!workloads.has(b.workloadId)) problems.push(`binding ${b.id} on missing workload ${b.workloadId}`);
    if (b.secretId && !secrets.has(b.secretId)) problems.push(`binding ${b.envName} to missing secret ${b.secretId}`);
    if (!b.secretId && b.literalValue === null) problems.push(`binding ${b.envName} with neither a secret nor a value`);
  }
  const tokens = await d.token.findMany({ select: { id: true, kind: true, workloadId: true, name: true } });
  for (const t of tokens) {
    if (!has("token.create", t.id)) problems.push(`token ${t.name} has no token.create event`);
    if (t.workloadId && !workloads.has(t.workloadId)) problems.push(`workload token ${t.name} on missing workload ${t.workloadId}`);
  }
  const tokenIds = new Set(tokens.map((t) => t.id));
  for (const id of created.get("token.delete") ?? []) if (tokenIds.has(id)) problems.push(`token ${id} was deleted (audited) but is still there`);
  for (const id of created.get("secret.delete") ?? []) if (secrets.has(id)) problems.push(`secret ${id} was deleted (audited) but is still there`);
  for (const id of created.get("workload.delete") ?? []) if (workloads.has(id)) problems.push(`workload ${id} was deleted (audited) but is still there`);
}

/** One API call with a bearer token: its status and parsed body. */
export async function call(url: string, token: string, method: string, pathname: string, body?: unknown): Promise<Api> {
  const res = await fetch(`${url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

const ok = (a: Api | null) => !!a && a.status >= 200 && a.status < 300;

/** Live objects of the run, known to exist (acknowledged and not touched since by an unanswered write). */
type World = { tokens: string[]; secrets: { id: string; value: string; version: number }[]; workloads: { id: string; secrets: string[]; key: string }[] };

type BindingLike = { envName: string; secretId?: string | null; value?: string; literalValue?: string | null };
/** A set of bindings as one comparable string. */
const bindingKey = (list: BindingLike[]) =>
  list
    .map((b) => `${b.envName}=${b.secretId ?? `literal:${b.value ?? b.literalValue}`}`)
    .sort()
    .join(",");

/** The writes of one burst: each object is touched by at most one write of the burst. */
function burst(ws: string, token: string, world: World, round: number, size: number, sentValues: Map<string, Set<string>>): Op[] {
  const ops: Op[] = [];
  const take = <T>(list: T[]): T | undefined => (list.length ? list.splice(rand(list.length), 1)[0] : undefined);
  const d = () => db();
  /** Secrets a create or bind of this burst uses: no delete of this burst touches them. */
  const reserved = new Set<string>();
  const auditFor = async (action: string, id: string) => (await d().auditEvent.count({ where: { action, targetId: id, result: "success" } })) > 0;
  for (let i = 0; i < size; i++) {
    const tag = `r${round}-${i}`;
    const kind = rand(8);
    if (kind === 0 || (kind === 5 && !world.workloads.length)) {
      const name = `crash token ${tag}`;
      ops.push({
        label: "token.create",
        send: (url) => call(url, token, "POST", `${ws}/tokens`, { kind: "workspace", name, expiresInDays: 7 }),
        check: async (a) => {
          const row = await d().token.findFirst({ where: { name } });
          const problems: string[] = [];
          if (ok(a) && (!row || row.id !== a!.body!.id)) problems.push(`acknowledged token ${name} is missing`);
          if (row && !(await auditFor("token.create", row.id))) problems.push(`token ${name} has no token.create event`);
          if (row) world.tokens.push(row.id);
          return { problems, present: !!row };
        },
      });
    } else if (kind === 1 || kind === 2) {
      const name = `crash-${tag}`;
      const value = `v-${tag}-${Math.random().toString(36).slice(2)}`;
      ops.push({
        label: "secret.create",
        send: (url) => call(url, token, "POST", `${ws}/secrets`, { name, value, visibility: "public" }),
        check: async (a) => {
          const row = await d().secret.findFirst({ where: { name } });
          const problems: string[] = [];
          if (row) sentValues.set(row.id, new Set([value]));
          if (ok(a) && (!row || row.id !== (a!.body!.secret as { id: string }).id)) problems.push(`acknowledged secret ${name} is missing`);
          if (row && !(await auditFor("secret.create", row.id))) problems.push(`secret ${name} has no secret.create event`);
          if (row) world.secrets.push({ id: row.id, value, version: row.currentVersion });
          return { problems, present: !!row };
        },
      });
    } else if (kind === 3 && world.secrets.length) {
      const s = take(world.secrets)!;
      const value = `v-${tag}-${Math.random().toString(36).slice(2)}`;
      sentValues.get(s.id)?.add(value);
      ops.push({
        label: "secret.value.replace",
        send: (url) => call(url, token, "PUT", `${ws}/secrets/${s.id}/value`, { value }),
        check: async (a) => {
          const row = await d().secret.findUnique({ where: { id: s.id } });
          const problems: string[] = [];
          const expected = ok(a) ? [s.version + 1] : [s.version, s.version + 1];
          if (!row) problems.push(`secret ${s.id} vanished after a replace`);
          else if (!expected.includes(row.currentVersion)) problems.push(`secret ${s.id} is at version ${row.currentVersion}, expected ${expected.join(" or ")}`);
          const replaced = row && row.currentVersion === s.version + 1;
          if (replaced) {
            const events = await d().auditEvent.findMany({ where: { action: "secret.value.replace", targetId: s.id, result: "success" }, select: { metadata: true } });
            if (!events.some((e) => (JSON.parse(e.metadata ?? "{}") as { version?: number }).version === s.version + 1)) problems.push(`secret ${s.id} version ${s.version + 1} has no secret.value.replace event`);
          }
          // Decryption to one of the values sent is checked by invariants(); here, the exact value.
          if (row) world.secrets.push({ id: s.id, value: replaced ? value : s.value, version: row.currentVersion });
          return { problems, present: !!replaced };
        },
      });
    } else if (kind === 4 && world.secrets.length >= 2) {
      const name = `crash-${tag}`.toLowerCase();
      const bound = [...new Set([world.secrets[rand(world.secrets.length)]!.id, world.secrets[rand(world.secrets.length)]!.id])];
      bound.forEach((id) => reserved.add(id));
      const bindings = [...bound.map((secretId, j) => ({ envName: `S_${j}`, secretId })), { envName: "LITERAL", value: tag }];
      ops.push({
        label: "workload.create",
        send: (url) => call(url, token, "POST", `${ws}/workloads`, { name, kind: "job", bindings }),
        check: async (a) => {
          const row = await d().workload.findFirst({ where: { name }, include: { bindings: true } });
          const problems: string[] = [];
          if (ok(a) && (!row || row.id !== a!.body!.id)) problems.push(`acknowledged workload ${name} is missing`);
          if (row) {
            if (row.bindings.length !== bindings.length) problems.push(`workload ${name} has ${row.bindings.length} of its ${bindings.length} bindings`);
            if (!(await auditFor("workload.create", row.id))) problems.push(`workload ${name} has no workload.create event`);
          }
          if (row && bindingKey(row.bindings) !== bindingKey(bindings)) problems.push(`workload ${name} has other bindings than those sent`);
          if (row) world.workloads.push({ id: row.id, secrets: bound, key: bindingKey(bindings) });
          return { problems, present: !!row };
        },
      });
    } else if (kind === 5) {
      const w = world.workloads[rand(world.workloads.length)]!;
      const name = `crash workload token ${tag}`;
      ops.push({
        label: "token.create (workload)",
        send: (url) => call(url, token, "POST", `${ws}/tokens`, { kind: "workload", name, workloadId: w.id, expiresInDays: 7 }),
        check: async (a) => {
          const row = await d().token.findFirst({ where: { name } });
          const problems: string[] = [];
          if (ok(a) && (!row || row.id !== a!.body!.id)) problems.push(`acknowledged workload token ${name} is missing`);
          if (row && row.workloadId !== w.id) problems.push(`workload token ${name} is not on its workload`);
          if (row && !(await auditFor("token.create", row.id))) problems.push(`token ${name} has no token.create event`);
          return { problems, present: !!row };
        },
      });
    } else if (kind === 6 && world.tokens.length) {
      const id = take(world.tokens)!;
      ops.push({
        label: "token.delete",
        send: (url) => call(url, token, "DELETE", `${ws}/tokens/${id}`),
        check: async (a) => {
          const row = await d().token.findUnique({ where: { id } });
          const problems: string[] = [];
          if (ok(a) && row) problems.push(`acknowledged deletion of token ${id}: still there`);
          if (!row && !(await auditFor("token.delete", id))) problems.push(`token ${id} is gone without a token.delete event`);
          if (row) world.tokens.push(id);
          return { problems, present: !row };
        },
      });
    } else if (kind === 7 && world.workloads.length) {
      // Rebind a workload to other secrets (a bind), keeping the secrets it used out of deletes this burst.
      const w = take(world.workloads)!;
      // Until the bind is checked, its workload may use the old secrets or the new ones.
      w.secrets.forEach((id) => reserved.add(id));
      const next = [...new Set([world.secrets[rand(world.secrets.length)]?.id, world.secrets[rand(world.secrets.length)]?.id].filter((x): x is string => !!x))];
      next.forEach((id) => reserved.add(id));
      const bindings = next.map((secretId, j) => ({ envName: `B_${j}`, secretId }));
      ops.push({
        label: "workload.update (bind)",
        send: (url) => call(url, token, "PATCH", `${ws}/workloads/${w.id}`, { bindings }),
        check: async (a) => {
          const row = await d().workload.findUnique({ where: { id: w.id }, include: { bindings: true } });
          const problems: string[] = [];
          if (!row) problems.push(`workload ${w.id} vanished after a bind`);
          const now = bindingKey(row?.bindings ?? []);
          const isNew = now === bindingKey(bindings);
          const isOld = now === w.key;
          if (ok(a) && !isNew) problems.push(`acknowledged bind of workload ${w.id} is not there`);
          if (!ok(a) && !isNew && !isOld) problems.push(`workload ${w.id} has a half-written set of bindings`);
          if (row) world.workloads.push(isNew ? { id: w.id, secrets: next, key: now } : w);
          return { problems, present: isNew };
        },
      });
    } else if (world.secrets.length > 4) {
      // Delete a secret that no workload uses.
      const used = new Set([...world.workloads.flatMap((w) => w.secrets), ...reserved]);
      const idx = world.secrets.findIndex((s) => !used.has(s.id));
      if (idx === -1) continue;
      const s = world.secrets.splice(idx, 1)[0]!;
      ops.push({
        label: "secret.delete",
        send: (url) => call(url, token, "DELETE", `${ws}/secrets/${s.id}`),
        check: async (a) => {
          const row = await d().secret.findUnique({ where: { id: s.id } });
          const problems: string[] = [];
          if (ok(a) && row) problems.push(`acknowledged deletion of secret ${s.id}: still there`);
          if (!row && !(await auditFor("secret.delete", s.id))) problems.push(`secret ${s.id} is gone without a secret.delete event`);
          if (row) world.secrets.push(s);
          return { problems, present: !row };
        },
      });
    }
  }
  return ops;
}

/** SIGKILLs the server process itself (not only its launcher), then the rest of its process group. */
async function killServer(server: RunningServer): Promise<void> {
  const exited = new Promise((r) => server.child.once("exit", r));
  // The server process under the launcher; without one, the launcher's process serves itself.
  const pids = serverPids(server);
  if (!pids.length) pids.push(server.child.pid!);
  for (const pid of pids) process.kill(pid, "SIGKILL");
  try {
    process.kill(-server.child.pid!, "SIGKILL");
  } catch {
    /* already gone */
  }
  if (server.child.exitCode === null && server.child.signalCode === null) await exited;
}

export type CrashOptions = {
  kills: number;
  /** Writes per burst (all sent at once). */
  burstSize?: number;
  /** Server environment: DATABASE_URL and the keys (the same as this process's). */
  env: Record<string, string>;
  log?: (line: string) => void;
};

/** Runs the crash test on the database of process.env.DATABASE_URL. */
export async function runCrashTest(opts: CrashOptions): Promise<CrashFigures> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const target = parseDatabaseUrl(opts.env.DATABASE_URL!)!;
  const burstSize = opts.burstSize ?? 24;
  const { workspace, owner } = await makeWorkspace({ active: true });
  const ownerToken = (await makeToken(owner, workspace.id, { name: "crash owner" })).value;
  await closeDb();
  const ws = `/api/v1/workspaces/${workspace.id}`;
  const world: World = { tokens: [], secrets: [], workloads: [] };
  const sentValues = new Map<string, Set<string>>();
  const figures: CrashFigures = { database: target.provider, kills: 0, sent: 0, acknowledged: 0, found: 0, unacknowledged: 0, unacknowledgedPresent: 0, integrity: "", seconds: 0, problems: [] };
  const env = { ...opts.env, TESSERA_DATA_DIR: opts.env.TESSERA_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "tessera-crash-")), TESSERA_LOG_LEVEL: "warn" };
  let server = await startServer(env);
  try {
    for (let round = 0; round < opts.kills; round++) {
      const ops = burst(ws, ownerToken, world, round, burstSize, sentValues);
      // Kill after a random number of answers (at least one, fewer than all): the burst is in flight.
      const killAfter = 1 + rand(Math.max(1, ops.length - 1));
      let answered = 0;
      let killing: Promise<void> | null = null;
      const results = await Promise.all(
        ops.map((op) =>
          op.send(server.url).then(
            (a) => {
              if (++answered === killAfter) killing = killServer(server);
              return a;
            },
            () => null,
          ),
        ),
      );
      if (!killing) killing = killServer(server);
      await killing;
      figures.kills++;
      figures.sent += ops.length;
      server = await startServer(env);
      const before = figures.problems.length;
      for (let i = 0; i < ops.length; i++) {
        const a = results[i] ?? null;
        if (a && !ok(a)) figures.problems.push(`${ops[i]!.label} answered ${a.status}: ${JSON.stringify(a.body).slice(0, 300)}`);
        const { problems, present } = await ops[i]!.check(a);
        figures.problems.push(...problems.map((p) => `round ${round + 1}: ${p}`));
        if (ok(a)) {
          figures.acknowledged++;
          if (!problems.length) figures.found++;
        } else if (!a) {
          figures.unacknowledged++;
          if (present) figures.unacknowledgedPresent++;
        }
      }
      const invariantProblems: string[] = [];
      await invariants(invariantProblems, sentValues);
      figures.problems.push(...invariantProblems.map((p) => `round ${round + 1}: ${p}`));
      await closeDb();
      figures.integrity = await integrityCheck(target, figures.problems);
      log(
        `kill ${figures.kills}/${opts.kills}: ${ops.length} sent, SIGKILL sent at answer ${killAfter}, ` +
          `${results.filter(ok).length} acknowledged, ${figures.problems.length - before} problem(s)`,
      );
    }
    // The server that runs now still answers for what the database holds: every live object through the API.
    for (const s of world.secrets) {
      const a = await call(server.url, ownerToken, "GET", `${ws}/secrets/${s.id}`);
      if (a.status !== 200 || (a.body as { version?: number }).version !== s.version) figures.problems.push(`GET secret ${s.id}: ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
    }
    for (const id of world.tokens) {
      const a = await call(server.url, ownerToken, "GET", `${ws}/tokens/${id}`);
      if (a.status !== 200) figures.problems.push(`GET token ${id}: ${a.status}`);
    }
  } finally {
    await server.stop();
    await closeDb();
  }
  figures.seconds = Math.round((Date.now() - started) / 1000);
  return figures;
}

export function formatFigures(f: CrashFigures): string {
  return [
    `${f.database}: ${f.kills} kills in ${f.seconds} s`,
    `  writes sent ${f.sent}, acknowledged ${f.acknowledged}, found after restart ${f.found}` +
      ` (${f.found === f.acknowledged ? "all" : "MISSING " + (f.acknowledged - f.found)}), unacknowledged ${f.unacknowledged} of which present ${f.unacknowledgedPresent}`,
    `  integrity: ${f.integrity}`,
    `  problems: ${f.problems.length}${f.problems.length ? "\n    " + f.problems.slice(0, 30).join("\n    ") : ""}`,
  ].join("\n");
}
