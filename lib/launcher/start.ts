// The prepare step of `npm start` and `npm run dev`: check the configuration, apply pending
// migrations, build the current code (and the CLI bundle) when it changed since the last build,
// then serve it on PORT.
//   tsx lib/launcher/start.ts start   production server (next start), this process stays its parent
//   tsx lib/launcher/start.ts dev     development server (next dev), likewise
//   tsx lib/launcher/start.ts check   configuration and migrations only
// With --handoff (what lib/launcher/start.sh, the npm scripts, uses) it does not start the server
// but writes, on file descriptor 3, the shell statements that set the server's environment and
// node options, and exits: the shell then execs the server, which is left as the only process.
// Any failure prints one line and exits non-zero: never a stack trace.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, writeSync } from "node:fs";
import path from "node:path";
import nextEnv from "@next/env";
import { ConfigError, keyEnv, loadConfig, type Config } from "../config";
import { masterKeyIdsInUse, migrateTarget, tokenHashKeysInUse } from "../db/migrate";
import { redactDatabaseUrl } from "../db/url";
import { buildCliIfStale } from "../cli/build";
import { buildIfStale } from "./build";
import { handoffScript } from "./handoff";

const ROOT = path.resolve(import.meta.dirname, "../..");

function fail(message: string): never {
  console.error(`tessera: ${message}`);
  process.exit(1);
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n").find((l) => l.trim())?.trim() ?? "unknown error";
}

function ensureClients(): void {
  const missing = ["sqlite", "postgres"].some((p) => !existsSync(path.join(ROOT, `lib/generated/${p}/client.ts`)));
  if (!missing) return;
  console.log("tessera: generating the Prisma clients…");
  const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "prisma/tools/cli.ts"), "generate"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (r.status !== 0) fail("could not generate the Prisma clients (see above)");
}

async function prepare(): Promise<Config> {
  let config: Config;
  try {
    config = loadConfig({ cwd: ROOT, warn: (m) => console.warn(`tessera: ${m}`) });
  } catch (err) {
    if (err instanceof ConfigError) fail(`configuration error: ${err.message}`);
    fail(`configuration error: ${firstLine(err)}`);
  }
  try {
    const applied = await migrateTarget(config.database, ROOT);
    if (applied.length) console.log(`tessera: applied migrations: ${applied.join(", ")}`);
  } catch (err) {
    fail(`database error: cannot migrate ${redactDatabaseUrl(config.databaseUrl)}: ${firstLine(err)}`);
  }
  // Secrets are unreadable without the master key that wraps their data key: refuse to start.
  const configured = config.masterKeys.map((k) => k.id);
  const missing = (await masterKeyIdsInUse(config.database)).filter((id) => !configured.includes(id));
  if (missing.length) {
    fail(
      `master key error: the database's data keys are wrapped by master key ${missing.map((m) => `"${m}"`).join(", ")}, ` +
        `which TESSERA_MASTER_KEY does not contain (it has ${configured.map((m) => `"${m}"`).join(", ")}). ` +
        `Add the missing key (after the active one), start, and run "npm run keys:rotate" before removing it.`,
    );
  }
  // Tokens hashed under a master key that is gone fail with 401: start, but say so loudly.
  for (const t of await tokenHashKeysInUse(config.database)) {
    if (configured.includes(t.id) || !(t.latestExpiry.getTime() > Date.now())) continue;
    console.warn(
      `tessera: warning: up to ${t.count} active token(s) were made under master key "${t.id}", which TESSERA_MASTER_KEY no longer contains: ` +
        `they fail with 401 until they are replaced. Add the key back (after the active one) to keep them working until they expire (the last on ${t.latestExpiry.toISOString()}).`,
    );
  }
  return config;
}

/** The server's node options and environment. */
function serverLaunch(config: Config, mode: "start" | "dev"): { nodeArgs: string[]; env: NodeJS.ProcessEnv } {
  // Under load V8 grows its heap far beyond what the server holds live (~100 MB); a ceiling keeps
  // the resident size predictable (see TESSERA_SERVER_HEAP_MB). Not in dev: the compiler needs more.
  const heap = mode === "start" && config.serverHeapMb > 0 ? [`--max-old-space-size=${config.serverHeapMb}`] : [];
  return {
    nodeArgs: heap,
    env: {
      ...process.env,
      ...keyEnv(config),
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(config.port),
      // NextAuth builds its redirect URLs from this.
      NEXTAUTH_URL: config.publicUrl ?? `http://localhost:${config.port}`,
      NODE_ENV: mode === "start" ? "production" : "development",
    },
  };
}

function serve(config: Config, mode: "start" | "dev"): void {
  const { nodeArgs, env } = serverLaunch(config, mode);
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, "lib/launcher/server.mjs"), mode], { cwd: ROOT, stdio: "inherit", env });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/**
 * Writes on file descriptor 3, for lib/launcher/start.sh to eval, the statements that export every
 * variable of the server's environment that differs from the one this process was started with,
 * set `node` to this node and "$@" to the node options (lib/launcher/handoff.ts). Through a pipe,
 * never a file or a command line: the keys are among them.
 */
function handoff(config: Config, mode: "start" | "dev", initial: NodeJS.ProcessEnv): void {
  const { nodeArgs, env } = serverLaunch(config, mode);
  let script: string;
  try {
    script = handoffScript(env, initial, process.execPath, nodeArgs);
  } catch (err) {
    fail(firstLine(err));
  }
  try {
    writeSync(3, script);
  } catch (err) {
    fail(`--handoff needs file descriptor 3 open for writing (lib/launcher/start.sh sets it up): ${firstLine(err)}`);
  }
}

async function main(): Promise<void> {
  const initial = { ...process.env };
  const mode = process.argv[2] ?? "start";
  const handOff = process.argv.slice(3).includes("--handoff");
  if (!["start", "dev", "check"].includes(mode)) fail(`unknown mode "${mode}" (use start, dev or check)`);
  ensureClients();
  // Read .env files the way Next.js does, so the launcher and the server agree.
  nextEnv.loadEnvConfig(ROOT, mode === "dev", { info: () => {}, error: (m: string) => console.error(m) });
  const config = await prepare();
  if (mode === "check") {
    console.log(`tessera: configuration and database are ready (${config.database.provider})`);
    return;
  }
  if (mode === "start") {
    const r = buildIfStale("inherit");
    if (!r.ok) fail("the build failed (see above)");
  }
  // The CLI bundle that /cli/tessera.mjs hands out (well under a second when it is stale).
  try {
    const cli = await buildCliIfStale();
    if (cli) console.log(`tessera: built the CLI bundle (${path.relative(ROOT, cli.file)}, ${Math.round(cli.bytes / 1024)} KB) in ${cli.ms} ms`);
  } catch (err) {
    fail(`cannot build the CLI bundle: ${firstLine(err)}`);
  }
  if (handOff) handoff(config, mode as "start" | "dev", initial);
  else serve(config, mode as "start" | "dev");
}

main().catch((err: unknown) => fail(firstLine(err)));

