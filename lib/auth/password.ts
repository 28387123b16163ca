// Passwords: bcryptjs (cost 12) and a rule users can read.
import bcrypt from "bcryptjs";
import { z } from "zod";

export const BCRYPT_COST = 12;

export const PASSWORD_RULE =
  "At least 10 characters (at most 72 bytes), not only one repeated character, and not your email address.";

export function passwordSchema(email?: string) {
  return z
    .string({ error: "is required" })
    .min(10, "must be at least 10 characters")
    .refine((p) => Buffer.byteLength(p, "utf8") <= 72, "must be at most 72 bytes (bcrypt ignores the rest)")
    .refine((p) => !/^(.)\1*$/.test(p), "must not be one character repeated")
    .refine((p) => !email || p.toLowerCase() !== email.toLowerCase(), "must not be your email address");
}

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

// Compared against when the account does not exist, so that timing does not tell.
const DUMMY_HASH = "$2b$12$67m5KywGlqz.OgSrw7SNRuN8bwtrBwstOAVIzlUe5LA4My.XKBSrK";

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return Boolean(hash) && ok;
}
