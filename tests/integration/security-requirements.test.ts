// Targeted proofs of security requirements that no feature test proved in their exact words
// (docs/security-model.md lists every requirement and the tests that prove it):
// - a malformed token is refused before any database work, and a real one costs one indexed lookup;
// - the hash format is pinned by golden vectors computed outside this code base;
// - token values are unique and carry far more than 128 bits of entropy over a large sample;
// - request bodies cannot carry tenant or ownership fields (strict schemas, for every operation);
// - 100,000 encryptions of one value never repeat a nonce or a ciphertext;
// - a session is a 256-bit random reference, stored as a hash and checked on the server;
// - an unexpected error answers a generic message with the request id, never its details;
// - the pinned Next.js and React are the patched releases.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GET as GET_WS } from "@/app/api/v1/workspaces/[workspaceId]/route";
import { operations as contract, type Operation } from "@/lib/contract";
import { db, directReader } from "@/lib/db/client";
import { lookupToken, tokenHash } from "@/lib/auth/token-lookup";
import { formatToken, generateToken } from "@/lib/auth/token-format";
import { createSession, resolveSession } from "@/lib/auth/session";
import { encryptValue } from "@/lib/crypto/envelope";
import { bind } from "@/lib/http/route";
import { resetConfig } from "@/lib/config";
import { createToken } from "@/lib/services/tokens";
import { makeToken, makeUser, makeWorkspace, meta } from "../helpers/fixtures";

const ROOT = path.resolve(import.meta.dirname, "../..");
const operations: readonly Operation[] = contract;

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Counts every use of the database while `fn` runs: the ORM client (any property: models, raw
 * queries, transactions) and the direct reader of the authentication hot path.
 */
async function countDatabaseUse<T>(fn: () => Promise<T>): Promise<{ result: T; orm: string[]; direct: string[] }> {
  const client = db();
  const reader = directReader();
  const orm: string[] = [];
  const direct: string[] = [];
  const g = globalThis as unknown as { __tesseraDb: { client: unknown; direct: unknown } };
  const held = g.__tesseraDb;
  const spy = <O extends object>(target: O, seen: string[]) =>
    new Proxy(target, {
      get(t, prop, receiver) {
        if (typeof prop === "string" && !prop.startsWith("$$") && prop !== "then") seen.push(prop);
        const value = Reflect.get(t, prop, receiver);
        return typeof value === "function" ? value.bind(t) : value;
      },
    });
  held.client = spy(client, orm);
  held.direct = spy(reader, direct);
  try {
    return { result: await fn(), orm, direct };
  } finally {
    held.client = client;
    held.direct = reader;
  }
}

const callWorkspace = (workspaceId: string, authorization: string) =>
  GET_WS(new Request(`http://localhost/api/v1/workspaces/${workspaceId}`, { headers: { authorization, "x-tessera-client-ip": "198.51.100.250" } }), {
    params: Promise.resolve({ workspaceId }),
  });

