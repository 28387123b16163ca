// The HTTP edge of the production server (lib/launcher/server.mjs → guard.mjs, proxy.ts): odd
// methods and paths, 405s, security headers on every response, the CSP nonce, and request bodies
// over the limit (issue 12: L1, L2, L3, L9, L10). Raw node:http requests, so that the bytes on the
// wire are exactly the test's (fetch refuses TRACE and always sends the whole body).
import http from "node:http";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentSecurityPolicy, MAX_BODY_BYTES, securityHeaders } from "../../lib/http/policy.mjs";
import { serverMemoryMb } from "../bench/common";
import { hasChromium, launchBrowser } from "../helpers/browser";
import { ROOT, startServer, type RunningServer } from "../helpers/server";
import { serverActionIds } from "../../lib/launcher/route-methods.mjs";

let server: RunningServer;
let port: number;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tessera-edge-"));
  server = await startServer({
    DATABASE_URL: `file:${dir}/tessera.db`,
    TESSERA_DATA_DIR: dir,
    TESSERA_AUTH_SECRET: "edge-auth-secret-0123456789abcdefghijklmnop",
    TESSERA_MASTER_KEY: `1:${Buffer.alloc(32, 7).toString("base64")}`,
  });
  port = Number(new URL(server.url).port);
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request on its own connection; resolves with the answer (even if the body was not all sent). */
function raw(method: string, pathname: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: pathname, headers: opts.headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

/**
 * Sends the headers and then `bytes` bytes of body without finishing the request, and resolves
 * with the answer as soon as one arrives: the server must answer before the body is complete.
 */
function partialPost(pathname: string, headers: Record<string, string>, bytes: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method: "POST", path: pathname, headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on("error", (err) => (req.destroyed ? undefined : reject(err)));
    req.flushHeaders();
    const piece = Buffer.alloc(64 * 1024, "a");
    for (let sent = 0; sent < bytes; sent += piece.length) req.write(piece.subarray(0, Math.min(piece.length, bytes - sent)));
  });
}

/** Resolves when the server's output (stdout + stderr) has `count` lines matching `pattern`. */
function outputLines(pattern: RegExp, count: number): Promise<string[]> {
  const matching = () => server.output().split("\n").filter((l) => pattern.test(l));
  return new Promise((resolve) => {
    const check = () => {
      const lines = matching();
      if (lines.length < count) return;
      server.child.stdout!.off("data", check);
      server.child.stderr!.off("data", check);
      resolve(lines);
    };
    server.child.stdout!.on("data", check);
    server.child.stderr!.on("data", check);
    check();
  });
}

const STATIC_HEADERS = securityHeaders();

