import { describe, expect, it } from "vitest";
import { safeCallback } from "@/app/(auth)/messages";
import { safeRedirect } from "@/lib/auth/next-auth";

describe("redirect targets never leave the site", () => {
  it.each([
    "https://evil.example/x",
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/%09/evil.example".replace("%09", "\t"),
    "/\n/evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
    "/" + "a".repeat(600),
  ])("safeCallback(%j) stays home", (raw) => {
    const out = safeCallback(raw);
    expect(new URL(out, "http://tessera.test").origin).toBe("http://tessera.test");
    expect(out.startsWith("//")).toBe(false);
  });

  it("keeps ordinary paths", () => {
    expect(safeCallback("/w/abc/settings?x=1#y")).toBe("/w/abc/settings?x=1#y");
    expect(safeCallback("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
  });

  it.each(["https://evil.example", "//evil.example", "/\\evil.example", "http://tessera.test.evil.example/"])(
    "safeRedirect(%j) stays on the base URL",
    (url) => {
      expect(new URL(safeRedirect(url, "http://tessera.test")).origin).toBe("http://tessera.test");
    },
  );
});
