// The server's request guard (lib/launcher/guard.mjs) in front of a stand-in for Next.js: what
// reaches the handler and what is refused before it (the production server: tests/e2e/http-edge.test.ts).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuard } from "../../lib/launcher/guard.mjs";
import { MAX_BODY_BYTES, securityHeaders } from "../../lib/http/policy.mjs";

const lines: string[] = [];
const KNOWN_ACTION = "7f04d554e2bf99a925f52612b8cbbf12b4b4e13500";
const seen: { url: string; body: string; ip: string }[] = [];
let port: number;
let server: http.Server;

beforeAll(async () => {
  process.env.TESSERA_LOG_LEVEL = "info"; // read when the guard is made (the test setup silences logs)
  const guard = createGuard({
    // Like Next.js: reads the whole body; answers an empty 405 for /no-delete, the way its
    // compression does (the status written first, through writeHead).
    handle: (req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d));
      req.on("end", () => {
        seen.push({ url: req.url ?? "", body, ip: String(req.headers["x-tessera-client-ip"]) });
        if (req.url === "/api/no-delete") {
          res.statusCode = 405;
          res.flushHeaders();
          res.write("");
          return void res.end();
        }
        res.setHeader("content-type", "text/plain");
        res.end(`ok ${body.length}`);
      });
    },
    routes: { loaded: (p) => (p === "/api/no-delete" ? "GET, HEAD, OPTIONS" : null), load: async () => null },
    actions: new Set([KNOWN_ACTION]),
    write: (l) => void lines.push(l),
  });
  server = http.createServer(guard.onRequest);
  server.on("checkContinue", guard.onCheckContinue);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

function send(method: string, path: string, opts: { headers?: Record<string, string>; body?: Buffer | string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, headers: opts.headers, agent: false }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

describe("the request guard", () => {
  it("HDR-01: sets the security headers and the client address, and passes ordinary requests through", async () => {
    const r = await send("POST", "/api/x", { headers: { "x-tessera-client-ip": "6.6.6.6" }, body: "hello" });
    expect(r.body).toBe("ok 5");
    for (const [k, v] of Object.entries(securityHeaders())) expect(r.headers[k.toLowerCase()]).toBe(v);
    expect(seen.at(-1)).toMatchObject({ url: "/api/x", body: "hello", ip: "127.0.0.1" });
  });

  it("refuses unserved methods and undecodable API paths, and sends undecodable page paths to the 404 page", async () => {
    const trace = await send("TRACE", "/login");
    expect([trace.status, trace.headers.allow]).toEqual([405, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"]);
    const bad = await send("GET", "/api/v1/workspaces/%ZZ");
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe("BAD_REQUEST");
    await send("GET", "/w/%ZZ/settings?x=1");
    expect(seen.at(-1)?.url).toBe("/_tessera/undecodable-path");
    expect(lines.filter((l) => /"status":(405|400|404)/.test(l))).toHaveLength(3);
  });

  it("turns Next.js's empty 405 into the envelope with the route's Allow", async () => {
    const r = await send("DELETE", "/api/no-delete");
    expect([r.status, r.headers.allow]).toEqual([405, "GET, HEAD, OPTIONS"]);
    expect(JSON.parse(r.body).error).toMatchObject({ code: "METHOD_NOT_ALLOWED" });
  });

  it("RL-04: refuses bodies over the limit by Content-Length or when chunked, and replays a chunked body within it", async () => {
    const before = seen.length;
    const big = await send("POST", "/api/x", { headers: { "content-length": String(MAX_BODY_BYTES + 1) }, body: Buffer.alloc(MAX_BODY_BYTES + 1) });
    expect(big.status).toBe(413);
    const chunked = await send("POST", "/api/x", { headers: { "transfer-encoding": "chunked" }, body: Buffer.alloc(MAX_BODY_BYTES + 1) });
    expect(chunked.status).toBe(413);
    expect(seen.length).toBe(before);
    const small = await send("POST", "/api/x", { headers: { "transfer-encoding": "chunked" }, body: "x".repeat(1000) });
    expect(small.body).toBe("ok 1000");
    const atLimit = await send("POST", "/api/x", { headers: { "transfer-encoding": "chunked" }, body: Buffer.alloc(MAX_BODY_BYTES) });
    expect(atLimit.body).toBe(`ok ${MAX_BODY_BYTES}`);
  });

  it("LOG-03: never logs a credential that is part of a path (an invitation link's code)", async () => {
    const code = `tsr_inv_${"A1b2".repeat(9)}xy`;
    const r = await send("TRACE", `/invite/${code}`);
    expect(r.status).toBe(405);
    const line = lines.find((l) => l.includes('"/invite/tsr_inv_'));
    expect(line).toContain('"path":"/invite/tsr_inv_[redacted]"');
    expect(lines.join("")).not.toContain(code.slice(8));
  });

  it("refuses server-action calls that are not a POST of one of the build's actions, or that target static files", async () => {
    const before = seen.length;
    const cases: [string, string, string][] = [
      ["POST", "/login", "x"],
      ["POST", "/login", "0".repeat(42)],
      ["GET", "/login", KNOWN_ACTION],
      ["POST", "/favicon.ico", KNOWN_ACTION],
      ["POST", "/_next/static/chunk.js", KNOWN_ACTION],
    ];
    for (const [method, path, id] of cases) {
      const r = await send(method, path, { headers: { "next-action": id, origin: "null" }, body: method === "POST" ? "[]" : undefined });
      expect(r.status, `${method} ${path} ${id}`).toBe(400);
      expect(r.body).toBe("Not a server action of this version of Tessera: reload the page\n");
      expect(r.headers["x-content-type-options"]).toBe("nosniff");
    }
    expect(seen.length).toBe(before);
    expect(lines.filter((l) => l.includes("not a server action of this build"))).toHaveLength(cases.length);
    // The build's own action, posted to a page, goes on to Next.js (which checks the origin and the session).
    const ok = await send("POST", "/w/x/workloads", { headers: { "next-action": KNOWN_ACTION }, body: "[]" });
    expect(ok.body).toBe("ok 2");
  });
});
