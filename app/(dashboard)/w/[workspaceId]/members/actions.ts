"use server";

// Server actions of the Members, Invitations pages and the invitation accept page. Each one only
// parses input, calls a service with the session actor, and returns { ok, data } | { ok: false, error }.
import { z } from "zod";
import type { Actor, UserActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { defineAction } from "@/lib/http/action";
import { idSchema } from "@/lib/schemas/common";
import {
  acceptInvitationSchema,
  createdInvitationSchema,
  createInvitationSchema,
  invitationSchema,
  memberSchema,
  reissueInvitationSchema,
  updateMemberRoleSchema,
} from "@/lib/schemas/member";
import { acceptInvitation, createInvitation, reissueInvitation, revokeInvitation } from "@/lib/services/invitations";
import { leaveWorkspace, removeMember, updateMemberRole } from "@/lib/services/members";

function asUser(actor: Actor): UserActor {
  if (actor.type !== "user") throw new AppError("FORBIDDEN", "Only signed-in users can do this");
  return actor;
}

const removed = z.object({ userId: z.string(), tokensCancelled: z.number().int() });

export const inviteAction = defineAction({
  input: z.object({ workspaceId: idSchema, invitation: createInvitationSchema }),
  output: createdInvitationSchema,
  handler: (actor, { workspaceId, invitation }) => createInvitation(actor, workspaceId, invitation),
});

export const revokeInvitationAction = defineAction({
  input: z.object({ workspaceId: idSchema, invitationId: idSchema }),
  output: invitationSchema,
  handler: (actor, { workspaceId, invitationId }) => revokeInvitation(actor, workspaceId, invitationId),
});

export const reissueInvitationAction = defineAction({
  input: z.object({ workspaceId: idSchema, invitationId: idSchema, change: reissueInvitationSchema }),
  output: createdInvitationSchema,
  handler: (actor, { workspaceId, invitationId, change }) => reissueInvitation(actor, workspaceId, invitationId, change),
});

export const updateMemberRoleAction = defineAction({
  input: z.object({ workspaceId: idSchema, userId: idSchema, change: updateMemberRoleSchema }),
  output: memberSchema,
  handler: (actor, { workspaceId, userId, change }) => updateMemberRole(actor, workspaceId, userId, change),
});

export const removeMemberAction = defineAction({
  input: z.object({ workspaceId: idSchema, userId: idSchema }),
  output: removed,
  handler: (actor, { workspaceId, userId }) => removeMember(actor, workspaceId, userId),
});

export const leaveWorkspaceAction = defineAction({
  input: z.object({ workspaceId: idSchema }),
  output: removed,
  handler: (actor, { workspaceId }) => leaveWorkspace(actor, workspaceId),
});

export const acceptInvitationAction = defineAction({
  input: acceptInvitationSchema,
  output: z.object({ workspaceId: z.string(), role: z.string() }),
  handler: (actor, { code }) => acceptInvitation(asUser(actor), code),
});
