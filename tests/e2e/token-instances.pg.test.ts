// Two production servers on one database (SQLite file, and PostgreSQL when TEST_POSTGRES_URL is
// set): a token change made through one instance is refused by the other on the very next
// request (nothing is cached), and no token value or hash ever reaches the logs, the database in
// plain text, an audit event, or a response after creation.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, db } from "@/lib/db/client";
import { parseDatabaseUrl } from "@/lib/db/url";
import { makeToken, makeWorkspace } from "../helpers/fixtures";
import { startServer, type RunningServer } from "../helpers/server";

let a: RunningServer;
let b: RunningServer;
let workspaceId: string;
let ownerToken: string;
/** Every token value this test sees, and every response body after creation. */
const values: string[] = [];
const laterResponses: string[] = [];

beforeAll(async () => {
  const { workspace, owner } = await makeWorkspace({ active: true });
  workspaceId = workspace.id;
  ownerToken = (await makeToken(owner, workspace.id)).value;
  values.push(ownerToken);
  await closeDb();
  const env = {
    DATABASE_URL: process.env.DATABASE_URL!,
    // The same keys as the process that seeded the database (as the README asks of every instance).
    TESSERA_AUTH_SECRET: process.env.TESSERA_AUTH_SECRET!,
    TESSERA_MASTER_KEY: process.env.TESSERA_MASTER_KEY!,
    TESSERA_DATA_DIR: process.env.TESSERA_DATA_DIR!,
    // As talkative as the server gets: the secrecy checks below read all of it.
    TESSERA_LOG_LEVEL: "trace",
  };
  a = await startServer(env);
  b = await startServer(env);
}, 300_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

async function api(server: RunningServer, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

describe("two instances on one database", () => {
  it("TOK-11 AUTHZ-06: refuse a token on the next request after it is cancelled, deleted or its role changes on the other", async () => {
    const ws = `/workspaces/${workspaceId}`;
    const created = await api(a, "POST", `${ws}/tokens`, ownerToken, { kind: "workspace", name: "deploy", expiresInDays: 7, scopes: ["full"] });
    expect(created.status).toBe(201);
    const w = JSON.parse(created.text) as { id: string; value: string };
    values.push(w.value);
    expect((await api(b, "GET", ws, w.value)).status).toBe(200);

    const cancelled = await api(a, "PATCH", `${ws}/tokens/${w.id}`, ownerToken, { action: "cancel" });
    expect(cancelled.status).toBe(200);
    laterResponses.push(cancelled.text);
    const onB = await api(b, "GET", ws, w.value);
    expect(onB.status).toBe(401);
    expect(JSON.parse(onB.text).error.message).toBe("The bearer token has been cancelled");

    const second = JSON.parse((await api(b, "POST", `${ws}/tokens`, ownerToken, { kind: "workspace", name: "ci", scopes: ["read"] })).text) as { id: string; value: string };
    values.push(second.value);
    expect((await api(a, "GET", ws, second.value)).status).toBe(200);
    // Read-only: it cannot rename the workspace, on either instance.
    expect((await api(a, "PATCH", ws, second.value, { name: "Nope" })).status).toBe(403);
    const renewed = await api(b, "PATCH", `${ws}/tokens/${second.id}`, ownerToken, { action: "renew", expiresInDays: 30 });
    laterResponses.push(renewed.text);
    const verified = await fetch(`${b.url}/api/v1/tokens/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: second.value }) });
    laterResponses.push(await verified.clone().text());
    expect(await verified.json()).toMatchObject({ valid: true, kind: "workspace", scopes: ["read"] });
    expect((await api(b, "DELETE", `${ws}/tokens/${second.id}`, ownerToken)).status).toBe(200);
    const gone = await api(a, "GET", ws, second.value);
    expect(gone.status).toBe(401);
    expect(JSON.parse(gone.text).error.message).toBe("The bearer token is not recognised");

    for (const server of [a, b]) {
      laterResponses.push((await api(server, "GET", `${ws}/tokens`, ownerToken)).text);
      laterResponses.push((await api(server, "GET", `${ws}/tokens/${w.id}`, ownerToken)).text);
      // Failures and hostile input: nothing of the presented value comes back.
      laterResponses.push((await api(server, "GET", ws, `${w.value}x`)).text);
      laterResponses.push((await api(server, "GET", ws, `${w.value.slice(0, -1)}0`)).text);
      laterResponses.push((await api(server, "POST", `${ws}/tokens`, ownerToken, { kind: "workspace", name: w.value.repeat(3) })).text);
      const badVerify = await fetch(`${server.url}/api/v1/tokens/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: w.value.repeat(10) }) });
      laterResponses.push(await badVerify.text());
    }
  });

  it("TOK-04 TOK-13: never lets a token value or hash reach a log, the database in plain text, an audit event, or a later response", async () => {
    // Waits for events, not for a time: instance b has written its batch of "last used" notes (the
    // "deploy" token was used only there), and then both servers have stopped, so that their
    // output is complete and nothing is still to be written when the logs and rows are read.
    await expect.poll(async () => (await db().token.findFirst({ where: { workspaceId, name: "deploy" }, select: { lastUsedAt: true } }))?.lastUsedAt ?? null).not.toBeNull();
    await Promise.all([a.stop(), b.stop()]);
    const forbidden: string[] = [];
    for (const v of values) {
      forbidden.push(v, v.slice(8), v.slice(-20)); // the value, its random part, its tail
      const sha = createHash("sha256").update(v).digest();
      forbidden.push(sha.toString("hex"), sha.toString("base64")); // unkeyed hashes
    }
    const stored = await db().token.findMany({ select: { hash: true } });
    const storedHashes = stored.map((t) => t.hash);
    expect(storedHashes.length).toBeGreaterThan(0);

    const logs = a.output() + b.output();
    expect(logs.length).toBeGreaterThan(0);
    const audit = JSON.stringify(await db().auditEvent.findMany());
    expect(audit).toContain("token.create");

    let database: string;
    const target = parseDatabaseUrl(process.env.DATABASE_URL!)!;
    if (target.provider === "sqlite") {
      database = [target.file, `${target.file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString("latin1")).join("\n");
    } else {
      // Every row of every table of the test's schema, as text.
      const c = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
      await c.connect();
      const tables = await c.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = $1", [target.schema]);
      const rows: string[] = [];
      for (const { tablename } of tables.rows) {
        const r = await c.query(`SELECT t::text AS row FROM "${target.schema}"."${tablename}" t`);
        rows.push(...r.rows.map((x: { row: string }) => x.row));
      }
      await c.end();
      database = rows.join("\n");
      expect(rows.length).toBeGreaterThan(0);
    }

    for (const f of forbidden) {
      expect(logs, "log").not.toContain(f);
      expect(database, "database").not.toContain(f);
      expect(audit, "audit events").not.toContain(f);
      for (const r of laterResponses) expect(r, "response").not.toContain(f);
    }
    // The stored HMACs are in the database (that is where they belong) and nowhere else.
    for (const h of storedHashes) {
      expect(logs).not.toContain(h);
      expect(audit).not.toContain(h);
      for (const r of laterResponses) expect(r).not.toContain(h);
    }
  });
});
