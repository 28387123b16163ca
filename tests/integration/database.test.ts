import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import Database from "better-sqlite3";
import { db, dbProvider, transaction } from "@/lib/db/client";
import { config } from "@/lib/config";
import { migrateTarget, migrateUrl } from "@/lib/db/migrate";
import { makeWorkspace } from "../helpers/fixtures";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("database", () => {
  it("re-applying migrations is a no-op", async () => {
    expect(await migrateUrl(process.env.DATABASE_URL!, ROOT)).toEqual([]);
  });

  it.runIf(dbProvider() === "sqlite")("runs SQLite in WAL mode with foreign keys on and a busy timeout", async () => {
    const [journal] = await db().$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    const [fk] = await db().$queryRawUnsafe<{ foreign_keys: bigint | number }[]>("PRAGMA foreign_keys");
    const [busy] = await db().$queryRawUnsafe<{ timeout: bigint | number }[]>("PRAGMA busy_timeout");
    expect(journal!.journal_mode).toBe("wal");
    expect(Number(fk!.foreign_keys)).toBe(1);
    expect(Number(busy!.timeout)).toBe(5000);
  });

  it.runIf(dbProvider() === "sqlite")("runs a transaction again when another process wrote after it read (SQLITE_BUSY at once), instead of failing", async () => {
    const target = config().database;
    if (target.provider !== "sqlite") throw new Error("SQLite only");
    // Another process on the same file: a maintenance command, a second instance, a test.
    const other = new Database(target.file, { timeout: 5000 });
    const key = `busy-${randomBytes(4).toString("hex")}`;
    let runs = 0;
    try {
      const written = await transaction(async (tx) => {
        runs++;
        await tx.rateLimit.findMany({ take: 1 }); // the snapshot
        if (runs === 1) other.prepare(`INSERT INTO "RateLimit" ("key", "count", "windowStart", "updatedAt") VALUES (?, 1, ?, ?)`).run(`${key}-other`, Date.now(), Date.now());
        return tx.rateLimit.create({ data: { key, count: 1, windowStart: new Date() } });
      });
      // The first run's write met the other process's commit and was refused; the second went through.
      expect(runs).toBe(2);
      expect(written.key).toBe(key);
      expect(await db().rateLimit.count({ where: { key: { startsWith: key } } })).toBe(2);
    } finally {
      other.close();
    }
  });

  it.runIf(dbProvider() === "sqlite")("migrates a new SQLite file from nothing, once", async () => {
    const file = path.join(process.env.TESSERA_DATA_DIR!, `fresh-${randomBytes(3).toString("hex")}.db`);
    const first = await migrateTarget({ provider: "sqlite", file }, ROOT);
    const folders = readdirSync(path.join(ROOT, "prisma/sqlite/migrations"), { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(first).toEqual(folders.map((d) => d.name).sort());
    expect(await migrateTarget({ provider: "sqlite", file }, ROOT)).toEqual([]);
  });

  it("enforces foreign keys and cascades from the workspace", async () => {
    const { workspace, owner } = await makeWorkspace({ roles: ["member"] });
    await expect(
      db().membership.create({ data: { workspaceId: "c0000000000000000000nope0", userId: owner.userId, role: "member" } }),
    ).rejects.toThrow();
    expect(await db().membership.count({ where: { workspaceId: workspace.id } })).toBe(2);
    await db().workspace.delete({ where: { id: workspace.id } });
    expect(await db().membership.count({ where: { workspaceId: workspace.id } })).toBe(0);
    // Audit events outlive what they describe.
    expect(await db().auditEvent.count({ where: { workspaceId: workspace.id } })).toBeGreaterThan(0);
  });

  it("reports health once the database answers", async () => {
    const res = await health();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: dbProvider() });
  });
});
