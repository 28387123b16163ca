// Bearer authentication for /api/v1. Session cookies are ignored there.
// A 401 says which of missing, malformed, unknown, expired or cancelled applies, nothing more.
import { db } from "../db/client";
import { AppError } from "../errors";
import type { RequestMeta, TokenActor } from "./actor";
import { credentialHashKeys, hmacHex } from "./keys";
import { isRole } from "./permissions";
import { parseToken } from "./token-format";
import { parseScopes } from "../services/tokens";

export type BearerFailure = "missing" | "malformed" | "unknown" | "expired" | "cancelled";

const MESSAGES: Record<BearerFailure, string> = {
  missing: "Authentication required: send Authorization: Bearer <token>",
  malformed: "The bearer token is malformed",
  unknown: "The bearer token is not recognised",
  expired: "The bearer token has expired",
  cancelled: "The bearer token has been cancelled",
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

export async function authenticateBearer(header: string | null, meta: RequestMeta): Promise<TokenActor> {
  const value = bearerValue(header);
  // Shape and checksum first: a malformed token never reaches the database.
  if (!parseToken(value)) throw new BearerError("malformed");
  const hashes = credentialHashKeys("token").map((k) => hmacHex(k.key, value));
  const token = await db().token.findFirst({
    where: { hash: { in: hashes } },
    select: {
      id: true,
      workspaceId: true,
      kind: true,
      scopes: true,
      role: true,
      status: true,
      expiresAt: true,
      createdById: true,
      workloadId: true,
    },
  });
  if (!token) throw new BearerError("unknown");
  if (token.status !== "active") throw new BearerError("cancelled");
  if (token.expiresAt.getTime() <= Date.now()) throw new BearerError("expired");
  return {
    type: "token",
    tokenId: token.id,
    workspaceId: token.workspaceId,
    kind: token.kind as TokenActor["kind"],
    scopes: parseScopes(token.scopes),
    creatorId: token.createdById,
    role: isRole(token.role) ? token.role : null,
    workloadId: token.workloadId,
    meta,
  };
}