describe("token checks and the database", () => {
  it("TOK-03: a token with a bad checksum gets 401 without any database query", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const { value } = await makeToken(owner, workspace.id);
    const last = value.at(-1) === "A" ? "B" : "A";
    for (const bad of [value.slice(0, -1) + last, generateToken("user").slice(0, -6) + "000000", "tsr_usr_" + "x".repeat(38)]) {
      const { result, orm, direct } = await countDatabaseUse(() => callWorkspace(workspace.id, `Bearer ${bad}`));
      expect(result.status).toBe(401);
      expect((await result.json()).error.message).toBe("The bearer token is malformed");
      expect({ orm, direct }).toEqual({ orm: [], direct: [] });
    }
    // The counter sees database use: a well-formed value (valid or not) reaches the reader.
    const unknown = await countDatabaseUse(() => callWorkspace(workspace.id, `Bearer ${generateToken("user")}`));
    expect(unknown.result.status).toBe(401);
    expect(unknown.direct).toContain("tokenAuth");
    const valid = await countDatabaseUse(() => callWorkspace(workspace.id, `Bearer ${value}`));
    expect(valid.result.status).toBe(200);
    expect(valid.direct).toContain("tokenAuth");
    expect((await countDatabaseUse(() => db().workspace.count())).orm).toContain("workspace");
  });

  it("TOK-05 TOK-09: checking a token is one lookup by its hash, through the unique index, and no ORM query", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const { value } = await makeToken(owner, workspace.id);
    const tokenAuth = vi.spyOn(directReader(), "tokenAuth");
    const { result, orm, direct } = await countDatabaseUse(() => lookupToken(value));
    expect(result.ok).toBe(true);
    expect(direct).toEqual(["tokenAuth"]);
    expect(orm).toEqual([]);
    expect(tokenAuth).toHaveBeenCalledTimes(1);
    expect(tokenAuth.mock.calls[0]![0]).toEqual([tokenHash(value).hash]);
    if (process.env.TEST_DB !== "postgres") {
      // SQLite's plan for the lookup's WHERE clause: a search of the hash's unique index, not a scan.
      const plan = await db().$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN SELECT "id" FROM "Token" WHERE "hash" IN (?)`, "x");
      expect(plan.map((p) => p.detail).join("\n")).toMatch(/SEARCH Token USING (COVERING )?INDEX Token_hash_key/);
    } else {
      const rows = await db().$queryRawUnsafe<{ indexdef: string }[]>(`SELECT indexdef FROM pg_indexes WHERE tablename = 'Token'`);
      expect(rows.map((r) => r.indexdef).join("\n")).toMatch(/CREATE UNIQUE INDEX \S+ ON .*"Token" USING btree \("?hash"?\)/);
    }
  });
});

describe("master key rotation and tokens", () => {
  it("TOK-07: a token hashed under the previous master key keeps working while that key is configured, and stops when it is removed", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const old = await createToken(owner, workspace.id, { kind: "workspace", name: "before rotation" });
    expect((await db().token.findUniqueOrThrow({ where: { id: old.id } })).hashKeyId).toBe("t1");
    const previous = process.env.TESSERA_MASTER_KEY!;
    const next = `t2:${Buffer.alloc(32, 43).toString("base64")}`;
    try {
      process.env.TESSERA_MASTER_KEY = `${next},${previous}`;
      resetConfig();
      expect(await lookupToken(old.value)).toMatchObject({ ok: true, token: { id: old.id } });
      const fresh = await createToken(owner, workspace.id, { kind: "workspace", name: "after rotation" });
      expect((await db().token.findUniqueOrThrow({ where: { id: fresh.id } })).hashKeyId).toBe("t2");
      process.env.TESSERA_MASTER_KEY = next;
      resetConfig();
      expect(await lookupToken(old.value)).toEqual({ ok: false, reason: "unknown" });
      expect(await lookupToken(fresh.value)).toMatchObject({ ok: true });
    } finally {
      process.env.TESSERA_MASTER_KEY = previous;
      resetConfig();
    }
  });
});

describe("token values", () => {
  it("TOK-15: golden vectors pin the stored HMAC-SHA-256 of a token under a known master key", () => {
    // The test master key is 32 bytes of 0x07 with id t1 (tests/setup/per-file.ts). Expected values were
    // computed with Python's hmac and hashlib: HKDF-SHA-256(salt "tessera", info "credential-hash:token").
    expect(tokenHash(formatToken("user", "0123456789abcdefghijABCDEFGHIJxy"))).toEqual({
      hash: "dc53fa93dd3cd39b6d6f650e1771665b448076a7d1c34c08cb7113497c83fe15",
      hashKeyId: "t1",
    });
    expect(tokenHash(formatToken("workspace", "0123456789abcdefghijABCDEFGHIJxy")).hash).toBe(
      "46e31632d2ad887bda06c9607dde508343fc6633936f10d272db5639f96023c4",
    );
  });

  it("TOK-02: 10,000 generated tokens are distinct, and their payload carries at least 128 bits", () => {
    const N = 10_000;
    const payloads = new Set<string>();
    const counts = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const payload = generateToken("user").slice("tsr_usr_".length, -6);
      expect(payload).toMatch(/^[0-9A-Za-z]{32}$/);
      payloads.add(payload);
      for (const ch of payload) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(payloads.size).toBe(N);
    // Empirical Shannon entropy per character over 320,000 characters, times the payload's length.
    const total = N * 32;
    const perChar = [...counts.values()].reduce((h, c) => h - (c / total) * Math.log2(c / total), 0);
    expect(counts.size).toBe(62);
    expect(perChar * 32).toBeGreaterThanOrEqual(128);
    expect(perChar).toBeGreaterThan(Math.log2(62) - 0.01);
  });
});

describe("secrets and sessions", () => {
  it("SEC-02: 100,000 encryptions of one value under one data key give 100,000 distinct nonces and ciphertexts", () => {
    const key = Buffer.alloc(32, 3);
    const nonces = new Set<string>();
    const ciphertexts = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const { iv, ciphertext } = encryptValue(key, { workspaceId: "w", secretId: "s", version: 1, name: "N" }, "the same value");
      nonces.add(Buffer.from(iv).toString("base64"));
      ciphertexts.add(Buffer.from(ciphertext).toString("base64"));
    }
    expect(nonces.size).toBe(100_000);
    expect(ciphertexts.size).toBe(100_000);
  }, 300_000);

  it("SES-02: a session is a 256-bit random reference, stored only as its HMAC and checked against the database", async () => {
    const user = await makeUser("ses");
    const made = await Promise.all(Array.from({ length: 50 }, () => createSession(user.userId, meta())));
    const values = made.map((m) => m.value);
    expect(new Set(values).size).toBe(50);
    for (const v of values) expect(Buffer.from(v, "base64url")).toHaveLength(32);
    const rows = await db().session.findMany({ where: { userId: user.userId } });
    expect(rows).toHaveLength(50);
    for (const row of rows) for (const v of values) expect(JSON.stringify(row)).not.toContain(v);
    const first = made[0]!;
    expect((await resolveSession(first.value, meta()))?.userId).toBe(user.userId);
    // A value one character off, or a revoked row, is nobody.
    const off = first.value.slice(0, -1) + (first.value.endsWith("A") ? "B" : "A");
    expect(await resolveSession(off, meta())).toBeNull();
    await db().session.update({ where: { id: first.id }, data: { revokedAt: new Date() } });
    expect(await resolveSession(first.value, meta())).toBeNull();
  });
});

describe("unexpected errors", () => {
  it("LOG-07: an unexpected error answers 500 with a generic message and the request id, never its message or stack", async () => {
    const op = operations.find((o) => o.auth === "none" && !o.params && !o.body && !("stream" in o && o.stream))!;
    const handler = bind(op, async () => {
      throw new Error('boom: SELECT "value" FROM "Secret" WHERE id = 1\n    at handler (/srv/app/route.js:1:1)');
    });
    const res = await handler(new Request(`http://localhost/api/v1/${op.path}`, { headers: { "x-request-id": "req-abcdef123456" } }));
    expect(res.status).toBe(500);
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body.error).toMatchObject({ code: "INTERNAL", message: "Something went wrong on our side. It has been logged." });
    expect(body.error.requestId).toEqual(expect.any(String));
    expect(body.error.requestId).toBe(res.headers.get("x-request-id") ?? body.error.requestId);
    for (const leak of ["boom", "SELECT", "Secret", "/srv/app", "at handler"]) expect(text).not.toContain(leak);
  });
});

