// Applies the provider's migrations to the database named by a URL.
// Used by `npm start`, `npm run db:migrate` and the test harness.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { dbDate } from "./direct";
import { applyMigrations, readMigrationList } from "./schema-engine";
import { parseDatabaseUrl, SQLITE_BUSY_TIMEOUT_MS, type DbTarget } from "./url";

/** prisma/<provider>/migrations, found from the project root. */
export function migrationsDirFor(provider: DbTarget["provider"], root = process.cwd()): string {
  return path.join(root, "prisma", provider, "migrations");
}

/** Prepares SQLite: the folder exists and the file is in WAL mode (a persistent setting). */
export function prepareSqliteFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
  } finally {
    db.close();
  }
}

/** Moves everything from the WAL into the main file, so that the file alone is complete. */
export function checkpointSqliteFile(file: string): void {
  const db = new Database(file);
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}

/**
 * The names of the migrations that have finished on the database, or null when that cannot be
 * told (no database yet, no migrations table). A plain read: it takes no lock that would keep a
 * second instance from starting while the first one runs.
 */
/** One read-only query on the driver directly (no Prisma client: the launcher runs before the app). */
async function queryOnce<T>(target: DbTarget, sql: string): Promise<T[]> {
  if (target.provider === "sqlite") {
    const db = new Database(target.file, { readonly: true, fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.connectionString, options: `-c search_path="${target.schema}"` });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function finishedMigrations(target: DbTarget): Promise<Set<string> | null> {
  if (target.provider === "sqlite" && !existsSync(target.file)) return null;
  try {
    const rows = await queryOnce<{ name: string }>(
      target,
      `SELECT "migration_name" AS name FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
    );
    return new Set(rows.map((r) => r.name));
  } catch {
    return null;
  }
}

/** The master key ids that wrap the stored data keys (start-up checks that each is configured). */
export async function masterKeyIdsInUse(target: DbTarget): Promise<string[]> {
  const rows = await queryOnce<{ id: string }>(target, `SELECT DISTINCT "masterKeyId" AS id FROM "WorkspaceKey"`);
  return rows.map((r) => r.id).sort();
}

/**
 * Active (not cancelled) tokens by the master key their hash was made under, with the latest expiry
 * of each: start-up warns, and keys:rotate reports, which older master keys live tokens still need.
 */
export async function tokenHashKeysInUse(target: DbTarget): Promise<{ id: string; count: number; latestExpiry: Date }[]> {
  const rows = await queryOnce<{ id: string; n: number | string; latest: string }>(
    target,
    // As text: a plain pg client would read timestamp(3) in the host's local zone; Prisma's dates are UTC.
    `SELECT "hashKeyId" AS id, COUNT(*) AS n, CAST(MAX("expiresAt") AS TEXT) AS latest FROM "Token" WHERE "status" = 'active' GROUP BY "hashKeyId"`,
  );
  return rows.map((r) => ({ id: r.id, count: Number(r.n), latestExpiry: dbDate(r.latest) }));
}

export async function migrateTarget(target: DbTarget, root = process.cwd()): Promise<string[]> {
  const dir = migrationsDirFor(target.provider, root);
  const done = await finishedMigrations(target);
  if (done) {
    const wanted = (await readMigrationList(dir)).migrationDirectories.map((m) => m.path);
    // Nothing to apply: leave the schema engine (and its locks) out of it.
    if (wanted.every((name) => done.has(name))) return [];
  }
  if (target.provider === "sqlite") prepareSqliteFile(target.file);
  const applied = await applyMigrations(target, dir);
  if (target.provider === "sqlite" && applied.length) checkpointSqliteFile(target.file);
  return applied;
}

export async function migrateUrl(url: string, root = process.cwd()): Promise<string[]> {
  const target = parseDatabaseUrl(url, root);
  if (!target) throw new Error("DATABASE_URL is not a file: or postgres:// URL");
  return migrateTarget(target, root);
}
