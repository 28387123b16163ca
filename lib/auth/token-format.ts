// The token value format: `tsr_<kind>_<32 random base62><6 base62 CRC-32 checksum>`.
//   - a recognisable prefix per kind, for secret scanners (tsr_usr_, tsr_wsp_, tsr_wkl_);
//   - 32 base62 characters from the CSPRNG: 32 * log2(62) = 190 bits;
//   - a CRC-32 checksum of everything before it, so typos and truncated or made-up values
//     are rejected without touching the database.
import { randomInt } from "node:crypto";
import { crc32 } from "node:zlib";
import type { TokenKind } from "./actor";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const RANDOM_LENGTH = 32;
export const CHECKSUM_LENGTH = 6;

export const KIND_PREFIX: Record<TokenKind, string> = { user: "tsr_usr_", workspace: "tsr_wsp_", workload: "tsr_wkl_" };
const PREFIX_KIND = Object.fromEntries(Object.entries(KIND_PREFIX).map(([k, p]) => [p, k])) as Record<
  string,
  TokenKind
>;

const SHAPE = new RegExp(`^(tsr_(?:usr|wsp|wkl)_)([0-9A-Za-z]{${RANDOM_LENGTH}})([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`);

function base62(n: number, width: number): string {
  let out = "";
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function checksum(body: string): string {
  return base62(crc32(body) >>> 0, CHECKSUM_LENGTH);
}

/** Builds a token from given random characters (exported for the golden test vectors). */
export function formatToken(kind: TokenKind, random: string): string {
  const body = KIND_PREFIX[kind] + random;
  return body + checksum(body);
}

export function generateToken(kind: TokenKind): string {
  let random = "";
  for (let i = 0; i < RANDOM_LENGTH; i++) random += ALPHABET[randomInt(62)];
  return formatToken(kind, random);
}

/** Checks shape and checksum only (no database): the kind, or null when malformed. */
export function parseToken(value: string): { kind: TokenKind } | null {
  if (value.length !== 8 + RANDOM_LENGTH + CHECKSUM_LENGTH) return null;
  const m = SHAPE.exec(value);
  if (!m) return null;
  const [, prefix, random, sum] = m;
  if (checksum(prefix! + random!) !== sum) return null;
  return { kind: PREFIX_KIND[prefix!]! };
}

/** What lists show: the prefix and the last four characters. */
export function displayParts(value: string): { prefix: string; lastFour: string } {
  return { prefix: value.slice(0, 8), lastFour: value.slice(-4) };
}

/** Invitation codes share the format: `tsr_inv_` + 32 random base62 + the checksum. */
export const INVITATION_PREFIX = "tsr_inv_";
const INVITATION_SHAPE = new RegExp(`^tsr_inv_([0-9A-Za-z]{${RANDOM_LENGTH}})([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`);

export function generateInvitationCode(): string {
  let random = "";
  for (let i = 0; i < RANDOM_LENGTH; i++) random += ALPHABET[randomInt(62)];
  const body = INVITATION_PREFIX + random;
  return body + checksum(body);
}

/** Shape and checksum of an invitation code (no database). */
export function isInvitationCode(value: string): boolean {
  const m = INVITATION_SHAPE.exec(value);
  return !!m && checksum(INVITATION_PREFIX + m[1]) === m[2];
}
