// The workspace service: the one place where workspaces are read and changed.
import type { Actor, UserActor } from "../auth/actor";
import { isRole } from "../auth/permissions";
import { config } from "../config";
import type { Workspace } from "../generated/sqlite/client";
import { AppError } from "../errors";
import {
  createWorkspaceSchema,
  renameWorkspaceSchema,
  type CreateWorkspaceInput,
  type RenameWorkspaceInput,
  type WorkspaceOutput,
} from "../schemas/workspace";
import { recordAudit } from "./audit";
import { authorize, inTransaction } from "./authorize";

function present(w: Workspace, role: string | null): WorkspaceOutput {
  return {
    id: w.id,
    name: w.name,
    status: w.status as WorkspaceOutput["status"],
    role: isRole(role) ? role : null,
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  };
}

/** Creates a workspace with the acting user as its owner. */
export async function createWorkspace(
  actor: UserActor,
  input: CreateWorkspaceInput,
  opts: { personal?: boolean } = {},
): Promise<WorkspaceOutput> {
  const { name } = createWorkspaceSchema.parse(input);
  return inTransaction(actor, async (tx) => {
    const workspace = await tx.workspace.create({
      data: {
        name,
        personal: opts.personal ?? false,
        status: config().autoActivate ? "active" : "pending",
        createdById: actor.userId,
        memberships: { create: { userId: actor.userId, role: "owner" } },
      },
    });
    await recordAudit(tx, actor, {
      workspaceId: workspace.id,
      action: "workspace.create",
      target: { type: "workspace", id: workspace.id },
      metadata: { name },
    });
    return present(workspace, "owner");
  });
}

/** The workspaces the actor can see: a user's memberships, or a token's own workspace. */
export async function listWorkspaces(actor: Actor): Promise<WorkspaceOutput[]> {
  return inTransaction(actor, async (tx) => {
    if (actor.type === "user") {
      const memberships = await tx.membership.findMany({
        where: { userId: actor.userId },
        include: { workspace: true },
        orderBy: { createdAt: "asc" },
      });
      return memberships.map((m) => present(m.workspace, m.role));
    }
    if (actor.type === "token") {
      const { workspace, role } = await authorize(tx, actor, actor.workspaceId, "workspace.read", {
        action: "workspace.list",
      });
      return [present(workspace, role)];
    }
    throw new AppError("FORBIDDEN", "Only users and tokens list workspaces");
  });
}

export async function getWorkspace(actor: Actor, workspaceId: string): Promise<WorkspaceOutput> {
  return inTransaction(actor, async (tx) => {
    const { workspace, role } = await authorize(tx, actor, workspaceId, "workspace.read", {
      action: "workspace.read",
      target: { type: "workspace", id: workspaceId },
    });
    return present(workspace, role);
  });
}

export async function renameWorkspace(
  actor: Actor,
  workspaceId: string,
  input: RenameWorkspaceInput,
): Promise<WorkspaceOutput> {
  const { name } = renameWorkspaceSchema.parse(input);
  return inTransaction(actor, async (tx) => {
    const { workspace, role } = await authorize(tx, actor, workspaceId, "workspace.update", {
      action: "workspace.update",
      target: { type: "workspace", id: workspaceId },
    });
    if (workspace.name === name) return present(workspace, role);
    const updated = await tx.workspace.update({ where: { id: workspace.id }, data: { name } });
    await recordAudit(tx, actor, {
      workspaceId,
      action: "workspace.update",
      target: { type: "workspace", id: workspaceId },
      metadata: { changed: ["name"], from: workspace.name, to: name },
    });
    return present(updated, role);
  });
}
