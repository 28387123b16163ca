// `npm run backup` and `npm run restore`: an online backup of the database while the app serves,
// with a manifest that names the master keys it needs, and its restore into an empty database.
//   tsx lib/launcher/backup.ts backup  [--out <file>]
//   tsx lib/launcher/backup.ts restore <backup> [target] [--force]
// The database is DATABASE_URL (or the data/ default), read the way the server reads it (lib/config.ts).
// SQLite: `VACUUM INTO` (one read transaction: a consistent copy, however busy the server is).
// PostgreSQL: `pg_dump --format=custom` of Tessera's schema, in a snapshot exported by the
// transaction that also reads the manifest's facts (so both describe the same instant).
// The manifest never holds key material: only the ids of the master keys that wrap the backup's
// data keys. Without those keys the backup's secrets cannot be decrypted.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import nextEnv from "@next/env";
import Database from "better-sqlite3";
import pg from "pg";
import { z } from "zod";
import { ConfigError, loadConfig } from "../config";
import { parseDatabaseUrl, redactDatabaseUrl, type DbTarget } from "../db/url";

const ROOT = path.resolve(import.meta.dirname, "../..");

const HELP = `Usage:
  npm run backup [-- --out <file>]
      An online backup of the database (DATABASE_URL, default file:./data/tessera.db) while the app serves:
      SQLite with VACUUM INTO, PostgreSQL with pg_dump (custom format, Tessera's schema only).
      Writes <file> (default backups/tessera-<time>.db or .dump) and <file>.manifest.json: time, provider,
      migration level, size, sha256, and the ids of the master keys the backup needs (never the keys).
  npm run restore -- <backup> [target] [--force]
      Restores <backup> (checked against its manifest) into target: a file: URL or path for SQLite, a
      postgresql:// URL for PostgreSQL (its ?schema= must be the backup's; the database is created if missing).
      Default target: DATABASE_URL. Refuses a target that holds data unless --force (which replaces it),
      and refuses when TESSERA_MASTER_KEY (or data/master-key) lacks a master key id the manifest lists.
Keep the backup and the master key apart: the backup is useless without the key, and the key is all an
attacker who has the backup needs.`;

export const manifestSchema = z.object({
  format: z.literal("tessera-backup/1"),
  createdAt: z.string(),
  provider: z.enum(["sqlite", "postgres"]),
  /** PostgreSQL: the schema the dump holds (restored under the same name). */
  schema: z.string().nullable(),
  migration: z.string().nullable(),
  migrations: z.number().int(),
  /** The backup file's name, beside the manifest (a bare name: never a path elsewhere). */
  file: z.string().refine((f) => f === path.basename(f) && !["", ".", ".."].includes(f) && !f.includes("\\"), "must be a file name beside the manifest"),
  size: z.number().int(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  masterKeyIds: z.array(z.string()),
  /** The master keys live tokens' hashes were made under: without one, those tokens answer 401 (secrets are unaffected). */
  tokenKeyIds: z.array(z.string()),
  counts: z.record(z.string(), z.number().int()),
  seconds: z.number(),
});
export type Manifest = z.infer<typeof manifestSchema>;

class Refusal extends Error {}

function fail(message: string): never {
  throw new Refusal(message);
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (d) => hash.update(d))
      .on("end", () => resolve(hash.digest("hex")))
      .on("error", reject);
  });
}

/** A PostgreSQL program (pg_dump, pg_restore, pg_amcheck): on PATH, else Debian's versioned folder (newest first). */
export function findPgTool(name: string): string | null {
  const dirs = (process.env.PATH ?? "").split(":").filter(Boolean);
  for (const v of ["17", "16", "15", "14"]) dirs.push(`/usr/lib/postgresql/${v}/bin`);
  for (const dir of dirs) if (existsSync(path.join(dir, name))) return path.join(dir, name);
  return null;
}

function pgTool(name: string): string {
  return findPgTool(name) ?? fail(`${name} was not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client)`);
}

/**
 * The connection string and environment for a PostgreSQL program: the password (from the URL's
 * user info or its ?password=) goes in PGPASSWORD, never on the command line, where every local
 * user could read it (ps, /proc/<pid>/cmdline) while the program runs.
 */
export function pgToolConnection(connectionString: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(connectionString);
  const password = url.password ? decodeURIComponent(url.password) : url.searchParams.get("password");
  url.password = "";
  url.searchParams.delete("password");
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (password) env.PGPASSWORD = password;
  return { dbname: url.toString(), env };
}

