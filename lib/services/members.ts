// Members of a workspace. (Invitations, role changes and removal arrive with the members issue.)
import type { Actor } from "../auth/actor";
import { isRole, type Role } from "../auth/permissions";
import { authorize, inTransaction } from "./authorize";

export type MemberOutput = {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  joinedAt: Date;
  lastActiveAt: Date | null;
};

export async function listMembers(actor: Actor, workspaceId: string): Promise<MemberOutput[]> {
  return inTransaction(actor, async (tx) => {
    await authorize(tx, actor, workspaceId, "member.read", { action: "member.list", target: { type: "workspace", id: workspaceId } });
    const rows = await tx.membership.findMany({
      where: { workspaceId },
      include: { user: { select: { email: true, name: true, lastActiveAt: true } } },
      orderBy: { createdAt: "asc" },
    });
    return rows.map((m) => ({
      userId: m.userId,
      email: m.user.email,
      name: m.user.name,
      role: isRole(m.role) ? m.role : "viewer",
      joinedAt: m.createdAt,
      lastActiveAt: m.lastActiveAt ?? m.user.lastActiveAt,
    }));
  });
}
