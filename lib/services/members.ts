// Members of a workspace: list, change roles, remove, leave. Invitations are in ./invitations.
//
// Rules (product.md, security.md AUTHZ-07):
// - only owners grant or remove `owner`, and nobody grants a role above their own;
// - a workspace always keeps at least one owner, also when two owners act at the same moment
//   (the workspace row is locked for the transaction on PostgreSQL; SQLite transactions are serial);
// - a removed member's user tokens for the workspace are cancelled in the same transaction
//   (authentication also refuses them at once: a user token acts with its creator's current role).
import { actorUserId, type Actor } from "../auth/actor";
import { ROLE_RANK, isRole, type Role } from "../auth/permissions";
import { lockWorkspace, type Db, type Tx } from "../db/client";
import type { Membership } from "../generated/sqlite/client";
import { AppError, forbidden, notFound, parseInput } from "../errors";
import { updateMemberRoleSchema, type MemberOutput, type UpdateMemberRoleInput } from "../schemas/member";
import { recordAudit } from "./audit";
import { authorize, inRead, inTransaction, authorizeRead } from "./authorize";

const ACTIVITY_RESOLUTION_MS = 5 * 60_000;

export async function listMembers(actor: Actor, workspaceId: string): Promise<MemberOutput[]> {
  return inRead(actor, async (db) => {
    await authorizeRead(actor, workspaceId, "member.read", { action: "member.list", target: { type: "workspace", id: workspaceId } });
    const rows = await db.membership.findMany({
      where: { workspaceId },
      include: { user: { select: { email: true, name: true } } },
      orderBy: { createdAt: "asc" },
    });
    // Last activity: the dashboard (noted on the membership) or the API (the member's tokens here).
    const tokenUse = await db.token.groupBy({
      by: ["createdById"],
      where: { workspaceId, kind: "user", lastUsedAt: { not: null } },
      _max: { lastUsedAt: true },
    });
    const usedAt = new Map(tokenUse.map((t) => [t.createdById, t._max.lastUsedAt]));
    return rows.map((m) => {
      const viaToken = usedAt.get(m.userId) ?? null;
      const lastActiveAt = [m.lastActiveAt, viaToken].filter((d): d is Date => !!d).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
      return { userId: m.userId, email: m.user.email, name: m.user.name, role: isRole(m.role) ? m.role : "viewer", joinedAt: m.createdAt, lastActiveAt };
    });
  });
}

/** Notes that a user is active in a workspace (dashboard visits); at most one write per 5 minutes. */
export async function noteMemberActivity(actor: Actor, workspaceId: string, now = new Date()): Promise<void> {
  if (actor.type !== "user") return;
  await inTransaction(actor, (tx) =>
    tx.membership.updateMany({
      where: {
        workspaceId,
        userId: actor.userId,
        OR: [{ lastActiveAt: null }, { lastActiveAt: { lt: new Date(now.getTime() - ACTIVITY_RESOLUTION_MS) } }],
      },
      data: { lastActiveAt: now },
    }),
  );
}

async function membershipOf(tx: Tx | Db, workspaceId: string, userId: string): Promise<Membership> {
  const m = await tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } });
  if (!m) throw notFound("Member");
  return m;
}

/**
 * Who may change `target` to `newRole` (null: remove): the owner rule and the rank rule.
 * `actorRole` null is the system (maintenance), which may do anything.
 */
export function checkRoleChange(actorRole: Role | null, targetRole: Role, newRole: Role | null): string | null {
  if (actorRole === null) return null;
  if ((targetRole === "owner" || newRole === "owner") && actorRole !== "owner") {
    return newRole === null ? "Only owners can remove an owner" : "Only owners can grant or remove the owner role";
  }
  if (ROLE_RANK[targetRole] > ROLE_RANK[actorRole]) return "You cannot change a member whose role is above your own";
  if (newRole && ROLE_RANK[newRole] > ROLE_RANK[actorRole]) return "You cannot grant a role above your own";
  return null;
}

/**
 * Throws CONFLICT when the change would leave the workspace without an owner (run after the change).
 * The refusal is a denied attempt: `inTransaction` records it (`result: denied`) after the rollback.
 */
