// The two codes of a browser-assisted CLI login (`tessera login --web`, lib/services/device.ts):
// - the device code, the CLI's secret that it polls with: `tsr_dev_` + 32 random base62 characters
//   (190 bits) + the token format's CRC-32 checksum, so that a mistyped or made-up value is refused
//   without a database lookup, and secret scanners can recognise it;
// - the user code, which a person reads in the terminal and types in the browser: 8 letters from a
//   20-letter alphabet without vowels or look-alikes (RFC 8628 §6.1), shown as `WDJB-MJHT`. That is
//   20^8 ≈ 2^34.6 values: guessable online only, so entry is rate-limited per user and a code lives
//   10 minutes.
// Only HMACs of both are stored (credentialHashKeys("device")).
import { randomInt } from "node:crypto";
import { checksum, CHECKSUM_LENGTH, RANDOM_LENGTH } from "./token-format";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const DEVICE_CODE_PREFIX = "tsr_dev_";
const DEVICE_SHAPE = new RegExp(`^tsr_dev_([0-9A-Za-z]{${RANDOM_LENGTH}})([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`);

/** Consonants only (no words can form) and none that look alike (no vowels, so no 0/O or 1/I). */
export const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
export const USER_CODE_LENGTH = 8;

export function generateDeviceCode(): string {
  let random = "";
  for (let i = 0; i < RANDOM_LENGTH; i++) random += BASE62[randomInt(62)];
  const body = DEVICE_CODE_PREFIX + random;
  return body + checksum(body);
}

/** Shape and checksum of a device code (no database). */
export function isDeviceCode(value: string): boolean {
  const m = DEVICE_SHAPE.exec(value);
  return !!m && checksum(DEVICE_CODE_PREFIX + m[1]) === m[2];
}

/** A new user code, as stored (8 letters, no dash). */
export function generateUserCode(): string {
  let code = "";
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/** How a user code is shown: `WDJB-MJHT`. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What a person typed, as stored: letters upper-cased, spaces and dashes dropped (RFC 8628 §6.1:
 * case and punctuation do not matter). Null when it cannot be a user code, so that no lookup is made.
 */
export function normaliseUserCode(typed: string): string | null {
  if (typed.length > 40) return null;
  const code = typed.toUpperCase().replace(/[\s\-–—_.]/g, "");
  if (code.length !== USER_CODE_LENGTH) return null;
  for (const ch of code) if (!USER_CODE_ALPHABET.includes(ch)) return null;
  return code;
}
