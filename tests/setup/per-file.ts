// Runs before each test file: a fresh database and fixed test keys, set in the environment
// before any application module reads its configuration.
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { migrateTarget } from "../../lib/db/migrate";
import { formatMismatches, mismatches, watchFetch } from "../helpers/openapi-check";

const ROOT = path.resolve(import.meta.dirname, "../..");
const id = `${process.pid}_${randomBytes(4).toString("hex")}`;
const fileDir = path.join(inject("testRunDir"), id);
mkdirSync(fileDir, { recursive: true });

process.env.TESSERA_AUTH_SECRET = "test-auth-secret-test-auth-secret-0123456789";
process.env.TESSERA_MASTER_KEY = `t1:${Buffer.alloc(32, 7).toString("base64")}`;
process.env.TESSERA_DATA_DIR = fileDir;
process.env.TESSERA_LOG_LEVEL ??= "silent";
delete process.env.TESSERA_AUTO_ACTIVATE;
delete process.env.TESSERA_TRUST_PROXY;

// Every response to an /api/v1 URL that a test fetches is checked against the OpenAPI document
// (tests/helpers/openapi-check.ts); the file fails when one does not match.
watchFetch();
afterAll(async () => {
  const found = await mismatches();
  if (found.length) throw new Error(`${found.length} API response(s) do not match the OpenAPI document:\n${formatMismatches(found)}`);
});

export const TEST_DB = process.env.TEST_DB === "postgres" ? "postgres" : "sqlite";

if (TEST_DB === "sqlite") {
  const file = path.join(fileDir, "test.db");
  copyFileSync(inject("sqliteTemplate"), file);
  process.env.DATABASE_URL = `file:${file}`;
} else {
  const base = process.env.TEST_POSTGRES_URL!;
  const schema = `t_${id}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set("schema", schema);
  process.env.DATABASE_URL = url.toString();
  await migrateTarget({ provider: "postgres", connectionString: base, schema }, ROOT);

  afterAll(async () => {
    const { closeDb } = await import("../../lib/db/client");
    await closeDb();
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  });
}
