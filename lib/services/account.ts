// The caller's own account: who am I, and signing out everywhere (GET /api/v1/me,
// POST /api/v1/me/sign-out-everywhere, and the dashboard's "Sign out everywhere").
import type { Actor } from "../auth/actor";
import { isRole } from "../auth/permissions";
import { effectiveRole, parseScopes } from "../auth/token-lookup";
import { db } from "../db/client";
import { AppError } from "../errors";
import type { MeOutput } from "../schemas/account";
import type { TokenKind } from "../auth/actor";
import { recordAudit } from "./audit";
import { actingUser, inTransaction } from "./authorize";

/**
 * Who the caller is: the token (never its value), its workspace and the role it acts with, and the
 * user a user token acts as (null for workspace and workload tokens). Any valid token may ask,
 * whatever its scope; nothing is audited (a read about the caller itself). Read now, in one query:
 * a user token's role is its creator's current role, and `isPlatformAdmin` the creator's current flag.
 */
export async function whoAmI(actor: Actor): Promise<MeOutput> {
  if (actor.type !== "token") throw new AppError("FORBIDDEN", "Only API tokens ask who they are: the dashboard shows its user");
  const t = await db().token.findUnique({
    where: { id: actor.tokenId },
    select: {
      id: true,
      kind: true,
      name: true,
      scopes: true,
      role: true,
      workloadId: true,
      workload: { select: { name: true } },
      expiresAt: true,
      workspace: { select: { id: true, name: true, status: true } },
      createdBy: {
        select: { id: true, email: true, name: true, isPlatformAdmin: true, memberships: { where: { workspaceId: actor.workspaceId }, select: { role: true } } },
      },
    },
  });
  // Deleted between authentication and this read.
  if (!t) throw new AppError("UNAUTHORIZED", "The bearer token is not recognised");
  const kind = t.kind as TokenKind;
  // The rule authentication applies (a disabled creator's token never gets this far).
  const actsAs = effectiveRole(kind, t.role, t.createdBy ? { role: t.createdBy.memberships[0]?.role ?? null, disabled: false } : null);
  const user = kind === "user" && t.createdBy ? t.createdBy : null;
  return {
    user: user ? { id: user.id, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin } : null,
    token: {
      id: t.id,
      kind,
      name: t.name,
      scopes: parseScopes(t.scopes),
      role: kind === "workspace" && isRole(t.role) ? t.role : null,
      workloadId: t.workloadId,
      workloadName: kind === "workload" ? (t.workload?.name ?? null) : null,
      expiresAt: t.expiresAt,
    },
    workspace: { id: t.workspace.id, name: t.workspace.name, status: t.workspace.status as MeOutput["workspace"]["status"], role: actsAs },
  };
}

/**
 * Ends every dashboard session of the user the caller acts as, and answers how many were ended.
 * Authorization (lib/services/authorize.ts `actingUser`): a session's user, or a user token with
 * the `full` scope (its creator is signed out; API tokens keep working). Workspace and workload
 * tokens have no user, and read-only tokens do not write: 403. Audited as `user.sessions_revoke`,
 * with the token as the actor.
 */
export async function signOutEverywhere(actor: Actor): Promise<number> {
  return inTransaction(actor, async (tx) => {
    const userId = actingUser(actor, "write", "user.sessions_revoke");
    const r = await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
    await recordAudit(tx, actor, {
      workspaceId: null,
      action: "user.sessions_revoke",
      target: { type: "user", id: userId },
      metadata: { sessions: r.count },
    });
    return r.count;
  });
}

export type MyToken = { id: string; name: string; kind: TokenKind; state: "active" | "expired" | "cancelled"; prefix: string; lastFour: string; status: string; expiresAt: Date; lastUsedAt: Date | null; workspace: { id: string; name: string } };

/**
 * The tokens a signed-in user made, in the workspaces they are still a member of (a link to each
 * workspace's Tokens page): never a value, only the display fragments. Newest first, at most 200.
 */
export async function listMyTokens(actor: Actor): Promise<MyToken[]> {
  if (actor.type !== "user") throw new AppError("FORBIDDEN", "Only a signed-in user lists their own tokens");
  const rows = await db().token.findMany({
    where: { createdById: actor.userId, workspace: { memberships: { some: { userId: actor.userId } } } },
    select: { id: true, name: true, kind: true, prefix: true, lastFour: true, status: true, expiresAt: true, lastUsedAt: true, workspace: { select: { id: true, name: true } } },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  const now = Date.now();
  return rows.map((r) => ({
    ...r,
    kind: r.kind as TokenKind,
    state: r.status !== "active" ? "cancelled" : r.expiresAt.getTime() <= now ? "expired" : "active",
  }));
}