async function assertAnOwnerRemains(tx: Tx, workspaceId: string, what: string, denied: { action: string; userId: string }): Promise<void> {
  const owners = await tx.membership.count({ where: { workspaceId, role: "owner" } });
  if (owners === 0) {
    const err = new AppError("CONFLICT", `${what}: a workspace needs at least one owner. Make another member an owner first.`);
    err.denied = { workspaceId, action: denied.action, target: { type: "user", id: denied.userId }, metadata: { reason: "last_owner" } };
    throw err;
  }
}

/** Cancels the member's user tokens in the workspace; returns how many. */
async function cancelUserTokens(tx: Tx, workspaceId: string, userId: string): Promise<number> {
  const res = await tx.token.updateMany({
    where: { workspaceId, createdById: userId, kind: "user", status: "active" },
    data: { status: "cancelled", cancelledAt: new Date() },
  });
  return res.count;
}

export async function updateMemberRole(actor: Actor, workspaceId: string, userId: string, input: UpdateMemberRoleInput): Promise<MemberOutput> {
  const { role } = parseInput(updateMemberRoleSchema, input);
  const target = { type: "user", id: userId };
  return inTransaction(actor, async (tx) => {
    await lockWorkspace(tx, workspaceId);
    const access = await authorize(tx, actor, workspaceId, "member.update", { action: "member.role.update", target });
    const m = await membershipOf(tx, workspaceId, userId);
    const from = isRole(m.role) ? m.role : "viewer";
    const refusal = checkRoleChange(access.role, from, role);
    if (refusal) {
      const err = forbidden(refusal);
      err.denied = { workspaceId, action: "member.role.update", target };
      throw err;
    }
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, name: true } });
    const present = (r: Role, at: Membership) => ({ userId, email: user.email, name: user.name, role: r, joinedAt: at.createdAt, lastActiveAt: at.lastActiveAt });
    if (from === role) return present(role, m);
    const updated = await tx.membership.update({ where: { id: m.id }, data: { role } });
    if (from === "owner") await assertAnOwnerRemains(tx, workspaceId, "The last owner cannot be demoted", { action: "member.role.update", userId });
    await recordAudit(tx, actor, { workspaceId, action: "member.role.update", target, metadata: { email: user.email, from, to: role } });
    return present(role, updated);
  });
}

export async function removeMember(actor: Actor, workspaceId: string, userId: string): Promise<{ userId: string; tokensCancelled: number }> {
  const target = { type: "user", id: userId };
  return inTransaction(actor, async (tx) => {
    await lockWorkspace(tx, workspaceId);
    const access = await authorize(tx, actor, workspaceId, "member.remove", { action: "member.remove", target });
    const m = await membershipOf(tx, workspaceId, userId);
    const role = isRole(m.role) ? m.role : "viewer";
    const refusal = checkRoleChange(access.role, role, null);
    if (refusal) {
      const err = forbidden(refusal);
      err.denied = { workspaceId, action: "member.remove", target };
      throw err;
    }
    return removeMembership(tx, actor, m, role, "member.remove", "The last owner cannot be removed");
  });
}

/** Leaves a workspace (the acting user, or a user token's creator). The last owner cannot leave. */
export async function leaveWorkspace(actor: Actor, workspaceId: string): Promise<{ userId: string; tokensCancelled: number }> {
  return inTransaction(actor, async (tx) => {
    await lockWorkspace(tx, workspaceId);
    const userId = actorUserId(actor);
    const target = { type: "user", id: userId };
    await authorize(tx, actor, workspaceId, "member.leave", { action: "member.leave", target });
    if (!userId) throw new AppError("FORBIDDEN", "Only a member (or their user token) can leave a workspace");
    const m = await membershipOf(tx, workspaceId, userId);
    const role = isRole(m.role) ? m.role : "viewer";
    return removeMembership(tx, actor, m, role, "member.leave", "The last owner cannot leave");
  });
}

async function removeMembership(tx: Tx, actor: Actor, m: Membership, role: Role, action: string, lastOwner: string) {
  const { workspaceId, userId } = m;
  await tx.membership.delete({ where: { id: m.id } });
  if (role === "owner") await assertAnOwnerRemains(tx, workspaceId, lastOwner, { action, userId });
  const tokensCancelled = await cancelUserTokens(tx, workspaceId, userId);
  const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true } });
  await recordAudit(tx, actor, { workspaceId, action, target: { type: "user", id: userId }, metadata: { email: user?.email ?? null, role, tokensCancelled } });
  return { userId, tokensCancelled };
}
