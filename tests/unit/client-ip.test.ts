import { afterEach, describe, expect, it, vi } from "vitest";

async function clientIpWith(trustProxy: boolean) {
  vi.resetModules();
  process.env.TESSERA_TRUST_PROXY = trustProxy ? "true" : "false";
  return (await import("@/lib/http/request-meta")).clientIp;
}

afterEach(() => {
  delete process.env.TESSERA_TRUST_PROXY;
});

describe("client address", () => {
  it("uses the socket peer recorded by our server, ignoring a client's X-Forwarded-For", async () => {
    const clientIp = await clientIpWith(false);
    const h = new Headers({ "x-tessera-client-ip": "::ffff:203.0.113.9", "x-forwarded-for": "1.2.3.4, 5.6.7.8" });
    expect(clientIp(h)).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "1.2.3.4" }))).toBeNull();
    expect(clientIp(new Headers({ "x-tessera-client-ip": "not-an-address; drop" }))).toBeNull();
  });

  it("behind a trusted proxy, takes the entry that proxy appended (the last)", async () => {
    const clientIp = await clientIpWith(true);
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.4" }))).toBe("198.51.100.4");
  });
});
