// Prisma's own schema engine, compiled to WebAssembly (@prisma/schema-engine-wasm).
// It applies and diffs Prisma migrations through our driver adapters, so no native
// engine binary is ever downloaded: installs work offline and air-gapped.
import { readFile, readdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import { createAdapterFactory, type DbTarget } from "./url";

type EngineModule = {
  SchemaEngine: { new: (options: unknown, log: (msg: string) => void, adapter: object) => Promise<SchemaEngine> };
  __wbg_set_wasm: (exports: WebAssembly.Exports) => void;
};

// One Wasm instance per process, even if this file is loaded twice (test runners, bundlers):
// the wasm-bindgen glue is a shared module, and a second instance would corrupt the first.
const shared = globalThis as unknown as { __tesseraSchemaEngine?: Promise<EngineModule> };

/** The engine reports Rust panics through this global before it throws. */
const panics = globalThis as unknown as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
let lastPanic: string | null = null;
panics.PRISMA_WASM_PANIC_REGISTRY ??= {
  set_message(message: string) {
    lastPanic = message;
  },
};

/** Loads the Wasm module once per process (plain Node cannot import `.wasm` as an ES module). */
async function loadModule(): Promise<EngineModule> {
  shared.__tesseraSchemaEngine ??= (async () => {
    const require = createRequire(import.meta.url);
    const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bg = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as EngineModule & {
      __wbindgen_start?: () => void;
    };
    const wasmPath = path.join(path.dirname(bgPath), "schema_engine_bg.wasm");
    const compiled = await WebAssembly.compile(await readFile(wasmPath));
    const instance = await WebAssembly.instantiate(compiled, { "./schema_engine_bg.js": bg as never });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return bg;
  })();
  return shared.__tesseraSchemaEngine;
}

export type EngineHandle = { engine: SchemaEngine; close: () => Promise<void> };

type Registry = { consumeError(id: number): { error?: unknown } | undefined };

/** Replaces the engine's "External error id#N" with the driver's own error message. */
function explain(err: unknown, registry: Registry): Error {
  let message = err instanceof Error ? err.message : String(err);
  if (lastPanic && /unreachable|panic/i.test(message)) message = `schema engine panicked: ${lastPanic}`;
  // The driver's "timed out" kind (SQLite: database is locked) is unknown to this engine build.
  if (/unknown variant `SocketTimeout`/.test(message)) {
    message = "timed out waiting for the database: another process is holding a lock on it";
  }
  const replaced = message.replace(/External error id#(\d+)/g, (whole, id: string) => {
    const entry = registry.consumeError(Number(id));
    const cause = entry?.error;
    return cause instanceof Error ? cause.message : cause ? String(cause) : whole;
  });
  // Keep the first lines only: the rest is the engine's internal backtrace.
  return new Error(replaced.split("\n").filter((l) => !/^\s+(\d+:|at )/.test(l)).join("\n").trim());
}

/** Wraps every engine method so that failures carry the underlying driver message. */
function withExplainedErrors(engine: SchemaEngine, registry: Registry): SchemaEngine {
  return new Proxy(engine, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        try {
          const out = value.apply(target, args);
          return out instanceof Promise ? out.catch((e: unknown) => Promise.reject(explain(e, registry))) : out;
        } catch (e) {
          throw explain(e, registry);
        }
      };
    },
  });
}

/** Opens a schema engine connected to the target database. Call close() when done. */
export async function openSchemaEngine(target: DbTarget, datamodel?: string): Promise<EngineHandle> {
  const mod = await loadModule();
  // Track the connections the engine opens, so that close() releases them (SQLite locks, pg pools).
  const base = createAdapterFactory(target, "schema-engine");
  const opened: { dispose(): Promise<void> }[] = [];
  const track = async <T extends { dispose(): Promise<void> }>(p: Promise<T>): Promise<T> => {
    const adapter = await p;
    opened.push(adapter);
    return adapter;
  };
  const tracked = {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: () => track(base.connect()),
    connectToShadowDb: () => track(base.connectToShadowDb()),
  };
  const factory = bindMigrationAwareSqlAdapterFactory(tracked as never);
  const logs: string[] = [];
  const engine = await mod.SchemaEngine.new(
    { datamodels: datamodel ? [["schema.prisma", datamodel]] : undefined },
    (msg: string) => logs.push(msg),
    factory,
  );
  return {
    engine: withExplainedErrors(engine, (factory as unknown as { errorRegistry: Registry }).errorRegistry),
    close: async () => {
      engine.free();
      await Promise.allSettled(opened.map((a) => a.dispose()));
    },
  };
}

const NO_FILTER = { externalTables: [], externalEnums: [] };

/** Reads a standard Prisma migrations folder (`<name>/migration.sql` + migration_lock.toml). */
export async function readMigrationList(dir: string): Promise<MigrationList> {
  const entries = (await readdir(dir, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = [];
  for (const name of entries) {
    const file = path.join(dir, name, "migration.sql");
    const exists = await stat(file).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    migrationDirectories.push({
      path: name,
      migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: await readFile(file, "utf8") } },
    });
  }
  const lockPath = path.join(dir, "migration_lock.toml");
  const lockContent = await readFile(lockPath, "utf8").catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** Applies pending migrations; returns the names applied (empty when up to date). */
export async function applyMigrations(target: DbTarget, migrationsDir: string): Promise<string[]> {
  const { engine, close } = await openSchemaEngine(target);
  try {
    const migrationsList = await readMigrationList(migrationsDir);
    const out = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return out.appliedMigrationNames;
  } finally {
    await close();
  }
}

/**
 * SQL that takes a database built from the migrations folder to the datamodel: an empty
 * string when the two agree. The engine replays the migrations on a shadow database
 * (SQLite: in memory; PostgreSQL: a temporary database on the server of `target`).
 */
export async function diffMigrationsToSchema(target: DbTarget, migrationsDir: string, datamodel: string): Promise<string> {
  const { engine, close } = await openSchemaEngine(target, datamodel);
  try {
    const migrationsList = await readMigrationList(migrationsDir);
    const result = await engine.diff({
      from: { tag: "migrations", ...migrationsList },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: datamodel }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    const out = (result.stdout ?? "").trim();
    return out === "-- This is an empty migration." ? "" : out;
  } finally {
    await close();
  }
}
