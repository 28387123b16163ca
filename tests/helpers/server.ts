// Starts Tessera the way a user does (the `npm start` launcher) on a free port.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
// What `npm start` runs (without npm): the prepare step, then the shell execs the server.
export const LAUNCHER = path.join(ROOT, "lib/launcher/start.sh");
/** How long a stopped server may take to exit before it is killed (a hang guard). */
const STOP_HANG_GUARD_MS = 60_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Environment without the test keys of the per-file setup, as on a user's machine. */
export function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env)) {
    if (k.startsWith("TESSERA_") || k.startsWith("VITEST") || ["DATABASE_URL", "PORT", "NODE_ENV"].includes(k)) delete env[k];
  }
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}

export type RunResult = { code: number | null; stdout: string; stderr: string };

/** Runs the launcher to completion (for start-up failures). */
export function runLauncher(mode: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", [LAUNCHER, mode], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`launcher did not exit in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export type RunningServer = { url: string; child: ChildProcess; output: () => string; stop: () => Promise<void> };

/**
 * Starts the production server and waits until /api/health answers 200: through the launcher, or
 * with `via: "npm"` through `npm start` (npm stays its parent, as on a user's machine).
 */
export async function startServer(env: Record<string, string>, timeoutMs = 240_000, fixedPort?: number, opts: { via?: "launcher" | "npm" } = {}): Promise<RunningServer> {
  const port = fixedPort ?? (await freePort());
  const [command, args] = opts.via === "npm" ? ["npm", ["start"]] : ["sh", [LAUNCHER, "start"]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: userEnv({ ...env, PORT: String(port) }),
    detached: true,
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = `http://localhost:${port}`;
  // "close": the process has exited and its output is all read (a test may check the logs after).
  const closed = new Promise<void>((r) => child.once("close", () => r()));
  /** Stops the server (SIGTERM, a graceful shutdown) and waits until it has exited and its output is all read. */
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return closed;
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      /* already gone */
    }
    // Hang guard, not a budget: a shutdown on a loaded machine can take many seconds.
    let guard: NodeJS.Timeout | undefined;
    const hung = new Promise<"hung">((r) => (guard = setTimeout(() => r("hung"), STOP_HANG_GUARD_MS)));
    if ((await Promise.race([closed, hung])) === "hung") {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    clearTimeout(guard);
    await closed;
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) return { url, child, output: () => out, stop };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`server did not become healthy in ${timeoutMs} ms:\n${out}`);
}

/**
 * The production server on this test file's database and keys, at http://localhost:<a free port>
 * (its TESSERA_PUBLIC_URL), logging at warn unless `extra` says otherwise: the browser tests' server.
 */
export async function startFileServer(name: string, extra: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  return startServer(
    {
      DATABASE_URL: process.env.DATABASE_URL!,
      TESSERA_AUTH_SECRET: process.env.TESSERA_AUTH_SECRET!,
      TESSERA_MASTER_KEY: process.env.TESSERA_MASTER_KEY!,
      TESSERA_DATA_DIR: mkdtempSync(path.join(tmpdir(), `tessera-${name}-`)),
      TESSERA_PUBLIC_URL: `http://localhost:${port}`,
      TESSERA_LOG_LEVEL: "warn",
      ...extra,
    },
    240_000,
    port,
  );
}
