// The one place a presented token value is checked: shape and checksum (no database), then one
// lookup by its HMAC through the unique index, then status and expiry. Bearer authentication
// and the verify endpoint both use it, so they cannot disagree.
import { directReader } from "../db/client";
import type { TokenAuthRow } from "../db/direct";
import type { Workspace } from "../generated/sqlite/client";
import type { TokenKind } from "./actor";
import { credentialHashKeys, hmacHex } from "./keys";
import { isRole, TOKEN_SCOPES, type Role, type TokenScope } from "./permissions";
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
  /** The role the token acts with now: a workspace token's own role, a user token's creator's current
   * role (null once the creator is removed or disabled). */
  role: Role | null;
  expiresAt: Date;
  createdById: string | null;
  workloadId: string | null;
  lastUsedAt: Date | null;
  /** The token's workspace, read in the same query (request-scoped: never cached). */
  workspace: Workspace;
};

/**
 * Why a presented value is refused. `disabled`: a user token whose creator's account is disabled
 * (it works again if the account is enabled). A user token whose creator is no longer a member of
 * its workspace is `unknown` (leaving or removal also cancels it).
 */
export type TokenFailure = "malformed" | "unknown" | "expired" | "cancelled" | "disabled";
export type TokenLookup = { ok: true; token: FoundToken } | { ok: false; reason: TokenFailure };

/** The role a token acts with: a user token never exceeds its creator's current role and dies with a disabled or removed creator. */
export function effectiveRole(kind: string, ownRole: string | null, creator: TokenAuthRow["creator"]): Role | null {
  if (kind === "workspace") return isRole(ownRole) ? ownRole : null;
  if (kind === "user") return creator && !creator.disabled && isRole(creator.role) ? creator.role : null;
  return null;
}

/**
 * Checks a presented value: shape and checksum first (no database), then ONE indexed query
 * (token + workspace + creator membership, lib/db/direct.ts), then status, expiry and (user tokens)
 * the creator's account and membership.
 * Nothing is cached, so a cancellation, deletion, demotion or deactivation is seen by the very
 * next request on every instance.
 */
export async function lookupToken(value: string): Promise<TokenLookup> {
  if (!parseToken(value)) return { ok: false, reason: "malformed" };
  // Every configured key is tried, so tokens hashed before a key rotation still match.
  const hashes = credentialHashKeys("token").map((k) => hmacHex(k.key, value));
  const row = await directReader().tokenAuth(hashes);
  if (!row) return { ok: false, reason: "unknown" };
  const t = row.token;
  if (t.status !== "active") return { ok: false, reason: "cancelled" };
  if (t.expiresAt.getTime() <= Date.now()) return { ok: false, reason: "expired" };
  // A user token acts as its creator: it stops with the creator's account or membership (same row).
  if (t.kind === "user") {
    if (row.creator?.disabled) return { ok: false, reason: "disabled" };
    if (effectiveRole(t.kind, t.role, row.creator) === null) return { ok: false, reason: "unknown" };
  }
  return {
    ok: true,
    token: {
      id: t.id,
      workspaceId: t.workspaceId,
      kind: t.kind as TokenKind,
      scopes: parseScopes(t.scopes),
      role: effectiveRole(t.kind, t.role, row.creator),
      expiresAt: t.expiresAt,
      createdById: t.createdById,
      workloadId: t.workloadId,
      lastUsedAt: t.lastUsedAt,
      workspace: row.workspace,
    },
  };
}
