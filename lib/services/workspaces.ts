// The workspace service: the one place where workspaces are read and changed.
import type { Actor } from "../auth/actor";
import { isRole, roleCan, type Role } from "../auth/permissions";
import { config } from "../config";
import type { Workspace } from "../generated/sqlite/client";
import { AppError, parseInput } from "../errors";
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
  type CreateWorkspaceInput,
  type MfaPolicyInput,
  type WorkloadEnvPolicyInput,
  type RenameWorkspaceInput,
  type TokenPolicyInput,
  type WorkspaceOutput,
} from "../schemas/workspace";
import type { z } from "zod";
import type { Tx } from "../db/client";
import { parseAllowedEnvNames } from "../secrets/loader-vars";
import { inBackground, mailActivationDecision, mailActivationRequest } from "./activation-mail";
import { recordAudit } from "./audit";
import { hit } from "./rate-limit";
import { requireRecentAuth } from "./sudo";
import { actingUser, authorize, authorizeRead, inRead, inTransaction, platformAdmin } from "./authorize";

export function present(w: Workspace, role: string | null): WorkspaceOutput {
  return {
    id: w.id,
    name: w.name,
    status: w.status as WorkspaceOutput["status"],
    role: isRole(role) ? role : null,
    personal: w.personal,
    activation: {
      organisation: w.activationOrg,
      useCase: w.activationUseCase,
      requestedAt: w.requestedAt,
      reviewedAt: w.reviewedAt,
      rejectionReason: w.rejectionReason,
    },
    sso: { domain: w.ssoDomain, defaultRole: (isRole(w.ssoDefaultRole) ? w.ssoDefaultRole : "member") as Role, required: w.ssoRequired },
    requireMfa: w.requireMfa,
    maxTokenLifetimeDays: w.maxTokenLifetimeDays,
    defaultTokenExpiryDays: Math.min(w.defaultTokenExpiryDays, w.maxTokenLifetimeDays),
    auditRetentionDays: w.auditRetentionDays,
    allowedEnvNames: parseAllowedEnvNames(w.allowedEnvNames),
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  };
}

/** What an inactive workspace cannot do yet (product.md: tokens for machines, workloads). */
export function assertActive(w: Pick<Workspace, "status">, what: string): void {
  if (w.status !== "active") {
    throw new AppError("FORBIDDEN", `This workspace is not active yet: ${what} is available once an admin approves it.`);
  }
}

/** New workspaces per user per hour (RATE_LIMITED with Retry-After past it). */
export const WORKSPACE_CREATE_LIMIT = 20;
const WORKSPACE_CREATE_WINDOW_MS = 60 * 60 * 1000;

/**
 * Creates a workspace with the acting user as its owner. Authorization: any signed-in user, or a
 * user token with the `full` scope (its creator becomes the owner; the token itself still acts only
 * in its own workspace). Workspace and workload tokens have no user, and read-only tokens do not
 * write: 403 (lib/services/authorize.ts `actingUser`).
 */
export async function createWorkspace(
  actor: Actor,
  input: CreateWorkspaceInput,
  opts: { personal?: boolean } = {},
): Promise<WorkspaceOutput> {
  const { name } = parseInput(createWorkspaceSchema, input);
  // Per user, on every instance (the database's counters): the API made creating workspaces
  // scriptable, and every new one lands in the platform admins' review list.
  const userId = actor.type === "user" ? actor.userId : actor.type === "token" && actor.kind === "user" ? actor.creatorId : null;
  if (userId) {
    const limit = await hit(`workspace-create:${userId}`, WORKSPACE_CREATE_WINDOW_MS);
    if (limit.count > WORKSPACE_CREATE_LIMIT) {
      throw new AppError("RATE_LIMITED", `At most ${WORKSPACE_CREATE_LIMIT} new workspaces an hour: try again later`, { retryAfterSeconds: limit.retryAfterSeconds });
    }
  }
  return inTransaction(actor, (tx) => {
    actingUser(actor, "write", "workspace.create");
    return createWorkspaceIn(tx, actor, name, opts.personal ?? false);
  });
}

