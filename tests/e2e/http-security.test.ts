// Regression tests for the Next.js advisories whose fix is in Tessera's design rather than only in the framework's
// version: authorization is read inside every page, route handler and service, never in proxy.ts alone, so
// - a spoofed `x-middleware-subrequest` (CVE-2025-29927, and its `src/` and proxy variants) skips nothing;
// - protected pages asked for as RSC payloads (`.rsc`, `?_rsc=`, `RSC: 1`, prefetch and segment-prefetch
//   requests: the 2026 proxy bypasses) answer no protected content without a session.
// A signed-in control request shows that the same URLs do carry the content (so its absence means something).
// And (CSRF-04) a crawl of every GET route of the contract and every dashboard page, with GET, HEAD and OPTIONS,
// signed in and with a token, leaves the database as it was, but for its bookkeeping (last use, last activity).
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/lib/auth/session";
import { operations } from "@/lib/contract";
import { closeDb, db } from "@/lib/db/client";
import { createInvitation } from "@/lib/services/invitations";
import { createSecret } from "@/lib/services/secrets";
import { createWorkload } from "@/lib/services/workloads";
import { makeToken, makeWorkspace, meta } from "../helpers/fixtures";
import { startFileServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let workspaceId: string;
/** A name only the workspace's own pages show. */
const canary = `Canary ${randomBytes(6).toString("hex")}`;
let cookie: string;
/** What the crawl fills path parameters with: real ids of the workspace's own things. */
const ids: Record<string, string> = {};
let tokens: string[] = [];
let inviteCode = "";

beforeAll(async () => {
  const { workspace, owner } = await makeWorkspace({ name: canary, active: true });
  workspaceId = workspace.id;
  await db().user.update({ where: { id: owner.userId }, data: { isPlatformAdmin: true } });
  owner.isPlatformAdmin = true;
  const full = await makeToken(owner, workspace.id, { kind: "user", scopes: ["full"] });
  const platform = await makeToken(owner, workspace.id, { kind: "user", scopes: ["read", "platform"] });
  tokens = [full.value, platform.value];
  const secret = await createSecret(owner, workspace.id, { name: "CRAWL_SECRET", value: "crawl-value-1", visibility: "public" });
  const workload = await createWorkload(owner, workspace.id, { name: "crawl", kind: "job", bindings: [{ envName: "A", secretId: secret.secret.id }] });
  const invitation = await createInvitation(owner, workspace.id, { email: `crawl-${randomBytes(3).toString("hex")}@example.test`, role: "viewer" });
  inviteCode = invitation.link.split("/").at(-1)!;
  Object.assign(ids, {
    workspaceId,
    tokenId: full.id,
    secretId: secret.secret.id,
    workloadId: workload.id,
    invitationId: invitation.invitation.id,
    userId: owner.userId,
  });
  const { value } = await createSession(owner.userId, meta());
  const jwt = await encode({ token: { sub: owner.userId, sst: value }, secret: process.env.TESSERA_AUTH_SECRET! });
  cookie = `__Host-tessera.session=${jwt}`;
  await closeDb();
  server = await startFileServer("advisories");
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

const SUBREQUEST = [
  "middleware:middleware:middleware:middleware:middleware",
  "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
  "proxy:proxy:proxy:proxy:proxy",
  "src/proxy:src/proxy:src/proxy:src/proxy:src/proxy",
  "pages/_middleware",
];

async function get(path: string, headers: Record<string, string> = {}, redirect: "manual" | "follow" = "manual") {
  const res = await fetch(`${server.url}${path}`, { headers, redirect });
  return { status: res.status, body: await res.text(), location: res.headers.get("location") };
}

describe("x-middleware-subrequest skips nothing", () => {
  it("NX-02: the API still answers 401 without a token, and 401 to a bad one, whatever x-middleware-subrequest says", async () => {
    for (const value of SUBREQUEST) {
      for (const auth of [{}, { authorization: "Bearer tsr_usr_notavalidtokenatall" }] as Record<string, string>[]) {
        const res = await get(`/api/v1/workspaces/${workspaceId}`, { "x-middleware-subrequest": value, ...auth });
        expect(res.status, value).toBe(401);
        expect(JSON.parse(res.body).error.code).toBe("UNAUTHORIZED");
        expect(res.body).not.toContain(canary);
      }
    }
  });

  it("NX-02: a protected page sends a visitor without a session to sign in, whatever x-middleware-subrequest says", async () => {
    expect((await get(`/w/${workspaceId}`, { cookie })).body).toContain(canary);
    for (const value of SUBREQUEST) {
      const res = await get(`/w/${workspaceId}`, { "x-middleware-subrequest": value });
      expect(res.body, value).not.toContain(canary);
      expect(res.status, value).toBeLessThan(500);
      if (res.status >= 300 && res.status < 400) expect(new URL(res.location!, server.url).pathname, value).toBe("/login");
    }
  });
});

describe("RSC and prefetch requests", () => {
  const variants: [string, (p: string) => string, Record<string, string>][] = [
    ["RSC: 1", (p) => p, { rsc: "1" }],
    ["?_rsc=", (p) => `${p}?_rsc=abc12`, { rsc: "1" }],
    ["?_rsc= without the header", (p) => `${p}?_rsc=abc12`, {}],
    [".rsc", (p) => `${p}.rsc`, {}],
    [".rsc with RSC: 1", (p) => `${p}.rsc`, { rsc: "1" }],
    ["prefetch", (p) => p, { rsc: "1", "next-router-prefetch": "1" }],
    ["segment prefetch", (p) => p, { rsc: "1", "next-router-prefetch": "1", "next-router-segment-prefetch": "/_tree" }],
    ["segment prefetch URL", (p) => `${p}.segments/_tree.segment.rsc`, { rsc: "1", "next-router-prefetch": "1" }],
    ["subrequest and RSC", (p) => `${p}?_rsc=abc12`, { rsc: "1", "x-middleware-subrequest": SUBREQUEST[0]! }],
  ];

  it("NX-03: with a session, the workspace's RSC payload carries its name (the control)", async () => {
    for (const path of [`/w/${workspaceId}`, `/w/${workspaceId}?_rsc=abc12`]) {
      const res = await get(path, { rsc: "1", cookie }, "follow");
      expect(res.status, path).toBe(200);
      expect(res.body, path).toContain(canary);
    }
  });

  it("NX-03: without a session, no RSC, prefetch or segment request of a workspace page carries its content", async () => {
    for (const page of [`/w/${workspaceId}`, `/w/${workspaceId}/settings`, `/w/${workspaceId}/tokens`, `/w/${workspaceId}/secrets`]) {
      for (const [label, url, headers] of variants) {
        for (const redirect of ["manual", "follow"] as const) {
          const res = await get(url(page), headers, redirect);
          expect(res.status, `${label} ${page} ${redirect}`).toBeLessThan(500);
          expect(res.body, `${label} ${page} ${redirect}`).not.toContain(canary);
        }
      }
    }
  });
});

/**
 * Bookkeeping columns that reads may move: when a token, session or member was last seen (and a membership's and a
 * token's `updatedAt`, which Prisma's @updatedAt moves with their last-activity and last-used writes: the token's
 * batch of last-used notes may land during the crawl, as it did in CI).
 */
const BOOKKEEPING = new Set(["lastUsedAt", "lastUsedIp", "lastSeenAt", "lastActiveAt", "lastPolledAt", "Membership.updatedAt", "Token.updatedAt"]);

/** Every row of every table (bookkeeping columns left out), and the audit events by action. */
function snapshot(): { rows: Record<string, string[]>; audit: Map<string, string> } {
  const file = process.env.DATABASE_URL!.replace(/^file:/, "");
  const conn = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = conn.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%'`).all() as { name: string }[];
    const rows: Record<string, string[]> = {};
    for (const { name } of tables) {
      rows[name] = (conn.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[])
        .map((r) => JSON.stringify(Object.entries(r).filter(([k]) => !BOOKKEEPING.has(k) && !BOOKKEEPING.has(`${name}.${k}`))))
        .sort();
    }
    const audit = new Map((conn.prepare(`SELECT id, action, result FROM "AuditEvent"`).all() as { id: string; action: string; result: string }[]).map((e) => [e.id, `${e.action} ${e.result}`]));
    return { rows, audit };
  } finally {
    conn.close();
  }
}

describe("safe methods", () => {
  it("CSRF-04: GET, HEAD and OPTIONS of every API read and every page change nothing but bookkeeping", async () => {
    const fill = (path: string) => path.replace(/\{(\w+)\}/g, (_, k: string) => ids[k] ?? `${k}_missing`);
    const apiPaths = operations.filter((o) => o.method === "GET").map((o) => fill(o.path));
    const pages = ["/", "/new", "/account", "/admin", "/docs/api", "/login", "/signup", "/forgot-password", "/device", `/invite/${inviteCode}`].concat(
      ["", "/tokens", "/secrets", "/workloads", `/workloads/${ids.workloadId}`, "/members", "/members/invitations", "/members/roles", "/settings", "/audit"].map(
        (p) => `/w/${workspaceId}${p}`,
      ),
    );
    expect(apiPaths.length).toBeGreaterThan(15);
    const before = snapshot();
    const answers: string[] = [];
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      for (const path of apiPaths) {
        for (const token of tokens) {
          const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}` }, redirect: "manual" });
          await res.arrayBuffer();
          answers.push(`${method} ${path} ${res.status}`);
          expect(res.status, `${method} ${path}`).toBeLessThan(500);
        }
      }
      for (const path of pages) {
        const res = await fetch(`${server.url}${path}`, { method, headers: { cookie }, redirect: "manual" });
        await res.arrayBuffer();
        answers.push(`${method} ${path} ${res.status}`);
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
      }
    }
    // The crawl reached real content: the signed-in pages and the token's reads answered 200.
    expect(answers.filter((a) => a.startsWith("GET ") && a.endsWith(" 200")).length).toBeGreaterThan(apiPaths.length);
    const after = snapshot();
    // Reads that are recorded (exports, refusals of a read) may add audit events; nothing else may change.
    const added = [...after.audit].filter(([id]) => !before.audit.has(id));
    for (const [, event] of added) expect(event, "an audit event of a read").toMatch(/^(audit\.export success|\S+ denied)$/);
    const keep = new Set(added.map(([id]) => id));
    const withoutAdded = (rows: string[]) => rows.filter((r) => !keep.has((JSON.parse(r) as [string, unknown][]).find(([k]) => k === "id")?.[1] as string));
    expect({ ...after.rows, AuditEvent: withoutAdded(after.rows.AuditEvent ?? []) }).toEqual(before.rows);
  });
});
