// The one place a presented token value is checked: shape and checksum (no database), then one
// lookup by its HMAC through the unique index, then status and expiry. Bearer authentication
// and the verify endpoint both use it, so they cannot disagree.
import { db } from "../db/client";
import type { TokenKind } from "./actor";
import { credentialHashKeys, hmacHex } from "./keys";
import { TOKEN_SCOPES, type TokenScope } from "./permissions";
import { parseToken } from "./token-format";

/** The HMAC stored for a new token, under the active key. */
export function tokenHash(value: string): { hash: string; hashKeyId: string } {
  const active = credentialHashKeys("token")[0]!;
  return { hash: hmacHex(active.key, value), hashKeyId: active.id };
}

export function parseScopes(raw: string): TokenScope[] {
  return raw.split(",").filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s));
}

export type FoundToken = {
  id: string;
  workspaceId: string;
  kind: TokenKind;
  scopes: TokenScope[];
  role: string | null;
  expiresAt: Date;
  createdById: string | null;
  workloadId: string | null;
};

export type TokenLookup = { ok: true; token: FoundToken } | { ok: false; reason: "malformed" | "unknown" | "expired" | "cancelled" };

export async function lookupToken(value: string): Promise<TokenLookup> {
  if (!parseToken(value)) return { ok: false, reason: "malformed" };
  // Every configured key is tried, so tokens hashed before a key rotation still match.
  const hashes = credentialHashKeys("token").map((k) => hmacHex(k.key, value));
  const t = await db().token.findFirst({
    where: { hash: { in: hashes } },
    select: { id: true, workspaceId: true, kind: true, scopes: true, role: true, status: true, expiresAt: true, createdById: true, workloadId: true },
  });
  if (!t) return { ok: false, reason: "unknown" };
  if (t.status !== "active") return { ok: false, reason: "cancelled" };
  if (t.expiresAt.getTime() <= Date.now()) return { ok: false, reason: "expired" };
  const { status: _status, ...rest } = t;
  return { ok: true, token: { ...rest, kind: t.kind as TokenKind, scopes: parseScopes(t.scopes) } };
}
