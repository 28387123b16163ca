// Golden vectors pin the token format: changing it breaks every issued token.
import { describe, expect, it } from "vitest";
import { checksum, formatToken, generateToken, parseToken, displayParts } from "@/lib/auth/token-format";

const R = "0123456789abcdefghijABCDEFGHIJxy";

describe("token format", () => {
  it("TOK-01: matches the golden vectors", () => {
    expect(formatToken("user", R)).toBe("tsr_usr_0123456789abcdefghijABCDEFGHIJxy4WeiYy");
    expect(formatToken("workspace", R)).toBe("tsr_wsp_0123456789abcdefghijABCDEFGHIJxy1SWmCd");
    expect(formatToken("workload", R)).toBe("tsr_wkl_0123456789abcdefghijABCDEFGHIJxy2OYuZX");
    expect(checksum("tsr_usr_" + R)).toBe(GOLDEN.user);
    expect(checksum("tsr_wsp_" + R)).toBe(GOLDEN.workspace);
    expect(checksum("tsr_wkl_" + R)).toBe(GOLDEN.workload);
    expect(checksum("")).toBe("000000");
  });

  it("TOK-01 TOK-02: generates 46-character values with 190 random bits and a valid checksum", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const t = generateToken("workspace");
      expect(t).toMatch(/^tsr_wsp_[0-9A-Za-z]{38}$/);
      expect(parseToken(t)).toEqual({ kind: "workspace" });
      seen.add(t);
    }
    expect(seen.size).toBe(200);
  });

  it.each([
    "",
    "tsr_usr_",
    "Bearer tsr_usr_x",
    "tsr_xxx_0123456789abcdefghijABCDEFGHIJxy000000",
    "tsr_usr_0123456789abcdefghijABCDEFGHIJxy000000",
    "tsr_usr_0123456789abcdefghijABCDEFGHIJx-000000",
    "x".repeat(10_000),
  ])("rejects malformed value %#", (value) => {
    expect(parseToken(value)).toBeNull();
  });

  it("rejects a single changed character (checksum)", () => {
    const t = generateToken("user");
    const flipped = t.slice(0, 20) + (t[20] === "a" ? "b" : "a") + t.slice(21);
    expect(parseToken(flipped)).toBeNull();
  });

  it("shows only the prefix and the last four characters", () => {
    const t = formatToken("workload", R);
    expect(displayParts(t)).toEqual({ prefix: "tsr_wkl_", lastFour: t.slice(-4) });
  });
});

// Computed independently (Python: zlib.crc32, then 6 base62 digits, 0-9A-Za-z).
const GOLDEN = { user: "4WeiYy", workspace: "1SWmCd", workload: "2OYuZX" };
