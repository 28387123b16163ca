import { generateHOTP } from "@oslojs/otp";
import { describe, expect, it } from "vitest";
import {
  decodeTotpKey,
  matchTotp,
  newRecoveryCodes,
  newTotpKey,
  normaliseRecoveryCode,
  openTotpKey,
  recoveryCodeHashes,
  sealTotpKey,
  totpKeyText,
  totpUri,
} from "@/lib/auth/totp";

// RFC 6238 Appendix B: the SHA-1 key "12345678901234567890"; at T = 59 s the 8-digit code is
// 94287082, so the 6-digit one is its last six digits.
const RFC_KEY = new TextEncoder().encode("12345678901234567890");

describe("TOTP (lib/auth/totp.ts)", () => {
  it("matches RFC 6238's test vector, one step either side, and nothing else", () => {
    expect(matchTotp(RFC_KEY, "287082", null, 59_000)).toBe(1);
    expect(matchTotp(RFC_KEY, "287 082", null, 59_000)).toBe(1);
    // One step late (clock drift) is still accepted; two are not.
    expect(matchTotp(RFC_KEY, "287082", null, 89_000)).toBe(1);
    expect(matchTotp(RFC_KEY, "287082", null, 119_000)).toBeNull();
    for (const bad of ["", "28708", "2870822", "abcdef", "287082\n1", "２８７０８２"]) expect(matchTotp(RFC_KEY, bad, null, 59_000)).toBeNull();
  });

  it("accepts a code once: never for a step at or before the last one accepted", () => {
    const key = newTotpKey();
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30_000);
    const code = generateHOTP(key, BigInt(step), 6);
    expect(matchTotp(key, code, null, now)).toBe(step);
    expect(matchTotp(key, code, step, now)).toBeNull();
    expect(matchTotp(key, generateHOTP(key, BigInt(step + 1), 6), step, now)).toBe(step + 1);
  });

  it("round-trips the key through its text and QR URI, and seals it per user", () => {
    const key = newTotpKey();
    expect(key.length).toBe(20);
    expect(decodeTotpKey(totpKeyText(key))).toEqual(key);
    expect(totpUri(key, "ada@example.com")).toMatch(/^otpauth:\/\/totp\/Tessera:ada%40example\.com\?issuer=Tessera&algorithm=SHA1&secret=[A-Z2-7]{32}&period=30&digits=6$/);
    const sealed = sealTotpKey("user-a", key);
    expect(sealed).not.toContain(totpKeyText(key).replace(/ /g, ""));
    expect(openTotpKey("user-a", sealed)).toEqual(key);
    // Bound to its user: a copied column opens for nobody else.
    expect(() => openTotpKey("user-b", sealed)).toThrow();
  });

  it("makes ten distinct recovery codes, typed loosely, stored as HMACs", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const c = codes[0]!;
    expect(normaliseRecoveryCode(` ${c.toUpperCase().replace(/-/g, " ")} `)).toBe(c.replace(/-/g, ""));
    const [hash] = recoveryCodeHashes(c);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(recoveryCodeHashes(c.toUpperCase())[0]).toBe(hash);
    expect(hash).not.toContain(c.replace(/-/g, ""));
  });
});
