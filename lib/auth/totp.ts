// TOTP second factor (RFC 6238: SHA-1, 6 digits, 30-second steps, what every authenticator app
// reads), with @oslojs/otp for the HOTP arithmetic. The shared key is sealed (AES-256-GCM) under a
// key derived from the active master key, and bound to its user (the AAD), so a copied column
// opens for nobody else. A code is accepted one step early or late (clock drift), and only for a
// step after the last one accepted: each code works once.
import { randomBytes } from "node:crypto";
import { decodeBase32IgnorePadding, encodeBase32NoPadding } from "@oslojs/encoding";
import { createTOTPKeyURI, verifyHOTP } from "@oslojs/otp";
import { config } from "../config";
import { open, seal } from "../crypto/envelope";
import { credentialHashKeys, derivedKey, hmacHex } from "./keys";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of now (±30 s of clock drift). */
const DRIFT_STEPS = 1;

/** A new 160-bit shared key (RFC 4226's recommended length). */
export function newTotpKey(): Uint8Array {
  return new Uint8Array(randomBytes(20));
}

/** The key as people type it into an app: base32, in groups of four. */
export function totpKeyText(key: Uint8Array): string {
  return encodeBase32NoPadding(key).replace(/(.{4})(?=.)/g, "$1 ");
}

/** The otpauth:// URI a QR code carries. */
export function totpUri(key: Uint8Array, email: string): string {
  return createTOTPKeyURI("Tessera", email, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

const aad = (userId: string) => `tessera:totp:${userId}`;

/** Seals a key for storage: "<master key id>.<nonce>.<sealed>" (base64url). */
export function sealTotpKey(userId: string, key: Uint8Array): string {
  const master = config().masterKeys[0]!;
  const { nonce, sealed } = seal(derivedKey(master, "totp"), Buffer.from(key), aad(userId));
  return `${master.id}.${nonce.toString("base64url")}.${sealed.toString("base64url")}`;
}

/** Opens a stored key (any configured master key may have sealed it). */
export function openTotpKey(userId: string, stored: string): Uint8Array {
  const [id, nonce, sealed] = stored.split(".");
  const master = config().masterKeys.find((m) => m.id === id);
  if (!master || !nonce || !sealed) throw new Error("The second factor's key cannot be opened with the configured master keys");
  return new Uint8Array(open(derivedKey(master, "totp"), Buffer.from(nonce, "base64url"), Buffer.from(sealed, "base64url"), aad(userId), "second factor"));
}

/** Whether a stored key was sealed under a master key other than the active one (rotation). */
export function totpKeyNeedsRewrap(stored: string): boolean {
  return stored.split(".")[0] !== config().masterKeys[0]!.id;
}

/**
 * The time step `code` is valid for (now ±1 step), if it is later than `lastStep`; else null.
 * Anything that is not six digits (spaces allowed, as apps show "123 456") is null.
 */
export function matchTotp(key: Uint8Array, code: string, lastStep: number | null, now = Date.now()): number | null {
  const digits = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(digits)) return null;
  const step = Math.floor(now / 1000 / TOTP_PERIOD_SECONDS);
  for (let s = step - DRIFT_STEPS; s <= step + DRIFT_STEPS; s++) {
    if (lastStep !== null && s <= lastStep) continue;
    if (verifyHOTP(key, BigInt(s), TOTP_DIGITS, digits)) return s;
  }
  return null;
}

/** Decodes a base32 key a person typed (tests and tooling). */
export function decodeTotpKey(text: string): Uint8Array {
  return decodeBase32IgnorePadding(text.replace(/\s+/g, "").toUpperCase());
}

// ---- recovery codes -------------------------------------------------------------------------

export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i

/** Ten codes like "k7mq-x2hp-9rtw" (60 bits each): shown once, stored as HMACs only. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(12);
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join("");
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

/** A typed recovery code in its stored form: lower case, no spaces or dashes. */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, "");
}

/** The HMACs a recovery code may be stored as, one per configured master key; the first is how new ones are stored. */
export function recoveryCodeHashes(code: string): string[] {
  return credentialHashKeys("recovery").map((k) => hmacHex(k.key, normaliseRecoveryCode(code)));
}
