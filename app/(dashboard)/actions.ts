"use server";

// Server actions of the dashboard. Each one only parses input, calls a service with the
// session actor, and returns { ok, data } | { ok: false, error }.
import { z } from "zod";
import type { Actor, UserActor } from "@/lib/auth/actor";
import { defineAction } from "@/lib/http/action";
import { idSchema } from "@/lib/schemas/common";
import {
  activationRequestSchema,
  activationReviewSchema,
  createWorkspaceSchema,
  deleteWorkspaceSchema,
  mfaPolicySchema,
  renameWorkspaceSchema,
  ssoSettingsSchema,
  tokenPolicySchema,
  workloadEnvPolicySchema,
  workspaceSchema,
} from "@/lib/schemas/workspace";
import { createdTokenSchema, createTokenSchema, tokenSchema, updateTokenSchema } from "@/lib/schemas/token";
import { createToken, deleteToken, updateToken } from "@/lib/services/tokens";
import { signOutEverywhere } from "@/lib/services/account";
import { revokeUserSessions } from "@/lib/services/sessions";
import { setUserDisabled } from "@/lib/services/users";
import { markEmailVerified } from "@/lib/services/verification";
import {
  approveOwnWorkspace,
  createWorkspace,
  deleteWorkspace,
  renameWorkspace,
  requestActivation,
  reviewActivation,
  updateMfaPolicy,
  updateSsoSettings,
  updateTokenPolicy,
  updateWorkloadEnvPolicy,
} from "@/lib/services/workspaces";
import { AppError } from "@/lib/errors";

const ws = { workspaceId: idSchema };

function asUser(actor: Actor): UserActor {
  if (actor.type !== "user") throw new AppError("FORBIDDEN", "Only signed-in users can do this");
  return actor;
}

export const createWorkspaceAction = defineAction({
  input: createWorkspaceSchema,
  output: workspaceSchema,
  handler: (actor, input) => createWorkspace(asUser(actor), input),
});

export const renameWorkspaceAction = defineAction({
  input: renameWorkspaceSchema.extend(ws),
  output: workspaceSchema,
  handler: (actor, { workspaceId, ...input }) => renameWorkspace(actor, workspaceId, input),
});

export const deleteWorkspaceAction = defineAction({
  input: deleteWorkspaceSchema.extend(ws),
  output: z.object({ id: z.string() }),
  handler: (actor, { workspaceId, ...input }) => deleteWorkspace(actor, workspaceId, input),
});

export const requestActivationAction = defineAction({
  input: activationRequestSchema.extend(ws),
  output: workspaceSchema,
  handler: (actor, { workspaceId, ...input }) => requestActivation(actor, workspaceId, input),
});

/** The activation banner's "Approve now": a platform admin applies for and approves their own workspace. */
export const approveOwnWorkspaceAction = defineAction({
  input: z.object(ws),
  output: workspaceSchema,
  handler: (actor, { workspaceId }) => approveOwnWorkspace(actor, workspaceId),
});

export const reviewActivationAction = defineAction({
  input: z.object({ workspaceId: idSchema, review: activationReviewSchema }),
  output: workspaceSchema,
  handler: (actor, { workspaceId, review }) => reviewActivation(actor, workspaceId, review),
});

export const updateSsoAction = defineAction({
  input: ssoSettingsSchema.extend(ws),
  output: workspaceSchema,
  handler: (actor, { workspaceId, ...input }) => updateSsoSettings(actor, workspaceId, input),
});

export const signOutEverywhereAction = defineAction({
  input: z.object({}),
  output: z.object({ sessions: z.number() }),
  handler: async (actor) => ({ sessions: await signOutEverywhere(asUser(actor)) }),
});

export const setUserDisabledAction = defineAction({
  input: z.object({ userId: idSchema, disabled: z.boolean({ error: "must be true or false" }) }),
  output: z.object({ ok: z.literal(true) }),
  handler: async (actor, { userId, disabled }) => {
    await setUserDisabled(asUser(actor), userId, disabled);
    return { ok: true as const };
  },
});

export const revokeUserSessionsAction = defineAction({
  input: z.object({ userId: idSchema }),
  output: z.object({ sessions: z.number() }),
  handler: (actor, { userId }) => revokeUserSessions(asUser(actor), userId),
});

/** Admin page: "Mark verified" (platform admins; audited as user.email_verify with {by: "admin"}). */
export const markEmailVerifiedAction = defineAction({
  input: z.object({ userId: idSchema }),
  output: z.object({ ok: z.literal(true) }),
  handler: async (actor, { userId }) => {
    await markEmailVerified(asUser(actor), userId);
    return { ok: true as const };
  },
});

// Tokens: the value leaves the server once, in the response of createTokenAction.

export const createTokenAction = defineAction({
  input: z.object({ workspaceId: idSchema, token: createTokenSchema }),
  output: createdTokenSchema,
  handler: (actor, { workspaceId, token }) => createToken(actor, workspaceId, token),
});

export const updateTokenAction = defineAction({
  input: z.object({ workspaceId: idSchema, tokenId: idSchema, change: updateTokenSchema }),
  output: tokenSchema,
  handler: (actor, { workspaceId, tokenId, change }) => updateToken(actor, workspaceId, tokenId, change),
});

export const deleteTokenAction = defineAction({
  input: z.object({ workspaceId: idSchema, tokenId: idSchema }),
  output: z.object({ id: z.string() }),
  handler: (actor, { workspaceId, tokenId }) => deleteToken(actor, workspaceId, tokenId),
});

export const updateTokenPolicyAction = defineAction({
  input: tokenPolicySchema.extend(ws),
  output: workspaceSchema,
  handler: (actor, { workspaceId, ...input }) => updateTokenPolicy(actor, workspaceId, input),
});

export const updateMfaPolicyAction = defineAction({
  input: mfaPolicySchema.extend(ws),
  output: workspaceSchema,
  handler: (actor, { workspaceId, ...input }) => updateMfaPolicy(actor, workspaceId, input),
});

export const updateWorkloadEnvPolicyAction = defineAction({
  input: workloadEnvPolicySchema.extend(ws),
  output: workspaceSchema,
  handler: (actor, { workspaceId, ...input }) => updateWorkloadEnvPolicy(actor, workspaceId, input),
});