/** Creates `file` empty and readable by its owner only; refuses one that exists (a symlink planted there included). */
function createPrivate(file: string): void {
  try {
    closeSync(openSync(file, "wx", 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") fail(`${file} exists: choose another --out`);
    throw err;
  }
}

const FACTS = {
  keys: `SELECT DISTINCT "masterKeyId" AS id FROM "WorkspaceKey" ORDER BY 1`,
  tokenKeys: `SELECT DISTINCT "hashKeyId" AS id FROM "Token" WHERE "status" = 'active' ORDER BY 1`,
  migrations: `SELECT "migration_name" AS name FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL ORDER BY "migration_name"`,
  counts: `SELECT (SELECT COUNT(*) FROM "Workspace") AS workspaces, (SELECT COUNT(*) FROM "User") AS users, (SELECT COUNT(*) FROM "Token") AS tokens,
    (SELECT COUNT(*) FROM "Secret") AS secrets, (SELECT COUNT(*) FROM "Workload") AS workloads, (SELECT COUNT(*) FROM "AuditEvent") AS "auditEvents"`,
};

type Facts = { masterKeyIds: string[]; tokenKeyIds: string[]; migration: string | null; migrations: number; counts: Record<string, number> };

async function facts(query: (sql: string) => Promise<Record<string, unknown>[]>): Promise<Facts> {
  const migrations = (await query(FACTS.migrations)).map((r) => String(r.name));
  const counts = Object.fromEntries(Object.entries((await query(FACTS.counts))[0] ?? {}).map(([k, v]) => [k, Number(v)]));
  const ids = async (sql: string) => (await query(sql)).map((r) => String(r.id));
  return { masterKeyIds: await ids(FACTS.keys), tokenKeyIds: await ids(FACTS.tokenKeys), migration: migrations.at(-1) ?? null, migrations: migrations.length, counts };
}

function sqliteFacts(file: string): Promise<Facts> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  return facts(async (sql) => db.prepare(sql).all() as Record<string, unknown>[]).finally(() => db.close());
}

function pgClient(target: Extract<DbTarget, { provider: "postgres" }>, database?: string): pg.Client {
  const url = new URL(target.connectionString);
  if (database) url.pathname = `/${database}`;
  return new pg.Client({ connectionString: url.toString(), options: `-c search_path="${target.schema}"` });
}

async function backup(target: DbTarget, out: string | undefined): Promise<Manifest> {
  const started = Date.now();
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = path.resolve(out ?? path.join(ROOT, "backups", `tessera-${stamp}.${target.provider === "sqlite" ? "db" : "dump"}`));
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // The backup holds password hashes, token hashes and the encrypted secrets: owner-only whatever
  // the umask (VACUUM INTO and pg_dump write into this empty file and keep its mode).
  if (existsSync(`${file}.manifest.json`)) fail(`${file}.manifest.json exists: choose another --out`);
  createPrivate(file);
  let f: Facts;
  if (target.provider === "sqlite") {
    if (!existsSync(target.file)) {
      rmSync(file, { force: true });
      fail(`no database at ${target.file} (DATABASE_URL)`);
    }
    const db = new Database(target.file, { readonly: true, fileMustExist: true, timeout: 5000 });
    try {
      // One read transaction: a consistent copy of the database as of its start, WAL included,
      // without stopping the writers (WAL mode lets them go on).
      db.prepare("VACUUM INTO ?").run(file);
    } finally {
      db.close();
    }
    f = await sqliteFacts(file);
  } else {
    const client = pgClient(target);
    await client.connect();
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const snapshot = String((await client.query("SELECT pg_export_snapshot() AS s")).rows[0].s);
      f = await facts(async (sql) => (await client.query(sql)).rows);
      // pg_dump reads the very snapshot the facts above were read in (held until COMMIT).
      const conn = pgToolConnection(target.connectionString);
      const r = spawnSync(pgTool("pg_dump"), ["--format=custom", `--schema=${target.schema}`, `--snapshot=${snapshot}`, "--no-owner", "--no-privileges", `--file=${file}`, `--dbname=${conn.dbname}`], {
        encoding: "utf8",
        env: conn.env,
      });
      if (r.status !== 0) {
        rmSync(file, { force: true });
        fail(`pg_dump failed: ${(r.stderr || r.error?.message || "").trim().split("\n")[0]}`);
      }
      await client.query("COMMIT");
    } finally {
      await client.end();
    }
  }
  const manifest: Manifest = {
    format: "tessera-backup/1",
    createdAt: new Date(started).toISOString(),
    provider: target.provider,
    schema: target.provider === "postgres" ? target.schema : null,
    migration: f.migration,
    migrations: f.migrations,
    file: path.basename(file),
    size: statSync(file).size,
    sha256: await sha256(file),
    masterKeyIds: f.masterKeyIds,
    tokenKeyIds: f.tokenKeyIds,
    counts: f.counts,
    seconds: (Date.now() - started) / 1000,
  };
  writeFileSync(`${file}.manifest.json`, JSON.stringify(manifest, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  return manifest;
}

/** The backup and its manifest, from either path; the file's checksum is checked. */
async function readBackup(arg: string): Promise<{ file: string; manifest: Manifest }> {
  const given = path.resolve(arg);
  const manifestFile = given.endsWith(".manifest.json") ? given : `${given}.manifest.json`;
  if (!existsSync(manifestFile)) fail(`no manifest at ${manifestFile} (a backup is restored with the manifest npm run backup wrote beside it)`);
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(manifestFile, "utf8")));
  if (!parsed.success) fail(`${manifestFile} is not a Tessera backup manifest`);
  const file = path.join(path.dirname(manifestFile), parsed.data.file);
  if (!existsSync(file)) fail(`the backup file ${file} is missing`);
  if ((await sha256(file)) !== parsed.data.sha256) fail(`${file} does not match its manifest's sha256: it is damaged or not this backup`);
  return { file, manifest: parsed.data };
}

