// Server-side keys derived from the configured master keys (HKDF-SHA-256), one purpose each.
// Derived keys carry the master key's id as their version, so they rotate with it.
import { createHmac, hkdfSync } from "node:crypto";
import { config, type MasterKey } from "../config";

const cache = new Map<string, Buffer>();

/** A 32-byte key for one purpose, derived from a master key (cached). */
export function derivedKey(master: MasterKey, purpose: string): Buffer {
  const cacheKey = `${purpose}\u0000${master.id}\u0000${master.key.toString("base64")}`;
  let key = cache.get(cacheKey);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", master.key, Buffer.from("tessera"), Buffer.from(purpose), 32));
    cache.set(cacheKey, key);
  }
  return key;
}

export type HashKey = { id: string; key: Buffer };

/**
 * Keys for hashing bearer credentials (tokens, sessions, invitations, device login codes, recovery
 * codes, and account links: password reset and email verification); the first is active.
 */
export function credentialHashKeys(purpose: "token" | "session" | "invitation" | "device" | "recovery" | "account"): HashKey[] {
  return config().masterKeys.map((m) => ({ id: m.id, key: derivedKey(m, `credential-hash:${purpose}`) }));
}

/** HMAC-SHA-256, hex. */
export function hmacHex(key: Buffer, value: string): string {
  return createHmac("sha256", key).update(value, "utf8").digest("hex");
}
