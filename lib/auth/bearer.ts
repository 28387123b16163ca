// Bearer authentication for /api/v1. Session cookies are ignored there.
// A 401 says which of missing, malformed, unknown, expired, cancelled or disabled (a user token of a
// disabled account) applies, nothing more.
import { AppError } from "../errors";
import type { RequestMeta, TokenActor } from "./actor";
import { countFailure } from "./failure-limit";
import { noteTokenUse } from "./last-used";
import { lookupToken } from "./token-lookup";

export type BearerFailure = "missing" | "malformed" | "unknown" | "expired" | "cancelled" | "disabled";

const MESSAGES: Record<BearerFailure, string> = {
  missing: "Authentication required: send Authorization: Bearer <token>",
  malformed: "The bearer token is malformed",
  unknown: "The bearer token is not recognised",
  expired: "The bearer token has expired",
  cancelled: "The bearer token has been cancelled",
  disabled: "The bearer token belongs to a disabled account",
};

export class BearerError extends AppError {
  constructor(readonly reason: BearerFailure) {
    super("UNAUTHORIZED", MESSAGES[reason]);
  }
}

/** Extracts the credential from the Authorization header, or throws a BearerError. */
export function bearerValue(header: string | null): string {
  if (!header || !header.trim()) throw new BearerError("missing");
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!m) throw new BearerError("malformed");
  return m[1]!;
}

/**
 * Authenticates `Authorization: Bearer <token>`: a TokenActor, or a BearerError (401). Failures
 * count toward the caller's per-address limit (a failure past it is a 429 instead); a valid token
 * is never refused by that limit. A success notes the token's last use, written later off the
 * request path.
 */
export async function authenticateBearer(header: string | null, meta: RequestMeta): Promise<TokenActor> {
  let found: Awaited<ReturnType<typeof lookupToken>>;
  try {
    found = await lookupToken(bearerValue(header));
  } catch (err) {
    if (err instanceof BearerError) countFailure(meta.ip);
    throw err;
  }
  if (!found.ok) {
    countFailure(meta.ip);
    throw new BearerError(found.reason);
  }
  const t = found.token;
  noteTokenUse(t.id, t.lastUsedAt, meta.ip);
  return {
    type: "token",
    tokenId: t.id,
    workspaceId: t.workspaceId,
    kind: t.kind,
    scopes: t.scopes,
    creatorId: t.createdById,
    role: t.kind === "workspace" ? t.role : null,
    workloadId: t.workloadId,
    meta,
    access: { workspace: t.workspace, role: t.role },
  };
}