async function restore(file: string, manifest: Manifest, target: DbTarget, force: boolean): Promise<{ seconds: number; integrity: string }> {
  const started = Date.now();
  if (manifest.provider !== target.provider) fail(`the backup is of ${manifest.provider}; the target is ${target.provider}`);
  if (target.provider === "sqlite") {
    const holdsData = existsSync(target.file) && statSync(target.file).size > 0;
    if (holdsData && !force) fail(`${target.file} exists: restore into a new file, or add --force to replace it`);
    mkdirSync(path.dirname(target.file), { recursive: true, mode: 0o700 });
    const temp = `${target.file}.restoring`;
    rmSync(temp, { force: true });
    // Owner-only before any data is in it, and made new ("wx"): never written through a symlink
    // planted after the rm (copyFileSync would follow one, and give the copy the backup's mode).
    await pipeline(createReadStream(file), createWriteStream(temp, { flags: "wx", mode: 0o600 }));
    const db = new Database(temp);
    let integrity: string;
    try {
      integrity = (db.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
      if (integrity !== "ok") fail(`the restored copy fails PRAGMA integrity_check: ${integrity.slice(0, 200)}`);
      db.pragma("journal_mode = WAL");
    } finally {
      db.close();
    }
    for (const ext of ["-wal", "-shm"]) rmSync(`${target.file}${ext}`, { force: true });
    renameSync(temp, target.file);
    return { seconds: (Date.now() - started) / 1000, integrity: `integrity_check ${integrity}` };
  }
  if (manifest.schema !== target.schema) {
    fail(`the backup holds schema "${manifest.schema}": restore it into a database with ?schema=${manifest.schema} (target has "${target.schema}")`);
  }
  const database = new URL(target.connectionString).pathname.slice(1) || "postgres";
  // Create the database when it does not exist (through the server's maintenance database).
  const admin = pgClient(target, "postgres");
  await admin.connect();
  try {
    const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).rowCount;
    if (!exists) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  const client = pgClient(target);
  await client.connect();
  try {
    const tables = Number((await client.query("SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = $1", [target.schema])).rows[0].n);
    if (tables > 0 && !force) fail(`schema "${target.schema}" of database "${database}" holds ${tables} tables: restore into an empty one, or add --force to replace it`);
    // The dump creates its schema itself.
    await client.query(`DROP SCHEMA IF EXISTS "${target.schema}" CASCADE`);
  } finally {
    await client.end();
  }
  const conn = pgToolConnection(target.connectionString);
  const r = spawnSync(pgTool("pg_restore"), ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", `--dbname=${conn.dbname}`, file], { encoding: "utf8", env: conn.env });
  if (r.status !== 0) fail(`pg_restore failed: ${(r.stderr || r.error?.message || "").trim().split("\n")[0]}`);
  const check = pgClient(target);
  await check.connect();
  try {
    const restored = await facts(async (sql) => (await check.query(sql)).rows);
    if (JSON.stringify(restored.counts) !== JSON.stringify(manifest.counts)) fail(`the restored database's row counts ${JSON.stringify(restored.counts)} differ from the manifest's`);
  } finally {
    await check.end();
  }
  return { seconds: (Date.now() - started) / 1000, integrity: "pg_restore in one transaction; row counts match the manifest" };
}

/** The master key ids configured the way the server reads them (without generating a key). */
function configuredKeyIds(cwd: string): string[] {
  const env = { ...process.env };
  const dataDir = path.resolve(cwd, env.TESSERA_DATA_DIR?.trim() || "./data");
  if (!env.TESSERA_MASTER_KEY && !existsSync(path.join(dataDir, "master-key"))) return [];
  // The auth secret plays no part here: a stand-in keeps loadConfig from generating one.
  env.TESSERA_AUTH_SECRET ||= "x".repeat(32);
  return loadConfig({ env, cwd, warn: () => {} }).masterKeys.map((k) => k.id);
}

function targetOf(arg: string | undefined, cwd: string): DbTarget {
  if (arg === undefined) {
    return loadConfig({ env: { ...process.env, TESSERA_AUTH_SECRET: "x".repeat(32), TESSERA_MASTER_KEY: `1:${Buffer.alloc(32).toString("base64")}` }, cwd, warn: () => {} }).database;
  }
  const url = /^(file:|postgres(ql)?:\/\/)/.test(arg) ? arg : `file:${arg}`;
  const t = parseDatabaseUrl(url, cwd);
  if (!t) fail(`target must be a file: URL or path (SQLite) or postgresql://user@host:5432/db?schema=name (got "${redactDatabaseUrl(arg).slice(0, 80)}")`);
  return t;
}

export async function main(argv: string[], cwd = ROOT): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || rest.includes("--help") || rest.includes("-h")) {
    console.log(HELP);
    return command ? 0 : 2;
  }
  const force = rest.includes("--force");
  const args = rest.filter((a) => a !== "--force");
  try {
    if (command === "backup") {
      let out: string | undefined;
      for (let i = 0; i < args.length; i++) {
        if (args[i] === "--out" && args[i + 1]) out = args[++i];
        else if (args[i]!.startsWith("--out=")) out = args[i]!.slice("--out=".length);
        else fail(`unknown argument "${args[i]}" (see --help)`);
      }
      const target = targetOf(undefined, cwd);
      const m = await backup(target, out);
      const file = path.resolve(out ?? path.join(ROOT, "backups", m.file));
      console.log(`tessera: backup of ${target.provider} (migration ${m.migration ?? "none"}) written to ${file}: ${m.size} bytes in ${m.seconds.toFixed(2)} s, sha256 ${m.sha256}`);
      console.log(`tessera: it needs master key ${m.masterKeyIds.length ? m.masterKeyIds.map((k) => `"${k}"`).join(", ") : "(none yet: no secrets)"}: keep ${m.masterKeyIds.length > 1 ? "them" : "it"} apart from the backup (manifest: ${file}.manifest.json)`);
      return 0;
    }
    if (command === "restore") {
      if (args.length < 1 || args.length > 2 || args.some((a) => a.startsWith("--"))) fail("usage: npm run restore -- <backup> [target] [--force] (see --help)");
      const { file, manifest } = await readBackup(args[0]!);
      const target = targetOf(args[1], cwd);
      const configured = configuredKeyIds(cwd);
      const missing = manifest.masterKeyIds.filter((id) => !configured.includes(id));
      if (missing.length) {
        fail(
          `the backup's data keys are wrapped by master key ${missing.map((m) => `"${m}"`).join(", ")}, which TESSERA_MASTER_KEY does not contain` +
            ` (it has ${configured.length ? configured.map((c) => `"${c}"`).join(", ") : "none"}): configure the key(s) the backup was made with, then restore`,
        );
      }
      const tokenKeysMissing = manifest.tokenKeyIds.filter((id) => !configured.includes(id));
      const r = await restore(file, manifest, target, force);
      console.log(
        `tessera: restored ${path.basename(file)} (${manifest.createdAt}, migration ${manifest.migration ?? "none"}) into ${target.provider === "sqlite" ? target.file : `${redactDatabaseUrl(target.connectionString)} schema ${target.schema}`} in ${r.seconds.toFixed(2)} s; ${r.integrity}. ` +
          `Start Tessera on it with the same master key (npm start applies any newer migrations).`,
      );
      if (tokenKeysMissing.length) {
        console.warn(`tessera: warning: tokens of the backup were made under master key ${tokenKeysMissing.map((m) => `"${m}"`).join(", ")}, which TESSERA_MASTER_KEY does not contain: they answer 401 until it is added back.`);
      }
      return 0;
    }
    fail(`unknown command "${command}" (backup or restore; see --help)`);
  } catch (err) {
    if (err instanceof Refusal || err instanceof ConfigError) console.error(`tessera: ${command}: ${err.message}`);
    else console.error(`tessera: ${command} failed: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  nextEnv.loadEnvConfig(ROOT, false, { info: () => {}, error: (m: string) => console.error(m) });
  process.exit(await main(process.argv.slice(2)));
}
