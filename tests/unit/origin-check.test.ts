// The origin check of cookie-authenticated writes (proxy.ts; security.md CSRF-03, CSRF-06): the
// Origin is compared with TESSERA_PUBLIC_URL (default http://localhost:$PORT) only, never with
// the client's Host or X-Forwarded-Host, and a cookie-carrying write without Origin is refused
// unless Sec-Fetch-Site says same-origin.
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

const saved = { url: process.env.TESSERA_PUBLIC_URL, port: process.env.PORT };
beforeEach(() => {
  delete process.env.TESSERA_PUBLIC_URL;
  process.env.PORT = "3000";
});
afterEach(() => {
  for (const [k, v] of [["TESSERA_PUBLIC_URL", saved.url], ["PORT", saved.port]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const SESSION = "__Host-tessera.session=abc";
const send = (path: string, headers: Record<string, string>, method = "POST") =>
  proxy(new NextRequest(`http://localhost:3000${path}`, { method, headers, ...(method === "GET" ? {} : { body: "[]" }) })).status;
// What a request passed on to the app gets back from the proxy (NextResponse.next()).
const PASSED = 200;

describe("origin check of cookie-authenticated writes", () => {
  it.each(["/new", "/api/auth/signout"])("CSRF-06: ignores a spoofed Host and X-Forwarded-Host on %s", (path) => {
    const spoof = { origin: "http://evil.test", host: "evil.test", "x-forwarded-host": "evil.test", "x-forwarded-proto": "http", cookie: SESSION };
    expect(send(path, { ...spoof, "next-action": "x" })).toBe(403);
    expect(send(path, { origin: "http://evil.test", host: "evil.test", cookie: SESSION })).toBe(403);
  });

  it("accepts the public origin: TESSERA_PUBLIC_URL, else http://localhost:$PORT", () => {
    expect(send("/new", { origin: "http://localhost:3000", cookie: SESSION })).toBe(PASSED);
    expect(send("/new", { origin: "http://localhost:4000", cookie: SESSION })).toBe(403);
    process.env.TESSERA_PUBLIC_URL = "https://tessera.example.test/base";
    expect(send("/new", { origin: "https://tessera.example.test", cookie: SESSION, host: "internal:3000" })).toBe(PASSED);
    expect(send("/new", { origin: "http://localhost:3000", cookie: SESSION, host: "localhost:3000" })).toBe(403);
  });

  it("CSRF-01 CSRF-02: refuses foreign and null origins, with or without cookies", () => {
    for (const origin of ["https://evil.example", "null", "http://localhost:3000.evil.example"]) {
      expect(send("/api/auth/signout", { origin, cookie: SESSION }), origin).toBe(403);
      expect(send("/api/signup", { origin }), origin).toBe(403);
    }
  });

  it("CSRF-03: refuses a cookie-carrying write without Origin unless Sec-Fetch-Site is same-origin", () => {
    expect(send("/new", { cookie: SESSION, "next-action": "x" })).toBe(403);
    expect(send("/api/auth/signout", { cookie: SESSION })).toBe(403);
    expect(send("/api/auth/signout", { cookie: SESSION, "sec-fetch-site": "same-site" })).toBe(403);
    expect(send("/api/auth/signout", { cookie: SESSION, "sec-fetch-site": "cross-site" })).toBe(403);
    expect(send("/api/auth/signout", { cookie: SESSION, "sec-fetch-site": "same-origin" })).toBe(PASSED);
    // No cookies, no ambient credentials: nothing to forge (a script's sign-up is limited by the service).
    expect(send("/api/signup", {})).toBe(PASSED);
  });

  it("leaves reads and the bearer API alone", () => {
    expect(send("/w/x/settings", { origin: "https://evil.example", cookie: SESSION }, "GET")).toBe(PASSED);
    expect(send("/api/v1/tokens/verify", { origin: "https://evil.example", cookie: SESSION })).toBe(PASSED);
    expect(send("/api/v1/workspaces", { cookie: SESSION })).toBe(PASSED);
  });
});
