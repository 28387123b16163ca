// Applies the provider's migrations to the database named by a URL.
// Used by `npm start`, `npm run db:migrate` and the test harness.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { applyMigrations } from "./schema-engine";
import { parseDatabaseUrl, type DbTarget } from "./url";

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

export async function migrateTarget(target: DbTarget, root = process.cwd()): Promise<string[]> {
  if (target.provider === "sqlite") prepareSqliteFile(target.file);
  const applied = await applyMigrations(target, migrationsDirFor(target.provider, root));
  if (target.provider === "sqlite" && applied.length) checkpointSqliteFile(target.file);
  return applied;
}

export async function migrateUrl(url: string, root = process.cwd()): Promise<string[]> {
  const target = parseDatabaseUrl(url, root);
  if (!target) throw new Error("DATABASE_URL is not a file: or postgres:// URL");
  return migrateTarget(target, root);
}
