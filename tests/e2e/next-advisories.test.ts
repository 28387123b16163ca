// Regression tests for the Next.js advisories whose fix is in Tessera's design rather than only in the framework's
// version: authorization is read inside every page, route handler and service, never in proxy.ts alone, so
// - a spoofed `x-middleware-subrequest` (CVE-2025-29927, and its `src/` and proxy variants) skips nothing;
// - protected pages asked for as RSC payloads (`.rsc`, `?_rsc=`, `RSC: 1`, prefetch and segment-prefetch
//   requests: the 2026 proxy bypasses) answer no protected content without a session.
// A signed-in control request shows that the same URLs do carry the content (so its absence means something).
import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/lib/auth/session";
import { closeDb } from "@/lib/db/client";
import { makeWorkspace, meta } from "../helpers/fixtures";
import { startFileServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let workspaceId: string;
/** A name only the workspace's own pages show. */
const canary = `Canary ${randomBytes(6).toString("hex")}`;
let cookie: string;

beforeAll(async () => {
  const { workspace, owner } = await makeWorkspace({ name: canary, active: true });
  workspaceId = workspace.id;
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