function expectSecurityHeaders(a: Answer, what: string) {
  for (const name of ["Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"]) {
    expect(a.headers[name.toLowerCase()], `${name} on ${what}`).toBe(STATIC_HEADERS[name]);
  }
  const csp = String(a.headers["content-security-policy"]);
  for (const d of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp, `CSP on ${what}`).toContain(d);
  expect(csp, `CSP on ${what}`).toMatch(/script-src 'self'( 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic')?;/);
}

function expectEnvelope(a: Answer, status: number, code: string) {
  expect(a.status, a.body).toBe(status);
  expect(a.headers["content-type"]).toMatch(/^application\/json/);
  const body = JSON.parse(a.body) as { error: { code: string; message: string; requestId?: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(body.error.requestId).toBeTruthy();
  return body;
}

describe("paths that are not valid percent-encoding (L1)", () => {
  it("get a 400 envelope under /api and the 404 page elsewhere, with security headers and one log line each", async () => {
    const api = ["/api/v1/workspaces/%ZZ", "/api/auth/%ZZ", "/api/v1/workspaces/abc%", "/api/v1/workspaces/%C0%AF"];
    for (const p of api) {
      const a = await raw("GET", p);
      expectEnvelope(a, 400, "BAD_REQUEST");
      expectSecurityHeaders(a, p);
    }
    const pages = ["/w/%ZZ/settings", "/invite/%", "/invite/%E2%82"];
    for (const p of pages) {
      const a = await raw("GET", p);
      expect(a.status, p).toBe(404);
      expect(a.headers["content-type"], p).toMatch(/^text\/html/);
      // Tessera's own not-found page (app/not-found.tsx), with its way back.
      expect(a.body, p).toContain("Page not found");
      expect(a.body, p).toContain('data-testid="not-found"');
      expectSecurityHeaders(a, p);
    }
    const lines = await outputLines(/path is not valid percent-encoding/, api.length + pages.length);
    expect(lines).toHaveLength(api.length + pages.length);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    expect(server.output()).not.toMatch(/URIError|\n\s+at /);
  });
});

describe("methods the app does not serve (L2)", () => {
  it("TRACE and other methods get a 405 with Allow and one short log line, never a stack trace", async () => {
    const probes: [string, string][] = [
      ["TRACE", "/"],
      ["TRACE", "/login"],
      ["TRACE", "/api/v1/workspaces"],
      ["PROPFIND", "/login"],
      ["TRACE", "/_next/static/x.js"],
    ];
    for (const [method, p] of probes) {
      const a = await raw(method, p);
      expect(a.status, `${method} ${p}`).toBe(405);
      expect(a.headers.allow, `${method} ${p}`).toBeTruthy();
      expectSecurityHeaders(a, `${method} ${p}`);
    }
    const api = await raw("TRACE", "/api/v1/workspaces");
    expectEnvelope(api, 405, "METHOD_NOT_ALLOWED");
    expect(api.headers.allow).toBe("GET, HEAD, OPTIONS, POST");
    const lines = await outputLines(/"msg":"method not allowed"/, probes.length + 1);
    for (const l of lines) expect(l.length).toBeLessThan(300);
    expect(server.output()).not.toMatch(/HTTP method is unsupported|\n\s+at /);
  });
});

describe("server-action calls (review of issue 12)", () => {
  it("a malformed or unknown action id, or one posted to a static file, gets 400 and one short line, never a stack trace", async () => {
    const known = [...serverActionIds(path.join(ROOT, ".next"))][0]!;
    const probes: [string, Record<string, string>][] = [
      ["/login", { "next-action": "x" }],
      ["/login", { "next-action": "ab".repeat(21) }],
      ["/favicon.ico", { "next-action": known, origin: "null" }],
      ["/_next/static/x.js", { "next-action": known }],
    ];
    for (const [p, headers] of probes) {
      const a = await raw("POST", p, { headers: { ...headers, "content-type": "text/plain;charset=UTF-8" }, body: "[]" });
      expect(a.status, `${p} ${headers["next-action"]}`).toBe(400);
      expectSecurityHeaders(a, p);
    }
    await outputLines(/"msg":"not a server action of this build"/, probes.length);
    expect(server.output()).not.toMatch(/\n\s+at /);
    // favicon.ico is under the proxy's origin check again: a foreign write there is refused.
    const foreign = await raw("POST", "/favicon.ico", { headers: { origin: "http://evil.test", cookie: "a=b" } });
    expect(foreign.status).toBe(403);
  });
});

/** Every route handler file under app/, as a concrete path (a dynamic segment becomes "x1"). */
function routeHandlerPaths(): string[] {
  const found: string[] = [];
  const walk = (dir: string, url: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isFile() && e.name === "route.ts") found.push(url || "/");
      if (!e.isDirectory()) continue;
      const seg = e.name.startsWith("(") ? "" : e.name.startsWith("[...") ? "/x1/x2" : e.name.startsWith("[") ? "/x1" : `/${e.name}`;
      walk(path.join(dir, e.name), url + seg);
    }
  };
  walk(path.join(ROOT, "app"), "");
  return found.sort();
}

describe("a method a route handler does not export (L3)", () => {
  it("gets the envelope and the route's Allow, the same list as Next.js's own OPTIONS answer, on every route", async () => {
    const paths = routeHandlerPaths();
    expect(paths).toContain("/api/v1/tokens/verify");
    let checked = 0;
    for (const p of paths) {
      const options = await raw("OPTIONS", p);
      const allow = String(options.headers.allow ?? "");
      expect(allow, p).toMatch(/OPTIONS/);
      const missing = ["GET", "POST", "PUT", "PATCH", "DELETE"].find((m) => !allow.split(", ").includes(m));
      if (!missing) continue;
      const a = await raw(missing, p, missing === "GET" ? {} : { headers: { "content-type": "application/json" }, body: "{}" });
      expect(a.status, `${missing} ${p}`).toBe(405);
      expect(a.headers.allow, `${missing} ${p}`).toBe(allow);
      if (p.startsWith("/api/")) expect(JSON.parse(a.body).error.message, `${missing} ${p}`).toContain(allow);
      expectSecurityHeaders(a, `${missing} ${p}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
    expectEnvelope(await raw("DELETE", "/api/v1/workspaces"), 405, "METHOD_NOT_ALLOWED");
    const verify = await raw("GET", "/api/v1/tokens/verify");
    expectEnvelope(verify, 405, "METHOD_NOT_ALLOWED");
    expect(verify.headers.allow).toBe("OPTIONS, POST");
  });
});

describe("security headers (L9)", () => {
  it("HDR-01: are on static chunks and on every kind of answer", async () => {
    const page = await raw("GET", "/login");
    expect(page.status).toBe(200);
    const chunk = /\/_next\/static\/[^"'\s]+\.js/.exec(page.body)?.[0];
    expect(chunk).toBeTruthy();
    const js = await raw("GET", chunk!);
    expect(js.status).toBe(200);
    expectSecurityHeaders(js, chunk!);
    expectSecurityHeaders(await raw("GET", "/_next/static/no-such-file.js"), "a missing static file");
    expectSecurityHeaders(await raw("GET", "/icon.svg"), "/icon.svg");
    expectSecurityHeaders(await raw("GET", "/api/health"), "/api/health");
    expectSecurityHeaders(await raw("GET", "/api/v1/workspaces"), "/api/v1/workspaces (401)");
    expectSecurityHeaders(await raw("GET", "/no-such-page"), "a 404 page");
  });

  it("pages get a fresh script nonce instead of 'unsafe-inline', and every script of the page carries it", async () => {
    const nonces = new Set<string>();
    for (const p of ["/login", "/login", "/signup", "/no-such-page"]) {
      const a = await raw("GET", p);
      const csp = String(a.headers["content-security-policy"]);
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, `${p}: ${csp}`).toBeTruthy();
      expect(csp).toBe(contentSecurityPolicy({ nonce }));
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      nonces.add(nonce!);
      const scripts = a.body.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, p).toBeGreaterThan(0);
      for (const s of scripts) expect(s, p).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(4);
  });

  it.runIf(hasChromium())("a page hydrates in a browser with no CSP violation", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      for (const p of ["/login", "/no-such-page"]) {
        await page.goto(`${server.url}${p}`, { waitUntil: "networkidle" });
        // React marks the DOM nodes it hydrated: the page's scripts ran.
        await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber")));
      }
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe("request bodies over the limit (L10)", () => {
  const verify = "/api/v1/tokens/verify";
  const json = { "content-type": "application/json" };

  it("RL-04: a declared Content-Length over the limit gets 413 before the body is sent, and the connection closes", async () => {
    const a = await partialPost(verify, { ...json, "content-length": String(12 * 1024 * 1024) }, 256 * 1024);
    expectEnvelope(a, 413, "PAYLOAD_TOO_LARGE");
    expect(a.headers.connection).toBe("close");
    expectSecurityHeaders(a, "a 413");
  });

  it("RL-04: a chunked body gets 413 once it passes the limit, without waiting for its end", async () => {
    const a = await partialPost(verify, { ...json, "transfer-encoding": "chunked" }, MAX_BODY_BYTES + 64 * 1024);
    expectEnvelope(a, 413, "PAYLOAD_TOO_LARGE");
  });

  it("a chunked body within the limit is served as usual", async () => {
    const a = await raw("POST", verify, { headers: { ...json, "transfer-encoding": "chunked" }, body: JSON.stringify({ token: "tsr_usr_not-a-token" }) });
    expect(a.status, a.body).toBe(200);
    expect(JSON.parse(a.body)).toMatchObject({ valid: false });
  });

  it("Expect: 100-continue with a body over the limit gets 413 instead of 100 Continue", async () => {
    const got = await new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
      let continued = false;
      const req = http.request({ host: "127.0.0.1", port, method: "POST", path: verify, agent: false, headers: { ...json, "content-length": String(5 * 1024 * 1024), expect: "100-continue" } });
      req.on("continue", () => (continued = true));
      req.on("response", (res) => {
        res.resume();
        req.destroy();
        resolve({ status: res.statusCode ?? 0, continued });
      });
      req.on("error", (err) => (req.destroyed ? undefined : reject(err)));
      req.flushHeaders();
    });
    expect(got).toEqual({ status: 413, continued: false });
  });

  it("64 concurrent 12 MB bodies leave the server's memory flat", async () => {
    const before = serverMemoryMb(server, "VmRSS");
    const piece = Buffer.alloc(64 * 1024, "a");
    const one = () =>
      new Promise<void>((resolve) => {
        const req = http.request({ host: "127.0.0.1", port, method: "POST", path: verify, agent: false, headers: { ...json, "content-length": String(12 * 1024 * 1024) } });
        let sent = 0;
        const done = () => {
          req.destroy();
          resolve();
        };
        req.on("response", (res) => {
          res.resume();
          res.on("end", done);
        });
        req.on("error", done);
        const pump = () => {
          while (sent < 12 * 1024 * 1024 && !req.destroyed) {
            sent += piece.length;
            if (!req.write(piece)) return void req.once("drain", pump);
          }
          req.end();
        };
        pump();
      });
    await Promise.all(Array.from({ length: 64 }, one));
    const after = serverMemoryMb(server, "VmRSS");
    // Buffered, the bodies would have taken ~64 × 12 MB (the server grew from 250 MB to 1.23 GB in the report).
    expect(after - before, `RSS ${before} → ${after} MB`).toBeLessThan(100);
  });
});
