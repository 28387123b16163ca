// `npm run backup` / `npm run restore` as seen by another local user of the host: the backup, its
// manifest and a restored database are the owner's alone whatever the umask; a manifest cannot
// point the restore at a file elsewhere; a file planted at the output path is never written
// through; and pg_dump / pg_restore never carry the database password on their command line.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { findPgTool } from "@/lib/launcher/backup";
import { ROOT, runLauncher, userEnv } from "../helpers/server";

const TSX = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
const TOOL = path.join(ROOT, "lib/launcher/backup.ts");
const dir = mkdtempSync(path.join(tmpdir(), "tessera-backup-files-"));
const source = `file:${path.join(dir, "data", "tessera.db")}`;
const mode = (f: string) => statSync(f).mode & 0o777;

/** The backup tool under umask 022 (a common default), with a user's environment. */
function tool(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync("sh", ["-c", 'umask 022; exec "$@"', "sh", process.execPath, TSX, TOOL, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: userEnv({ DATABASE_URL: source, TESSERA_DATA_DIR: path.join(dir, "data"), ...env }),
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Drops the test's schema and restored database. */
async function dropPg(source: URL, restored: URL) {
  const c = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${source.searchParams.get("schema")}" CASCADE`);
    await c.query(`DROP DATABASE IF EXISTS "${restored.pathname.slice(1)}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  const r = await runLauncher("check", userEnv({ DATABASE_URL: source, TESSERA_DATA_DIR: path.join(dir, "data") }));
  expect(r.code, r.stderr).toBe(0);
});

describe("backup and restore files", () => {
  it("under umask 022 the backup, its manifest and the restored database are readable by their owner only", () => {
    const shared = mkdtempSync(path.join(tmpdir(), "tessera-shared-"));
    chmodSync(shared, 0o755);
    const out = path.join(shared, "b.db");
    const b = tool(["backup", "--out", out]);
    expect(b.code, b.out).toBe(0);
    expect(mode(out)).toBe(0o600);
    expect(mode(`${out}.manifest.json`)).toBe(0o600);
    const restored = path.join(shared, "restored", "tessera.db");
    const r = tool(["restore", out, `file:${restored}`]);
    expect(r.code, r.out).toBe(0);
    expect(mode(restored)).toBe(0o600);
    expect(mode(path.dirname(restored))).toBe(0o700);
  });

  it("refuses an output path where something (a dangling symlink included) already is, and writes nothing through it", () => {
    const shared = mkdtempSync(path.join(tmpdir(), "tessera-shared-"));
    const victim = path.join(shared, "victim");
    const out = path.join(shared, "b.db");
    symlinkSync(victim, out);
    const b = tool(["backup", "--out", out]);
    expect(b.code).toBe(1);
    expect(b.out).toMatch(/exists: choose another --out/);
    expect(existsSync(victim)).toBe(false);
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
  });

  it("refuses a manifest whose file is not beside it", () => {
    const shared = mkdtempSync(path.join(tmpdir(), "tessera-shared-"));
    const out = path.join(shared, "b.db");
    expect(tool(["backup", "--out", out]).code).toBe(0);
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, "utf8"));
    const elsewhere = mkdtempSync(path.join(tmpdir(), "tessera-elsewhere-"));
    const inner = path.join(shared, "inner");
    spawnSync("mkdir", [inner]);
    for (const file of [`../${path.basename(elsewhere)}/x.db`, path.join(elsewhere, "x.db"), "..", "."]) {
      writeFileSync(path.join(inner, "m.manifest.json"), JSON.stringify({ ...manifest, file }));
      const r = tool(["restore", path.join(inner, "m.manifest.json"), `file:${path.join(shared, `r-${readdirSync(shared).length}.db`)}`]);
      expect(r.code, file).toBe(1);
      expect(r.out).toMatch(/is not a Tessera backup manifest/);
    }
  });

  it.runIf(process.env.TEST_POSTGRES_URL)("pg_dump and pg_restore get the password in their environment, never on their command line", () => {
    const bin = mkdtempSync(path.join(tmpdir(), "tessera-pgbin-"));
    const log = path.join(bin, "calls.log");
    for (const name of ["pg_dump", "pg_restore"]) {
      const real = findPgTool(name);
      expect(real, `${name} installed`).not.toBeNull();
      // Records its command line and whether PGPASSWORD was set, then runs the real program.
      writeFileSync(path.join(bin, name), `#!/bin/sh\nprintf '%s pw=%s args=%s\\n' ${name} "\${PGPASSWORD:+set}" "$*" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
    }
    const password = "s3cret-pw-for-argv";
    const url = new URL(process.env.TEST_POSTGRES_URL!);
    url.password = password;
    url.searchParams.set("schema", `bkp_${process.pid}_${Date.now()}`);
    const env = { DATABASE_URL: url.toString(), PATH: `${bin}:${process.env.PATH}` };
    return (async () => {
      const target = new URL(url);
      target.pathname = `/restore_${process.pid}_${Date.now()}`;
      try {
        await backupAndRestore(target);
      } finally {
        await dropPg(url, target);
      }
    })();
    async function backupAndRestore(target: URL) {
      const check = await runLauncher("check", userEnv({ ...env, TESSERA_DATA_DIR: path.join(dir, "data") }));
      expect(check.code, check.stderr).toBe(0);
      const out = path.join(mkdtempSync(path.join(tmpdir(), "tessera-shared-")), "b.dump");
      const b = tool(["backup", "--out", out], env);
      expect(b.code, b.out).toBe(0);
      expect(mode(out)).toBe(0o600);
      const r = tool(["restore", out, target.toString()], env);
      expect(r.code, r.out).toBe(0);
      const calls = readFileSync(log, "utf8").trim().split("\n");
      expect(calls.map((c) => c.split(" ")[0])).toEqual(["pg_dump", "pg_restore"]);
      for (const c of calls) {
        expect(c).toContain("pw=set");
        expect(c).not.toContain(password);
      }
      expect(b.out + r.out).not.toContain(password);
    }
  });
});