describe("request bodies", () => {
  const withBody = operations.filter((o) => o.body && o.examples.body && typeof o.examples.body === "object" && !Array.isArray(o.examples.body));

  it("AUTHZ-04: every operation's body refuses workspaceId, ownerId and createdById that it does not declare (strict schemas)", () => {
    expect(withBody.length).toBeGreaterThan(20);
    for (const op of withBody) {
      const example = op.examples.body as Record<string, unknown>;
      expect(op.body!.safeParse(example).success, op.id).toBe(true);
      for (const field of ["workspaceId", "ownerId", "createdById", "userId"]) {
        if (field in example) continue;
        expect(op.body!.safeParse({ ...example, [field]: "someone_else" }).success, `${op.id} took ${field}`).toBe(false);
      }
    }
  });
});

describe("pinned framework versions", () => {
  const version = (pkg: string) => JSON.parse(readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version as string;
  const atLeast = (v: string, min: [number, number, number]) => {
    const [a, b, c] = v.split(/[.-]/).map(Number);
    return a! !== min[0] ? a! > min[0] : b! !== min[1] ? b! > min[1] : c! >= min[2];
  };

  it("NX-01: package.json pins an exact next at or past 16.2.6, with the React it was released with", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
    for (const name of ["next", "react", "react-dom"]) expect(pkg.dependencies[name], name).toMatch(/^\d+\.\d+\.\d+$/);
    expect(atLeast(pkg.dependencies.next, [16, 2, 6])).toBe(true);
    expect(version("next")).toBe(pkg.dependencies.next);
    expect(version("react")).toBe(pkg.dependencies.react);
    expect(version("react-dom")).toBe(pkg.dependencies.react);
    // Next.js declares the React it supports; the installed one must satisfy it.
    const peer = JSON.parse(readFileSync(path.join(ROOT, "node_modules/next/package.json"), "utf8")).peerDependencies.react as string;
    const minReact = /\^?(\d+)\.(\d+)\.(\d+)/.exec(peer.split("||").at(-1)!.trim())!.slice(1).map(Number) as [number, number, number];
    expect(atLeast(version("react"), minReact)).toBe(true);
  });
});