/**
 * Creates a workspace owned by the user the actor acts as (a user token: its creator), with its
 * audit event (the actor, token or user, recorded as such), in the caller's transaction.
 */
export async function createWorkspaceIn(tx: Tx, actor: Actor, name: string, personal: boolean): Promise<WorkspaceOutput> {
  const ownerId = actingUser(actor, "write");
  const workspace = await tx.workspace.create({
    data: {
      name,
      personal,
      status: config().autoActivate ? "active" : "pending",
      createdById: ownerId,
      memberships: { create: { userId: ownerId, role: "owner" } },
    },
  });
  await recordAudit(tx, actor, {
    workspaceId: workspace.id,
    action: "workspace.create",
    target: { type: "workspace", id: workspace.id },
    metadata: { name, personal },
  });
  return present(workspace, "owner");
}

/** The workspaces the actor can see: a user's memberships, or a token's own workspace. */
export async function listWorkspaces(actor: Actor): Promise<WorkspaceOutput[]> {
  return inRead(actor, async (tx) => {
    if (actor.type === "user") {
      const memberships = await tx.membership.findMany({
        where: { userId: actor.userId },
        include: { workspace: true },
        orderBy: { createdAt: "asc" },
      });
      return memberships.map((m) => present(m.workspace, m.role));
    }
    if (actor.type === "token") {
      // A workload token is for run-time calls, and sees no workspace through the API (its
      // workspace answers 404 to it): an empty list, not an error the contract does not name.
      if (actor.kind === "workload") return [];
      const { workspace, role } = await authorizeRead(actor, actor.workspaceId, "workspace.read", {
        action: "workspace.list",
      });
      return [present(workspace, role)];
    }
    throw new AppError("FORBIDDEN", "Only users and tokens list workspaces");
  });
}

