// Parses DATABASE_URL into a provider and the settings its driver adapter needs.
// The scheme decides the provider: `file:` is SQLite, `postgres://` / `postgresql://` is PostgreSQL.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";

export type DbTarget =
  | { provider: "sqlite"; file: string }
  | { provider: "postgres"; connectionString: string; schema: string };

/** SQLite waits this long for a lock held by another connection before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Returns null when the URL is not one Tessera can use. */
export function parseDatabaseUrl(url: string, cwd = process.cwd()): DbTarget | null {
  if (url.startsWith("file:")) {
    const file = url.slice("file:".length).split("?")[0];
    if (!file) return null;
    return { provider: "sqlite", file: path.resolve(cwd, file) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    if (!parsed.hostname && !parsed.searchParams.get("host")) return null;
    const schema = parsed.searchParams.get("schema") ?? "public";
    if (!SCHEMA_NAME.test(schema)) return null;
    parsed.searchParams.delete("schema");
    return { provider: "postgres", connectionString: parsed.toString(), schema };
  }
  return null;
}

/**
 * pg client used only by the schema engine. PostgreSQL catalog queries return columns of the
 * internal one-byte `"char"` type (OID 18), which @prisma/adapter-pg 7.10 does not map; they
 * arrive as strings, so report them as text (OID 25).
 */
class SchemaEngineClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const fix = (res: pg.QueryResult | undefined) => {
      for (const field of res?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
      return res;
    };
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const callback = args[last];
      args[last] = (err: Error | null, res: pg.QueryResult) => callback(err, fix(res));
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as any)(...args);
    return result && typeof result.then === "function" ? result.then(fix) : result;
  }
}

type SqliteAdapter = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;

/**
 * The schema engine replays each migration on the shadow database as one `executeRaw`, which
 * better-sqlite3 refuses for a multi-statement script; run such scripts with `executeScript`.
 */
function withMultiStatementShadow(factory: PrismaBetterSqlite3) {
  const patch = (adapter: SqliteAdapter): SqliteAdapter => {
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      try {
        return await executeRaw(query);
      } catch (err) {
        if (query.args.length === 0 && /more than one statement/.test(String((err as Error)?.message ?? err))) {
          await adapter.executeScript(query.sql);
          return 0;
        }
        throw err;
      }
    };
    return adapter;
  };
  return {
    provider: "sqlite" as const,
    adapterName: factory.adapterName,
    connect: () => factory.connect(),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}

function pgConfigFor(target: Extract<DbTarget, { provider: "postgres" }>) {
  return {
    // Discrete fields rather than `connectionString`, so that `database` can be overridden.
    ...parseIntoClientConfig(target.connectionString),
    // Unqualified names (migrations, raw SQL) resolve in the chosen schema.
    options: `-c search_path="${target.schema}"`,
    max: Number(process.env.TESSERA_PG_POOL_SIZE ?? 10),
    connectionTimeoutMillis: 5000,
  };
}

/** The client's pg pool: shared by Prisma's adapter and the direct hot-path reader (lib/db/direct.ts). */
export function createPgPool(target: Extract<DbTarget, { provider: "postgres" }>): pg.Pool {
  return new pg.Pool(pgConfigFor(target));
}

/** A Prisma driver-adapter factory for the target (used by the client, over `pool`, and by migrations). */
export function createAdapterFactory(target: DbTarget, purpose: "client" | "schema-engine" = "client", pool?: pg.Pool) {
  if (target.provider === "sqlite") {
    const factory = new PrismaBetterSqlite3({ url: `file:${target.file}`, timeout: SQLITE_BUSY_TIMEOUT_MS });
    return purpose === "schema-engine" ? withMultiStatementShadow(factory) : factory;
  }
  const pgConfig = pgConfigFor(target);
  if (purpose === "client") return new PrismaPg(pool ?? pgConfig, { schema: target.schema });
  const engineConfig = { ...pgConfig, Client: SchemaEngineClient };
  const factory = new PrismaPg(engineConfig, { schema: target.schema });
  return {
    provider: "postgres" as const,
    adapterName: factory.adapterName,
    connect: () => factory.connect(),
    // Our own shadow database for migration diffs: a temporary database on the same server,
    // dropped (WITH FORCE) once the engine lets go of it.
    connectToShadowDb: async () => {
      const name = `tessera_shadow_${randomUUID().replace(/-/g, "")}`;
      const admin = async (sql: string) => {
        const c = new pg.Client({ ...pgConfig, options: undefined });
        await c.connect();
        try {
          await c.query(sql);
        } finally {
          await c.end();
        }
      };
      await admin(`CREATE DATABASE "${name}"`);
      const adapter = await new PrismaPg({ ...engineConfig, database: name, options: undefined }).connect();
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      };
      return adapter;
    },
  };
}

/** The URL with any password replaced, safe for logs and error messages. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
