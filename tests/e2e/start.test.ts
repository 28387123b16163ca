// `npm start` as a user runs it: configuration checks, migrations, build, serve, health.
import { once } from "node:events";
import { mkdtempSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { processTree, treeRss } from "../bench/common";
import { ROOT, freePort, runLauncher, startServer, userEnv, type RunningServer } from "../helpers/server";

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), "tessera-e2e-"));
}

function expectOneCleanLine(stderr: string, pattern: RegExp) {
  // The generated-keys warning may come first; the error itself is one line.
  const lines = stderr.split("\n").filter((l) => l.trim() && !l.startsWith("tessera: WARNING:"));
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe("npm start", () => {
  it.each([
    [{ PORT: "abc" }, /^tessera: configuration error: PORT: must be a whole number/],
    [{ DATABASE_URL: "mysql://root@localhost/x" }, /^tessera: configuration error: DATABASE_URL: must be file:/],
    [{ TESSERA_REQUIRE_KEYS: "true" }, /^tessera: configuration error: TESSERA_AUTH_SECRET: is required because TESSERA_REQUIRE_KEYS=true/],
    [
      { DATABASE_URL: "postgresql://tessera:hunter2@127.0.0.1:1/tessera" },
      /^tessera: database error: cannot migrate postgresql:\/\/tessera:\*\*\*@127\.0\.0\.1:1\/tessera: /,
    ],
  ])("stops on %j with one clear line and a non-zero exit", async (env, pattern) => {
    const dir = tmp();
    const r = await runLauncher("check", userEnv({ TESSERA_DATA_DIR: dir, DATABASE_URL: `file:${dir}/t.db`, ...env }));
    expect(r.code).toBe(1);
    expectOneCleanLine(r.stderr, pattern);
    expect(r.stderr + r.stdout).not.toContain("hunter2");
  });

  it("SEC-09 SEC-11: refuses a database whose data keys need a master key that is not configured, naming it", async () => {
    const dir = tmp();
    const url = `file:${dir}/t.db`;
    const oldKey = `old:${Buffer.alloc(32, 5).toString("base64")}`;
    const newKey = `new:${Buffer.alloc(32, 6).toString("base64")}`;
    const base = { TESSERA_DATA_DIR: dir, DATABASE_URL: url, TESSERA_AUTH_SECRET: "s".repeat(40) };
    expect((await runLauncher("check", userEnv({ ...base, TESSERA_MASTER_KEY: oldKey }))).code).toBe(0);
    // A data key wrapped by "old", as the secrets service writes one.
    const { default: Database } = await import("better-sqlite3");
    const d = new Database(`${dir}/t.db`);
    d.prepare(`INSERT INTO Workspace (id, name, createdAt, updatedAt) VALUES ('w1', 'W', '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.000+00:00')`).run();
    d.prepare(`INSERT INTO WorkspaceKey (id, workspaceId, version, wrappedKey, masterKeyId, createdAt, updatedAt) VALUES ('k1', 'w1', 1, x'00', 'old', '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.000+00:00')`).run();
    d.close();
    const r = await runLauncher("check", userEnv({ ...base, TESSERA_MASTER_KEY: newKey }));
    expect(r.code).toBe(1);
    expectOneCleanLine(r.stderr, /^tessera: master key error: the database's data keys are wrapped by master key "old", which TESSERA_MASTER_KEY does not contain \(it has "new"\)/);
    expect(r.stderr).not.toContain(Buffer.alloc(32, 6).toString("base64"));
    // With both keys (the new one active) it starts, and the rotation command can then run.
    expect((await runLauncher("check", userEnv({ ...base, TESSERA_MASTER_KEY: `${newKey},${oldKey}` }))).code).toBe(0);
  });

  it("TOK-07: warns at start-up about live tokens hashed under a removed master key; the rotation command says to keep it until they expire", async () => {
    const dir = tmp();
    const oldKey = `old:${Buffer.alloc(32, 5).toString("base64")}`;
    const newKey = `new:${Buffer.alloc(32, 6).toString("base64")}`;
    const base = { TESSERA_DATA_DIR: dir, DATABASE_URL: `file:${dir}/t.db`, TESSERA_AUTH_SECRET: "s".repeat(40) };
    expect((await runLauncher("check", userEnv({ ...base, TESSERA_MASTER_KEY: oldKey }))).code).toBe(0);
    const { default: Database } = await import("better-sqlite3");
    const d = new Database(`${dir}/t.db`);
    const at = "2026-01-01T00:00:00.000+00:00";
    const later = new Date(Date.now() + 5 * 86_400_000).toISOString().replace("Z", "+00:00");
    d.prepare(`INSERT INTO Workspace (id, name, createdAt, updatedAt) VALUES ('w1', 'W', ?, ?)`).run(at, at);
    // Two live tokens under "old", one expired and one cancelled (they need no key).
    const insert = d.prepare(`INSERT INTO Token (id, workspaceId, kind, name, prefix, lastFour, hash, hashKeyId, status, expiresAt, createdAt, updatedAt) VALUES (?, 'w1', 'workspace', 't', 'tsr_wsp_', 'abcd', ?, 'old', ?, ?, ?, ?)`);
    insert.run("t1", "h1", "active", later, at, at);
    insert.run("t2", "h2", "active", later, at, at);
    insert.run("t3", "h3", "active", "2026-01-02T00:00:00.000+00:00", at, at);
    insert.run("t4", "h4", "cancelled", later, at, at);
    d.close();
    // Only the new key: it starts (data keys are fine), but says that those tokens now fail.
    const r = await runLauncher("check", userEnv({ ...base, TESSERA_MASTER_KEY: newKey }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: up to 3 active token\(s\) were made under master key "old", which TESSERA_MASTER_KEY no longer contains: they fail with 401/);
    // Both keys: no warning; the rotation command has no data key to re-wrap but names the tokens' key and date.
    const both = userEnv({ ...base, TESSERA_MASTER_KEY: `${newKey},${oldKey}` });
    expect((await runLauncher("check", both)).stderr).not.toMatch(/warning: up to/);
    const { spawnSync } = await import("node:child_process");
    const rot = spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "lib/launcher/rotate-keys.ts")], { cwd: ROOT, env: both, encoding: "utf8" });
    expect(rot.status, rot.stderr).toBe(0);
    // The expired one is counted (active, not cancelled: "up to"), the cancelled one is not.
    expect(rot.stdout).toMatch(/up to 3 active token\(s\) were made under master key "old" and are checked with it until they expire \(the last on \d{4}-\d\d-\d\d/);
    expect(rot.stdout).toMatch(/remove the older master key once the tokens above have expired/);
    expect(rot.stdout).not.toMatch(/older master keys can be removed/);
    expect(rot.stdout + rot.stderr).not.toContain(Buffer.alloc(32, 5).toString("base64"));
  });

  it("migrates, builds and serves; the health check answers", async () => {
    const dir = tmp();
    const server = await startServer({ TESSERA_DATA_DIR: dir, DATABASE_URL: `file:${dir}/tessera.db` });
    servers.push(server);
    const res = await fetch(`${server.url}/api/health`);
    expect(await res.json()).toMatchObject({ status: "ok", database: "sqlite" });
    expect(server.output()).toMatch(/applied migrations: \d+_init/);
    expect(server.output()).toMatch(/WARNING: TESSERA_AUTH_SECRET and TESSERA_MASTER_KEY are not set/);
    for (const f of ["auth-secret", "master-key"]) expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);

    const home = await fetch(server.url);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Tessera");
    const api = await fetch(`${server.url}/api/v1/workspaces`);
    expect(api.status).toBe(401);
    expect((await api.json()).error.code).toBe("UNAUTHORIZED");
    await server.stop();

    // A second start applies nothing and reuses the build.
    const again = await startServer({ TESSERA_DATA_DIR: dir, DATABASE_URL: `file:${dir}/tessera.db` });
    servers.push(again);
    expect(again.output()).not.toMatch(/applied migrations/);
    expect(again.output()).not.toMatch(/building the app/);
    await again.stop();
  });

  it("leaves the server as the only process, which a SIGTERM or SIGINT to it alone stops cleanly (exit 0)", async () => {
    const dir = tmp();
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const server = await startServer({ TESSERA_DATA_DIR: dir, DATABASE_URL: `file:${dir}/tessera.db`, TESSERA_LOG_LEVEL: "warn" });
      servers.push(server);
      // The shell replaced itself with the server: no launcher, no shell, no tsx left beside it.
      const tree = processTree(server.child.pid!);
      expect(tree, JSON.stringify(tree)).toHaveLength(1);
      expect(tree[0]!.cmdline).toMatch(/\bnode --max-old-space-size=256 lib\/launcher\/server\.mjs start$/);
      const exited = once(server.child, "exit");
      process.kill(server.child.pid!, signal);
      expect(await exited).toEqual([0, null]);
      await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
    }
  });

  it("under npm start, npm and the server are the whole tree, and signals from npm's side reach the server", async () => {
    const dir = tmp();
    const env = { TESSERA_DATA_DIR: dir, DATABASE_URL: `file:${dir}/tessera.db`, TESSERA_LOG_LEVEL: "warn" };
    // A process manager stops npm with SIGTERM; Ctrl-C sends SIGINT to the whole foreground group.
    for (const [signal, target] of [["SIGTERM", "npm"], ["SIGINT", "group"]] as const) {
      const server = await startServer(env, 240_000, undefined, { via: "npm" });
      servers.push(server);
      const tree = processTree(server.child.pid!);
      expect(tree.map((p) => p.cmdline), JSON.stringify(tree)).toEqual([expect.stringMatching(/^npm start/), expect.stringMatching(/server\.mjs start$/)]);
      // What is left beside the server is npm itself, the parent of any npm script.
      const { processes } = treeRss(server.child.pid!);
      expect(processes[0]!.rssMb).toBeLessThan(120);
      const serverExited = new Promise<void>((resolve) => {
        const check = () => (processTree(tree[1]!.pid).length ? setTimeout(check, 100) : resolve());
        check();
      });
      const npmExited = once(server.child, "exit");
      process.kill(target === "npm" ? server.child.pid! : -server.child.pid!, signal);
      await serverExited;
      const [code] = await npmExited;
      // npm passes on the server's clean exit (killed by the signal itself, npm would say 1 or more).
      expect(code).toBe(0);
      expect(server.output()).not.toMatch(/\n\s+at /);
    }
  });

  it("stops with one line and the server's non-zero exit code when the port is taken", async () => {
    const dir = tmp();
    const port = await freePort();
    // It holds the port and hangs up on every connection (the health check must not wait on it).
    const blocker = createServer((socket) => socket.destroy()).listen(port);
    await once(blocker, "listening");
    try {
      const started = startServer({ TESSERA_DATA_DIR: dir, DATABASE_URL: `file:${dir}/tessera.db`, TESSERA_LOG_LEVEL: "warn" }, 240_000, port);
      await expect(started).rejects.toThrow(/server exited with 1:[\s\S]*tessera: cannot serve on port \d+: listen EADDRINUSE/);
      await expect(started).rejects.not.toThrow(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it.runIf(process.env.TEST_POSTGRES_URL)("serves on PostgreSQL when DATABASE_URL points at it", async () => {
    const base = process.env.TEST_POSTGRES_URL!;
    const schema = `e2e_${process.pid}_${Date.now()}`;
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`CREATE SCHEMA "${schema}"`);
    try {
      const url = new URL(base);
      url.searchParams.set("schema", schema);
      const server = await startServer({ TESSERA_DATA_DIR: tmp(), DATABASE_URL: url.toString() });
      servers.push(server);
      expect(await (await fetch(`${server.url}/api/health`)).json()).toMatchObject({ status: "ok", database: "postgres" });
      const tables = await c.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`, [schema]);
      expect(tables.rows[0].n).toBeGreaterThan(10);
      await server.stop();
    } finally {
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  });
});