export async function getWorkspace(actor: Actor, workspaceId: string): Promise<WorkspaceOutput> {
  return inRead(actor, async () => {
    const { workspace, role } = await authorizeRead(actor, workspaceId, "workspace.read", {
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
  const { name } = parseInput(renameWorkspaceSchema, input);
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

/**
 * Deletes a workspace (`workspace.delete`: owners, or an owner's `full` user token or an owner-role
 * workspace token of this workspace), after the caller typed its name.
 */
export async function deleteWorkspace(actor: Actor, workspaceId: string, input: z.input<typeof deleteWorkspaceSchema>) {
  const { confirmName } = parseInput(deleteWorkspaceSchema, input);
  return inTransaction(actor, async (tx) => {
    const { workspace } = await authorize(tx, actor, workspaceId, "workspace.delete", {
      action: "workspace.delete",
      target: { type: "workspace", id: workspaceId },
    });
    if (confirmName.trim() !== workspace.name) {
      throw new AppError("VALIDATION_FAILED", "Type the workspace name exactly to confirm", {
        details: [{ path: "confirmName", message: "does not match the workspace name" }],
      });
    }
    // Sudo mode (SES-07): a dashboard session confirms it's the user first; tokens are not asked.
    requireRecentAuth(actor, "workspace.delete", { workspaceId, action: "workspace.delete", target: { type: "workspace", id: workspaceId } });
    // A binding's secret is ON DELETE RESTRICT (a secret in use is not deleted alone). PostgreSQL
    // checks it while the workspace's cascade deletes the secrets before the bindings, and refused
    // the deletion of any workspace with a bound secret (found by the fuzzer): the bindings go first.
    await tx.workloadBinding.deleteMany({ where: { workload: { workspaceId } } });
    await tx.workspace.delete({ where: { id: workspaceId } });
    await recordAudit(tx, actor, {
      workspaceId,
      action: "workspace.delete",
      target: { type: "workspace", id: workspaceId },
      metadata: { name: workspace.name },
    });
    return { id: workspaceId };
  });
}

/**
 * "Apply for access": pending or rejected -> requested (`workspace.activation.request`: owners and
 * admins; their user tokens too, while workspace tokens stop with an inactive workspace).
 */
export async function requestActivation(actor: Actor, workspaceId: string, input: z.input<typeof activationRequestSchema>) {
  const data = parseInput(activationRequestSchema, input);
  const requested = await inTransaction(actor, async (tx) => {
    const { role } = await authorize(tx, actor, workspaceId, "workspace.activation.request", {
      action: "workspace.activation.request",
      target: { type: "workspace", id: workspaceId },
    });
    return present(await applyIn(tx, actor, workspaceId, data), role);
  });
  // Platform admins hear of it once it has committed; in the background, never failing the request.
  inBackground("activation request", () => mailActivationRequest(workspaceId, actor));
  return requested;
}

/** The request itself (pending or rejected -> requested) and its audit event, in the caller's transaction, after its checks. */
async function applyIn(tx: Tx, actor: Actor, workspaceId: string, data: z.output<typeof activationRequestSchema>): Promise<Workspace> {
  const workspace = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  if (workspace.status === "active") throw new AppError("CONFLICT", "This workspace is already active");
  if (workspace.status === "requested") throw new AppError("CONFLICT", "A request is already waiting for review");
  const updated = await tx.workspace.update({
    where: { id: workspaceId },
    data: {
      status: "requested",
      activationOrg: data.organisation,
      activationUseCase: data.useCase,
      requestedAt: new Date(),
      rejectionReason: null,
    },
  });
  await recordAudit(tx, actor, {
    workspaceId,
    action: "workspace.activation.request",
    target: { type: "workspace", id: workspaceId },
    metadata: { organisation: data.organisation },
  });
  return updated;
}

/** What a platform admin's own request says when they approve it from the banner in one click. */
export const SELF_APPROVAL_USE_CASE = "Approved from the workspace by a platform admin (self-approval).";

/**
 * "Approve now" (the activation banner, for a platform admin who owns or administers the
 * workspace): the request and its approval in one transaction, audited exactly as the two steps
 * are when taken apart (`workspace.activation.request`, then `workspace.activation.approve`).
 * Authorization: both rules, `workspace.activation.request` in this workspace and `platformAdmin`
 * for the review. A pending or rejected workspace applies and is approved; one that already applied
 * (`requested`) is approved as on the Admin page; an active one is a 409. No mail: the admin is the
 * reviewer and, here, the requester.
 */
export async function approveOwnWorkspace(actor: Actor, workspaceId: string, input: Partial<z.input<typeof activationRequestSchema>> = {}) {
  return inTransaction(actor, async (tx) => {
    const { workspace, role } = await authorize(tx, actor, workspaceId, "workspace.activation.request", {
      action: "workspace.activation.request",
      target: { type: "workspace", id: workspaceId },
    });
    const adminId = await platformAdmin(actor, "write", tx, "workspace.activation.review");
    const organisation = input.organisation ?? (workspace.name.trim().length >= 2 ? workspace.name : `${workspace.name} workspace`);
    const data = parseInput(activationRequestSchema, { organisation, useCase: input.useCase ?? SELF_APPROVAL_USE_CASE });
    if (workspace.status !== "requested") await applyIn(tx, actor, workspaceId, data);
    return present(await reviewIn(tx, actor, adminId, workspaceId, { decision: "approve" }), role);
  });
}

/**
 * Platform admins: workspaces by activation state (requests first). Authorization: a platform
 * admin's session, or a user token (`read` or `full` scope) whose creator is a platform admin now
 * (lib/services/authorize.ts `platformAdmin`); anyone else 403.
 */
export async function listWorkspacesForReview(actor: Actor, status: "requested" | "pending" | "active" | "rejected" | "all" = "requested") {
  return inTransaction(actor, async (tx) => {
    await platformAdmin(actor, "read", tx, "workspace.activation.list");
    const rows = await tx.workspace.findMany({
      where: status === "all" ? {} : { status },
      orderBy: [{ requestedAt: "asc" }, { createdAt: "asc" }],
      take: 200,
      include: { createdBy: { select: { email: true } }, _count: { select: { memberships: true } } },
    });
    return rows.map((w) => ({ ...present(w, null), createdBy: w.createdBy?.email ?? null, members: w._count.memberships }));
  });
}

/** Platform admins (as listWorkspacesForReview): how many workspaces wait for review (the Admin link's badge). */
export async function countActivationRequests(actor: Actor): Promise<number> {
  return inTransaction(actor, async (tx) => {
    await platformAdmin(actor, "read", tx, "workspace.activation.list");
    return tx.workspace.count({ where: { status: "requested" } });
  });
}

/**
 * Platform admins approve (-> active) or reject (-> rejected, with a reason) a workspace that applied
 * (`requested`). Anything else is a 409: a workspace that never applied (pending), was already
 * reviewed (active, rejected) or changed meanwhile (the update is conditional on `requested`).
 * Authorization: a platform admin's session, or a `full`-scope user token whose creator is a
 * platform admin now (`platformAdmin`); anyone else 403. The audit records the token as the actor,
 * and its creator as the reviewer.
 */
export async function reviewActivation(actor: Actor, workspaceId: string, input: z.input<typeof activationReviewSchema>) {
  const reviewed = await inTransaction(actor, async (tx) => {
    const adminId = await platformAdmin(actor, "write", tx, "workspace.activation.review");
    const data = parseInput(activationReviewSchema, input);
    return present(await reviewIn(tx, actor, adminId, workspaceId, data), null);
  });
  // The requester hears the decision (and the reason) once it has committed, in the background.
  inBackground("activation decision", () => mailActivationDecision(workspaceId));
  return reviewed;
}

/** The review (requested -> active or rejected) and its audit event, in the caller's transaction, after `platformAdmin`. */
async function reviewIn(tx: Tx, actor: Actor, adminId: string, workspaceId: string, data: z.output<typeof activationReviewSchema>): Promise<Workspace> {
  const workspace = await tx.workspace.findUnique({ where: { id: workspaceId } });
  if (!workspace) throw new AppError("NOT_FOUND", "Workspace not found");
  const notRequested = (status: string) =>
    new AppError(
      "CONFLICT",
      status === "active"
        ? "Already active"
        : status === "rejected"
          ? "Already rejected: it can be reviewed again once its owners apply again"
          : "This workspace has not applied for access: only a requested workspace can be approved or rejected",
    );
  if (workspace.status !== "requested") throw notRequested(workspace.status);
  // Conditional: of two reviews at the same moment, the second finds the workspace reviewed.
  const reviewed = await tx.workspace.updateMany({
    where: { id: workspaceId, status: "requested" },
    data:
      data.decision === "approve"
        ? { status: "active", reviewedAt: new Date(), reviewedById: adminId, rejectionReason: null }
        : { status: "rejected", reviewedAt: new Date(), reviewedById: adminId, rejectionReason: data.reason },
  });
  if (reviewed.count !== 1) throw new AppError("CONFLICT", "This workspace was reviewed or changed at the same moment; reload and try again");
  const updated = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  await recordAudit(tx, actor, {
    workspaceId,
    action: data.decision === "approve" ? "workspace.activation.approve" : "workspace.activation.reject",
    target: { type: "workspace", id: workspaceId },
    metadata: data.decision === "reject" ? { reason: data.reason } : {},
  });
  return updated;
}

/** SSO binding: claim an email domain (SSO users of it join with a default role), require SSO. */
export async function updateSsoSettings(actor: Actor, workspaceId: string, input: z.input<typeof ssoSettingsSchema>) {
  const data = parseInput(ssoSettingsSchema, input);
  return inTransaction(actor, async (tx) => {
    const { workspace, role } = await authorize(tx, actor, workspaceId, "workspace.update", {
      action: "workspace.sso.update",
      target: { type: "workspace", id: workspaceId },
    });
    const refused = (message: string) => {
      const err = new AppError("FORBIDDEN", message);
      err.denied = { workspaceId, action: "workspace.sso.update", target: { type: "workspace", id: workspaceId } };
      return err;
    };
    if (data.ssoDomain && data.ssoDomain !== workspace.ssoDomain) {
      // Proof of the domain: the claimer signed in through SSO with an address of that domain.
      // Personal workspaces cannot claim a domain (every user owns one).
      if (workspace.personal) throw refused("Personal workspaces cannot claim an email domain; create a team workspace");
      const ownDomain = actor.type === "user" && actor.authMethod === "oidc" ? actor.email.split("@")[1] : null;
      if (ownDomain !== data.ssoDomain) throw refused(`Sign in with SSO as someone at ${data.ssoDomain} to claim it`);
      const taken = await tx.workspace.findUnique({ where: { ssoDomain: data.ssoDomain } });
      if (taken) throw new AppError("CONFLICT", `Another workspace has already claimed ${data.ssoDomain}`);
      // Sudo mode (SES-07): claiming a domain lets its SSO users in; asked once the claim would succeed.
      requireRecentAuth(actor, "workspace.sso_domain_claim", { workspaceId, action: "workspace.sso.update", target: { type: "workspace", id: workspaceId }, metadata: { domain: data.ssoDomain } });
    }
    // Requiring SSO shuts every password session out of the workspace, owners included. Only someone
    // signed in through SSO may turn it on (proof that SSO works for them, so that nobody locks the
    // workspace out): a password session gets 400 as before, and a token (which proves nothing
    // about SSO, and may be a CI credential) gets 403, audited. Keeping it on, or turning it off,
    // stays open to any caller with workspace.update.
    if (data.ssoRequired && !workspace.ssoRequired) {
      if (actor.type === "user" && actor.authMethod === "password") {
        throw new AppError("BAD_REQUEST", "Sign in with SSO before requiring it, so that you cannot lock yourself out");
      }
      if (actor.type !== "user" || actor.authMethod !== "oidc") throw refused("Requiring SSO is turned on from a dashboard session signed in with SSO, so that nobody locks the workspace out");
    }
    const updated = await tx.workspace.update({
      where: { id: workspaceId },
      data: { ssoDomain: data.ssoDomain, ssoDefaultRole: data.ssoDefaultRole, ssoRequired: data.ssoRequired },
    });
    await recordAudit(tx, actor, {
      workspaceId,
      action: "workspace.sso.update",
      target: { type: "workspace", id: workspaceId },
      metadata: { domain: data.ssoDomain, defaultRole: data.ssoDefaultRole, required: data.ssoRequired },
    });
    return present(updated, role);
  });
}

/**
 * The token policy: the longest lifetime (days) of new and renewed tokens, and the default lifetime
 * of a new token whose expiry is not given. Lowering the maximum does not shorten tokens that
 * already exist; it applies from their next renewal. A default above the maximum is refused (422);
 * an omitted default stays, lowered to the new maximum when it is above it.
 */
export async function updateTokenPolicy(actor: Actor, workspaceId: string, input: TokenPolicyInput): Promise<WorkspaceOutput> {
  const data = parseInput(tokenPolicySchema, input);
  const max = data.maxTokenLifetimeDays;
  if (data.defaultTokenExpiryDays !== undefined && data.defaultTokenExpiryDays > max) {
    throw new AppError("VALIDATION_FAILED", `The default token expiry must be at most the maximum token lifetime (${max} days)`, {
      details: [{ path: "defaultTokenExpiryDays", message: `must be at most the maximum token lifetime (${max} days)` }],
    });
  }
  return inTransaction(actor, async (tx) => {
    const { workspace, role } = await authorize(tx, actor, workspaceId, "workspace.update", {
      action: "workspace.token_policy.update",
      target: { type: "workspace", id: workspaceId },
    });
    const defaultDays = data.defaultTokenExpiryDays ?? Math.min(workspace.defaultTokenExpiryDays, max);
    const defaultChanged = workspace.defaultTokenExpiryDays !== defaultDays;
    if (workspace.maxTokenLifetimeDays === max && !defaultChanged) return present(workspace, role);
    const updated = await tx.workspace.update({
      where: { id: workspaceId },
      data: { maxTokenLifetimeDays: max, defaultTokenExpiryDays: defaultDays },
    });
    await recordAudit(tx, actor, {
      workspaceId,
      action: "workspace.token_policy.update",
      target: { type: "workspace", id: workspaceId },
      // from/to: the maximum lifetime (as before the default existed); the default only when it changed.
      metadata: {
        from: workspace.maxTokenLifetimeDays,
        to: max,
        ...(defaultChanged ? { defaultFrom: workspace.defaultTokenExpiryDays, defaultTo: defaultDays } : {}),
      },
    });
    return present(updated, role);
  });
}

/**
 * "Require a second factor": members signed in to the dashboard with a password cannot use the
 * workspace without a second factor (enforced by authorize.ts `check`, for every service). SSO
 * sessions are trusted to their identity provider, and API tokens carry their own limits: neither
 * is affected. A password session without a second factor cannot turn it on (it would shut itself
 * out): 400, nothing changed. Owners and admins (`workspace.update`); audited with the change.
 */
export async function updateMfaPolicy(actor: Actor, workspaceId: string, input: MfaPolicyInput): Promise<WorkspaceOutput> {
  const data = parseInput(mfaPolicySchema, input);
  return inTransaction(actor, async (tx) => {
    const target = { type: "workspace", id: workspaceId };
    const { workspace, role } = await authorize(tx, actor, workspaceId, "workspace.update", { action: "workspace.mfa_policy.update", target });
    if (workspace.requireMfa === data.requireMfa) return present(workspace, role);
    if (data.requireMfa && actor.type === "user" && actor.authMethod === "password" && actor.hasMfa !== true) {
      throw new AppError("BAD_REQUEST", "Turn on a second factor for your own account first (Account settings), so that you do not shut yourself out of this workspace");
    }
    const updated = await tx.workspace.update({ where: { id: workspaceId }, data: { requireMfa: data.requireMfa } });
    await recordAudit(tx, actor, { workspaceId, action: "workspace.mfa_policy.update", target, metadata: { from: workspace.requireMfa, to: data.requireMfa } });
    return present(updated, role);
  });
}

/**
 * The members of a workspace who sign in with a password and have no second factor: the ones a
 * "require a second factor" policy keeps out (their SSO sessions still pass). For the Members page
 * of those who can change the policy (`workspace.update`); others get an empty list.
 */
export async function membersWithoutSecondFactor(actor: Actor, workspaceId: string): Promise<string[]> {
  return inRead(actor, async (db) => {
    const { role } = await authorizeRead(actor, workspaceId, "member.read", { action: "member.list", target: { type: "workspace", id: workspaceId } });
    if (role === null || !roleCan(role, "workspace.update")) return [];
    const rows = await db.membership.findMany({
      where: { workspaceId, user: { passwordHash: { not: null }, totpEnabledAt: null } },
      select: { userId: true },
    });
    return rows.map((r) => r.userId);
  });
}

/**
 * Which code-loading variable names (PATH, LD_PRELOAD, NODE_OPTIONS, …) this workspace's workloads
 * may set: refused by default (see lib/secrets/loader-vars.ts). Admins and owners; audited with the
 * names added and removed. Removing a name does not edit workloads: the env endpoint leaves the
 * variable out from then on, and the next edit of such a workload must drop it.
 */
export async function updateWorkloadEnvPolicy(actor: Actor, workspaceId: string, input: WorkloadEnvPolicyInput): Promise<WorkspaceOutput> {
  const data = parseInput(workloadEnvPolicySchema, input);
  return inTransaction(actor, async (tx) => {
    const target = { type: "workspace", id: workspaceId };
    const { workspace, role } = await authorize(tx, actor, workspaceId, "workspace.update", { action: "workspace.workload_env_policy.update", target });
    const before = parseAllowedEnvNames(workspace.allowedEnvNames);
    const added = data.allowedEnvNames.filter((n) => !before.includes(n));
    const removed = before.filter((n) => !data.allowedEnvNames.includes(n));
    if (!added.length && !removed.length) return present(workspace, role);
    const updated = await tx.workspace.update({ where: { id: workspaceId }, data: { allowedEnvNames: data.allowedEnvNames.join(",") } });
    await recordAudit(tx, actor, {
      workspaceId,
      action: "workspace.workload_env_policy.update",
      target,
      metadata: { allowedEnvNames: data.allowedEnvNames, added, removed },
    });
    return present(updated, role);
  });
}
