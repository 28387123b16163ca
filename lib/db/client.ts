// The Prisma client for DATABASE_URL. SQLite or PostgreSQL is chosen at run time by the URL's
// scheme; both clients are generated from the same models, so they share one API and type.
import { config } from "../config";
import { PrismaClient as PostgresClient } from "../generated/postgres/client";
import { PrismaClient as SqliteClient, type Prisma } from "../generated/sqlite/client";
import { createAdapterFactory, type DbTarget } from "./url";

/** The client type. The PostgreSQL client has the same model API. */
export type Db = SqliteClient;
/** A client bound to an open interactive transaction. */
export type Tx = Prisma.TransactionClient;

export function createDb(target: DbTarget): Db {
  const adapter = createAdapterFactory(target);
  if (target.provider === "sqlite") return new SqliteClient({ adapter });
  return new PostgresClient({ adapter }) as unknown as Db;
}

const globalForDb = globalThis as unknown as { __tesseraDb?: { url: string; client: Db } };

/** The process-wide client (kept on globalThis so that dev-server reloads reuse it). */
export function db(): Db {
  const c = config();
  const held = globalForDb.__tesseraDb;
  if (held && held.url === c.databaseUrl) return held.client;
  const client = createDb(c.database);
  globalForDb.__tesseraDb = { url: c.databaseUrl, client };
  return client;
}

export function dbProvider(): DbTarget["provider"] {
  return config().database.provider;
}

/**
 * Runs `fn` in one interactive transaction (the change and its audit event commit together).
 *
 * Rule: every write goes through a transaction. On SQLite the driver adapter has one
 * connection and serialises transactions with a mutex, but a bare write issued while another
 * request's transaction is open would run inside that transaction and vanish with its rollback.
 */
export function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(fn, { maxWait: 10_000, timeout: 15_000 });
}
