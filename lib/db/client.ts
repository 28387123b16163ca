// The Prisma client for DATABASE_URL. SQLite or PostgreSQL is chosen at run time by the URL's
// scheme; both clients are generated from the same models, so they share one API and type.
import { config } from "../config";
import { PrismaClient as PostgresClient } from "../generated/postgres/client";
import { PrismaClient as SqliteClient, type Prisma } from "../generated/sqlite/client";
import type pg from "pg";
import { createDirectReader, type DirectReader } from "./direct";
import { createAdapterFactory, createPgPool, type DbTarget } from "./url";

/** The client type. The PostgreSQL client has the same model API. */
export type Db = SqliteClient;
/** A client bound to an open interactive transaction. */
export type Tx = Prisma.TransactionClient;

type Held = { url: string; client: Db; direct: DirectReader; pool: pg.Pool | null };

function open(target: DbTarget): Omit<Held, "url"> {
  if (target.provider === "sqlite") {
    return { client: new SqliteClient({ adapter: createAdapterFactory(target) }), direct: createDirectReader(target, null), pool: null };
  }
  const pool = createPgPool(target);
  const client = new PostgresClient({ adapter: createAdapterFactory(target, "client", pool) }) as unknown as Db;
  return { client, direct: createDirectReader(target, pool), pool };
}

const globalForDb = globalThis as unknown as { __tesseraDb?: Held };

function held(): Held {
  const c = config();
  const h = globalForDb.__tesseraDb;
  if (h && h.url === c.databaseUrl) return h;
  const opened = { url: c.databaseUrl, ...open(c.database) };
  globalForDb.__tesseraDb = opened;
  return opened;
}

/** The process-wide client (kept on globalThis so that dev-server reloads reuse it). */
export function db(): Db {
  return held().client;
}

/** The direct driver reader for the authentication hot path (see lib/db/direct.ts). */
export function directReader(): DirectReader {
  return held().direct;
}

/** The PostgreSQL pool the client uses (null on SQLite): for single-statement writes off the ORM path. */
export function pgPool(): pg.Pool | null {
  return held().pool;
}

/** Closes the client, the direct reader and the pool (tests and scripts). */
export async function closeDb(): Promise<void> {
  const h = globalForDb.__tesseraDb;
  if (!h) return;
  globalForDb.__tesseraDb = undefined;
  await h.client.$disconnect();
  await h.direct.close();
  await h.pool?.end();
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
export async function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db().$transaction(fn, { maxWait: 10_000, timeout: 15_000 });
    } catch (err) {
      if (!retryableBusy(err) || attempt >= SQLITE_BUSY_ATTEMPTS) throw err;
      // Rolled back: nothing of it was written. Run it again, after a short, jittered pause.
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt + Math.random() * 20));
    }
  }
}

/** Tries of a SQLite transaction that another process's write made busy (see retryableBusy). */
export const SQLITE_BUSY_ATTEMPTS = 4;

/**
 * SQLite answers SQLITE_BUSY (Prisma P1008, "Operation has timed out") at once, without its busy
 * timeout, when a transaction that began by reading wants to write after another connection wrote
 * since its read: its snapshot is stale. That other connection is another process on the same file
 * (a maintenance command such as keys:rotate or user:reset-link, a second instance, or a test), as
 * the server itself writes through one connection. Running the transaction again from the start
 * takes a fresh snapshot. PostgreSQL never answers P1008 for this.
 */
function retryableBusy(err: unknown): boolean {
  return dbProvider() === "sqlite" && (err as { code?: unknown } | null)?.code === "P1008";
}

/**
 * Serialises changes that must see each other inside one workspace (the last-owner rule): a row
 * lock on the workspace on PostgreSQL, held until the transaction ends. SQLite transactions are
 * already serial (one connection, one writer).
 */
export async function lockWorkspace(tx: Tx, workspaceId: string): Promise<void> {
  if (dbProvider() === "postgres") await tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`;
}

/** Locks a workload row for an edit (PostgreSQL): concurrent edits of one workload run in order. SQLite transactions are already serial. */
export async function lockWorkload(tx: Tx, workspaceId: string, workloadId: string): Promise<void> {
  if (dbProvider() === "postgres") await tx.$queryRaw`SELECT id FROM "Workload" WHERE id = ${workloadId} AND "workspaceId" = ${workspaceId} FOR UPDATE`;
}

/**
 * Locks a secret row for a change to it (update, rename, replace, delete) on PostgreSQL: changes
 * to one secret run one at a time, and a bind, which reads its secrets with lockSecretsShared,
 * waits for this lock (and this one for it). SQLite transactions are already serial.
 */
export async function lockSecret(tx: Tx, secretId: string): Promise<void> {
  if (dbProvider() === "postgres") await tx.$queryRaw`SELECT id FROM "Secret" WHERE id = ${secretId} FOR UPDATE`;
}

/** Share-locks a workspace's secrets that a bind (or a match check) reads (PostgreSQL), so that lockSecret's changes wait for it or it for them. */
export async function lockSecretsShared(tx: Tx, workspaceId: string, secretIds: string[]): Promise<void> {
  if (dbProvider() === "postgres" && secretIds.length) {
    await tx.$queryRaw`SELECT id FROM "Secret" WHERE "workspaceId" = ${workspaceId} AND id = ANY(${secretIds}::text[]) ORDER BY id FOR SHARE`;
  }
}
