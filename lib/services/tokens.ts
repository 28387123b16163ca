// The token service. Values are generated here, returned once, and stored only as an HMAC.
import type { Actor } from "../auth/actor";
import { credentialHashKeys, hmacHex } from "../auth/keys";
import { ROLE_RANK, isRole, type Role, type TokenScope } from "../auth/permissions";
import { displayParts, generateToken } from "../auth/token-format";
import type { Token } from "../generated/sqlite/client";
import { AppError, parseInput } from "../errors";
import { createTokenSchema, type CreateTokenInput } from "../schemas/token";
import { recordAudit } from "./audit";
import { authorize, inTransaction } from "./authorize";
import { assertActive } from "./workspaces";

const DAY_MS = 24 * 60 * 60 * 1000;

export function hashTokenValue(value: string): { hash: string; hashKeyId: string } {
  const active = credentialHashKeys("token")[0]!;
  return { hash: hmacHex(active.key, value), hashKeyId: active.id };
}

export function parseScopes(raw: string): TokenScope[] {
  return raw.split(",").filter((s): s is TokenScope => s === "read" || s === "full");
}

function present(t: Token) {
  return {
    id: t.id,
    workspaceId: t.workspaceId,
    kind: t.kind as "user" | "workspace" | "workload",
    name: t.name,
    description: t.description,
    partialKey: `${t.prefix}…${t.lastFour}`,
    scopes: parseScopes(t.scopes),
    status: t.status as "active" | "cancelled",
    expiresAt: t.expiresAt,
    createdAt: t.createdAt,
  };
}

/** Creates a token and returns its value, the only time it is ever available. */
export async function createToken(actor: Actor, workspaceId: string, input: CreateTokenInput) {
  const data = parseInput(createTokenSchema, input);
  return inTransaction(actor, async (tx) => {
    const permission = data.kind === "user" ? "token.create" : "token.manage";
    const { workspace, role } = await authorize(tx, actor, workspaceId, permission, {
      action: "token.create",
      target: { type: "token", id: null },
    });
    if (data.kind === "user" && actor.type !== "user") {
      throw new AppError("FORBIDDEN", "User tokens are created by users for themselves");
    }
    if (data.kind === "workspace") assertActive(workspace, "creating workspace tokens");
    if (data.expiresInDays > workspace.maxTokenLifetimeDays) {
      throw new AppError(
        "VALIDATION_FAILED",
        `Tokens in this workspace may live at most ${workspace.maxTokenLifetimeDays} days`,
        { details: [{ path: "expiresInDays", message: `must be at most ${workspace.maxTokenLifetimeDays}` }] },
      );
    }
    let tokenRole: Role | null = null;
    if (data.kind === "workspace") {
      tokenRole = data.role ?? "member";
      if (isRole(role) && ROLE_RANK[tokenRole] > ROLE_RANK[role]) {
        throw new AppError("FORBIDDEN", "A token cannot have a role above your own");
      }
    }
    const value = generateToken(data.kind);
    const { prefix, lastFour } = displayParts(value);
    const token = await tx.token.create({
      data: {
        workspaceId,
        kind: data.kind,
        name: data.name,
        description: data.description ?? null,
        prefix,
        lastFour,
        ...hashTokenValue(value),
        scopes: [...new Set(data.scopes)].join(","),
        role: tokenRole,
        expiresAt: new Date(Date.now() + data.expiresInDays * DAY_MS),
        createdById: actor.type === "user" ? actor.userId : null,
      },
    });
    await recordAudit(tx, actor, {
      workspaceId,
      action: "token.create",
      target: { type: "token", id: token.id },
      metadata: { kind: data.kind, name: data.name, scopes: data.scopes, expiresInDays: data.expiresInDays },
    });
    return { ...present(token), value };
  });
}
