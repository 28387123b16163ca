// The authorization matrix (security.md AUTHZ-01/02/05, TOK-14), generated from the permission
// table: every service action × every role × own workspace and another workspace, then the same
// through HTTP for every /api/v1 route (no credentials, bad credentials, each role, a read-only
// token, another workspace, another workspace's ids), and through every server action.
//
// The expected answer comes from lib/auth/permissions.ts (roleCan), never from the code under
// test. A service function, route or server action that is neither in MATRIX nor in an EXEMPT
// list (with the reason) fails the "covers everything" tests, so nothing new slips past.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor, TokenActor, UserActor } from "@/lib/auth/actor";
import { resetFailureLimits } from "@/lib/auth/failure-limit";
import { PERMISSIONS, ROLES, roleCan, type Permission, type Role, type TokenScope } from "@/lib/auth/permissions";
import { operations } from "@/lib/contract";
import { METHODS, type Operation } from "@/lib/contract/define";
import { formatToken } from "@/lib/auth/token-format";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import * as audit from "@/lib/services/audit";
import * as device from "@/lib/services/device";
import * as invitations from "@/lib/services/invitations";
import * as members from "@/lib/services/members";
import * as secrets from "@/lib/services/secrets";
import * as tokens from "@/lib/services/tokens";
import * as workloads from "@/lib/services/workloads";
import * as workspaces from "@/lib/services/workspaces";
import { makeToken, makeUser, makeWorkspace, meta } from "../helpers/fixtures";
import { checkResponse } from "../helpers/openapi-check";

type Ctx = Record<string, string>;
type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
type Denial = "FORBIDDEN" | "NOT_FOUND";

type Entry = {
  permission: Permission;
  /** How a role without the permission is refused in its own workspace (NOT_FOUND where the target is hidden from it). */
  denied?: Denial;
  /** Run in a pending workspace (default: active). */
  pending?: boolean;
  /** Fresh targets for one call, made by the owner (ids named as the route's path parameters). */
  setup?: (ws: string, owner: UserActor) => Promise<Ctx>;
  call: (actor: Actor, ws: string, ctx: Ctx) => Promise<unknown>;
  /** `permission` overrides the entry's where the route's input decides it (e.g. the token kind). */
  route?: { method: Method; path: string; body?: (ctx: Ctx) => unknown; permission?: Permission };
  action?: { name: string; input: (ws: string, ctx: Ctx) => unknown };
};

const uniq = () => randomBytes(4).toString("hex");

// Targets: always the least powerful kind, so that only the permission decides (not the rank rules).
async function viewerTarget(ws: string): Promise<Ctx> {
  const u = await makeUser("target");
  await db().membership.create({ data: { workspaceId: ws, userId: u.userId, role: "viewer" } });
  return { userId: u.userId };
}
async function invitationTarget(ws: string, owner: UserActor): Promise<Ctx> {
  const created = await invitations.createInvitation(owner, ws, { email: `inv-${uniq()}@example.test`, role: "viewer" });
  return { invitationId: created.invitation.id };
}
async function tokenTarget(ws: string, owner: UserActor): Promise<Ctx> {
  const t = await tokens.createToken(owner, ws, { kind: "workspace", name: "target", role: "viewer" });
  return { tokenId: t.id };
}
async function secretTarget(ws: string, owner: UserActor): Promise<Ctx> {
  const created = await secrets.createSecret(owner, ws, { name: `shared-${uniq()}`, value: "s3cr3t-value", visibility: "public" });
  return { secretId: created.secret.id };
}
async function workloadTarget(ws: string, owner: UserActor): Promise<Ctx> {
  const w = await workloads.createWorkload(owner, ws, { name: `wl-${uniq()}`, kind: "job" });
  return { workloadId: w.id };
}
/** A device login that asks for the workspace (from its own address: starts are limited per address). */
let deviceStarts = 0;
async function deviceTarget(ws: string): Promise<Ctx> {
  const started = await device.startDevice({ machineName: "matrix-host", workspaceId: ws }, meta({ ip: `192.0.2.${++deviceStarts % 250}` }));
  return { userCode: started.userCode };
}
/** A second owner, so that an owner leaving is not the last one. */
async function secondOwner(ws: string): Promise<Ctx> {
  const u = await makeUser("owner2");
  await db().membership.create({ data: { workspaceId: ws, userId: u.userId, role: "owner" } });
  return {};
}

const W = "/api/v1/workspaces/[workspaceId]";

const MATRIX: Record<string, Entry> = {
  "workspaces.getWorkspace": {
    permission: "workspace.read",
    call: (a, ws) => workspaces.getWorkspace(a, ws),
    route: { method: "GET", path: W },
  },
  "workspaces.renameWorkspace": {
    permission: "workspace.update",
    call: (a, ws) => workspaces.renameWorkspace(a, ws, { name: `Renamed ${uniq()}` }),
    route: { method: "PATCH", path: W, body: () => ({ name: `Renamed ${uniq()}` }) },
    action: { name: "renameWorkspaceAction", input: (ws) => ({ workspaceId: ws, name: `Renamed ${uniq()}` }) },
  },
  "workspaces.deleteWorkspace": {
    permission: "workspace.delete",
    call: (a, ws) => workspaces.deleteWorkspace(a, ws, { confirmName: "Acme" }),
    route: { method: "DELETE", path: W, body: () => ({ confirmName: "Acme" }) },
    action: { name: "deleteWorkspaceAction", input: (ws) => ({ workspaceId: ws, confirmName: "Acme" }) },
  },
  "workspaces.requestActivation": {
    permission: "workspace.activation.request",
    pending: true,
    call: (a, ws) => workspaces.requestActivation(a, ws, { organisation: "Acme Labs", useCase: "Serving LLMs for our research group" }),
    route: { method: "POST", path: `${W}/activation-request`, body: () => ({ organisation: "Acme Labs", useCase: "Serving LLMs for our research group" }) },
    action: { name: "requestActivationAction", input: (ws) => ({ workspaceId: ws, organisation: "Acme Labs", useCase: "Serving LLMs for our research group" }) },
  },
  "workspaces.updateSsoSettings": {
    permission: "workspace.update",
    call: (a, ws) => workspaces.updateSsoSettings(a, ws, { ssoDomain: null, ssoDefaultRole: "viewer", ssoRequired: false }),
    route: { method: "PUT", path: `${W}/sso`, body: () => ({ ssoDomain: null, ssoDefaultRole: "viewer", ssoRequired: false }) },
    action: { name: "updateSsoAction", input: (ws) => ({ workspaceId: ws, ssoDomain: null, ssoDefaultRole: "viewer", ssoRequired: false }) },
  },
  "workspaces.updateTokenPolicy": {
    permission: "workspace.update",
    call: (a, ws) => workspaces.updateTokenPolicy(a, ws, { maxTokenLifetimeDays: 30 }),
    route: { method: "PUT", path: `${W}/token-policy`, body: () => ({ maxTokenLifetimeDays: 30 }) },
    action: { name: "updateTokenPolicyAction", input: (ws) => ({ workspaceId: ws, maxTokenLifetimeDays: 30 }) },
  },
  "workspaces.updateMfaPolicy": {
    permission: "workspace.update",
    call: (a, ws) => workspaces.updateMfaPolicy(a, ws, { requireMfa: true }),
    route: { method: "PUT", path: `${W}/mfa-policy`, body: () => ({ requireMfa: true }) },
    action: { name: "updateMfaPolicyAction", input: (ws) => ({ workspaceId: ws, requireMfa: true }) },
  },
  "workspaces.membersWithoutSecondFactor": {
    permission: "member.read",
    call: (a, ws) => workspaces.membersWithoutSecondFactor(a, ws),
  },
  "workspaces.updateWorkloadEnvPolicy": {
    permission: "workspace.update",
    call: (a, ws) => workspaces.updateWorkloadEnvPolicy(a, ws, { allowedEnvNames: ["PATH"] }),
    route: { method: "PUT", path: `${W}/workload-env-policy`, body: () => ({ allowedEnvNames: ["PATH"] }) },
    action: { name: "updateWorkloadEnvPolicyAction", input: (ws) => ({ workspaceId: ws, allowedEnvNames: ["PATH"] }) },
  },
  "members.listMembers": {
    permission: "member.read",
    call: (a, ws) => members.listMembers(a, ws),
    route: { method: "GET", path: `${W}/members` },
  },
  "members.updateMemberRole": {
    permission: "member.update",
    setup: viewerTarget,
    call: (a, ws, c) => members.updateMemberRole(a, ws, c.userId!, { role: "member" }),
    route: { method: "PATCH", path: `${W}/members/[userId]`, body: () => ({ role: "member" }) },
    action: { name: "updateMemberRoleAction", input: (ws, c) => ({ workspaceId: ws, userId: c.userId, change: { role: "member" } }) },
  },
  "members.removeMember": {
    permission: "member.remove",
    setup: viewerTarget,
    call: (a, ws, c) => members.removeMember(a, ws, c.userId!),
    route: { method: "DELETE", path: `${W}/members/[userId]` },
    action: { name: "removeMemberAction", input: (ws, c) => ({ workspaceId: ws, userId: c.userId }) },
  },
  "members.leaveWorkspace": {
    permission: "member.leave",
    setup: secondOwner,
    call: (a, ws) => members.leaveWorkspace(a, ws),
    route: { method: "DELETE", path: `${W}/members/me` },
    action: { name: "leaveWorkspaceAction", input: (ws) => ({ workspaceId: ws }) },
  },
  "invitations.createInvitation": {
    permission: "member.invite",
    call: (a, ws) => invitations.createInvitation(a, ws, { email: `new-${uniq()}@example.test`, role: "viewer" }),
    route: { method: "POST", path: `${W}/invitations`, body: () => ({ email: `new-${uniq()}@example.test`, role: "viewer" }) },
    action: { name: "inviteAction", input: (ws) => ({ workspaceId: ws, invitation: { email: `new-${uniq()}@example.test`, role: "viewer" } }) },
  },
  "invitations.listInvitations": {
    permission: "invitation.read",
    call: (a, ws) => invitations.listInvitations(a, ws),
    route: { method: "GET", path: `${W}/invitations` },
  },
  "invitations.revokeInvitation": {
    permission: "member.invite",
    setup: invitationTarget,
    call: (a, ws, c) => invitations.revokeInvitation(a, ws, c.invitationId!),
    route: { method: "DELETE", path: `${W}/invitations/[invitationId]` },
    action: { name: "revokeInvitationAction", input: (ws, c) => ({ workspaceId: ws, invitationId: c.invitationId }) },
  },
  "invitations.reissueInvitation": {
    permission: "member.invite",
    setup: invitationTarget,
    call: (a, ws, c) => invitations.reissueInvitation(a, ws, c.invitationId!, {}),
    route: { method: "POST", path: `${W}/invitations/[invitationId]/reissue`, body: () => ({}) },
    action: { name: "reissueInvitationAction", input: (ws, c) => ({ workspaceId: ws, invitationId: c.invitationId, change: {} }) },
  },
  "tokens.listTokens": {
    permission: "token.read",
    call: (a, ws) => tokens.listTokens(a, ws),
    route: { method: "GET", path: `${W}/tokens` },
  },
  "tokens.createToken": {
    permission: "token.create",
    call: (a, ws) => tokens.createToken(a, ws, { name: "matrix" }),
    // Over the API a token creates workspace and workload tokens (user tokens are made by users for themselves).
    route: { method: "POST", path: `${W}/tokens`, body: () => ({ kind: "workspace", name: "matrix", role: "viewer" }), permission: "token.manage" },
    action: { name: "createTokenAction", input: (ws) => ({ workspaceId: ws, token: { name: "matrix" } }) },
  },
  "tokens.getToken": {
    permission: "token.manage",
    denied: "NOT_FOUND",
    setup: tokenTarget,
    call: (a, ws, c) => tokens.getToken(a, ws, c.tokenId!),
    route: { method: "GET", path: `${W}/tokens/[tokenId]` },
  },
  "tokens.updateToken": {
    permission: "token.manage",
    denied: "NOT_FOUND",
    setup: tokenTarget,
    call: (a, ws, c) => tokens.updateToken(a, ws, c.tokenId!, { action: "cancel" }),
    route: { method: "PATCH", path: `${W}/tokens/[tokenId]`, body: () => ({ action: "cancel" }) },
    action: { name: "updateTokenAction", input: (ws, c) => ({ workspaceId: ws, tokenId: c.tokenId, change: { action: "cancel" } }) },
  },
  "tokens.deleteToken": {
    permission: "token.manage",
    denied: "NOT_FOUND",
    setup: tokenTarget,
    call: (a, ws, c) => tokens.deleteToken(a, ws, c.tokenId!),
    route: { method: "DELETE", path: `${W}/tokens/[tokenId]` },
    action: { name: "deleteTokenAction", input: (ws, c) => ({ workspaceId: ws, tokenId: c.tokenId }) },
  },
  "audit.listAuditEvents": {
    permission: "audit.read",
    call: (a, ws) => audit.listAuditEvents(a, ws, { limit: 5 }),
    route: { method: "GET", path: `${W}/audit` },
  },
  "audit.exportAuditEvents": {
    permission: "audit.read",
    call: (a, ws) => audit.exportAuditEvents(a, ws, { format: "csv" }),
    route: { method: "GET", path: `${W}/audit/export` },
  },
  "audit.setAuditRetention": {
    permission: "workspace.update",
    call: (a, ws) => audit.setAuditRetention(a, ws, { days: 90 }),
    route: { method: "PUT", path: `${W}/audit/retention`, body: () => ({ days: 90 }) },
    action: { name: "setAuditRetentionAction", input: (ws) => ({ workspaceId: ws, retention: { days: 90 } }) },
  },
  "secrets.listSecrets": {
    permission: "secret.read",
    call: (a, ws) => secrets.listSecrets(a, ws),
    route: { method: "GET", path: `${W}/secrets` },
  },
  "secrets.createSecret": {
    permission: "secret.create",
    call: (a, ws) => secrets.createSecret(a, ws, { name: `mine-${uniq()}`, value: "v" }),
    route: { method: "POST", path: `${W}/secrets`, body: () => ({ name: `mine-${uniq()}`, value: "v" }) },
    action: { name: "createSecretAction", input: (ws) => ({ workspaceId: ws, secret: { name: `mine-${uniq()}`, value: "v" } }) },
  },
  "secrets.importSecrets": {
    permission: "secret.create",
    call: (a, ws) => secrets.importSecrets(a, ws, { dotenv: `IMPORTED_${uniq().toUpperCase()}=v\n` }),
    route: { method: "POST", path: `${W}/secrets/import`, body: () => ({ dotenv: `IMPORTED_${uniq().toUpperCase()}=v\n` }) },
    action: { name: "importSecretsAction", input: (ws) => ({ workspaceId: ws, import: { dotenv: `IMPORTED_${uniq().toUpperCase()}=v\n` } }) },
  },
  "secrets.getSecret": {
    permission: "secret.read",
    setup: secretTarget,
    call: (a, ws, c) => secrets.getSecret(a, ws, c.secretId!),
    route: { method: "GET", path: `${W}/secrets/[secretId]` },
  },
  "secrets.updateSecret": {
    permission: "secret.manage",
    setup: secretTarget,
    call: (a, ws, c) => secrets.updateSecret(a, ws, c.secretId!, { envName: "RENAMED" }),
    route: { method: "PATCH", path: `${W}/secrets/[secretId]`, body: () => ({ envName: "RENAMED" }) },
    action: { name: "updateSecretAction", input: (ws, c) => ({ workspaceId: ws, secretId: c.secretId, change: { envName: "RENAMED" } }) },
  },
  "secrets.replaceSecretValue": {
    permission: "secret.manage",
    setup: secretTarget,
    call: (a, ws, c) => secrets.replaceSecretValue(a, ws, c.secretId!, { value: "next" }),
    route: { method: "PUT", path: `${W}/secrets/[secretId]/value`, body: () => ({ value: "next" }) },
    action: { name: "replaceSecretValueAction", input: (ws, c) => ({ workspaceId: ws, secretId: c.secretId, change: { value: "next" } }) },
  },
  "secrets.deleteSecret": {
    permission: "secret.manage",
    setup: secretTarget,
    call: (a, ws, c) => secrets.deleteSecret(a, ws, c.secretId!),
    route: { method: "DELETE", path: `${W}/secrets/[secretId]` },
    action: { name: "deleteSecretAction", input: (ws, c) => ({ workspaceId: ws, secretId: c.secretId }) },
  },
  "secrets.matchSecret": {
    permission: "secret.read",
    setup: secretTarget,
    call: (a, ws, c) => secrets.matchSecret(a, ws, c.secretId!, { value: "guess" }),
    // A match check reads nothing out, but it is a POST: read-only tokens may not use it.
    route: { method: "POST", path: `${W}/secrets/[secretId]/match`, body: () => ({ value: "guess" }) },
    action: { name: "matchSecretAction", input: (ws, c) => ({ workspaceId: ws, secretId: c.secretId, candidate: { value: "guess" } }) },
  },
  "workloads.listWorkloads": {
    permission: "workload.read",
    call: (a, ws) => workloads.listWorkloads(a, ws),
    route: { method: "GET", path: `${W}/workloads` },
  },
  "workloads.getWorkload": {
    permission: "workload.read",
    setup: workloadTarget,
    call: (a, ws, c) => workloads.getWorkload(a, ws, c.workloadId!),
    route: { method: "GET", path: `${W}/workloads/[workloadId]` },
  },
  "workloads.createWorkload": {
    permission: "workload.write",
    call: (a, ws) => workloads.createWorkload(a, ws, { name: `wl-${uniq()}`, kind: "pod" }),
    route: { method: "POST", path: `${W}/workloads`, body: () => ({ name: `wl-${uniq()}`, kind: "pod" }) },
    action: { name: "createWorkloadAction", input: (ws) => ({ workspaceId: ws, workload: { name: `wl-${uniq()}`, kind: "pod" } }) },
  },
  "workloads.updateWorkload": {
    permission: "workload.write",
    setup: workloadTarget,
    call: (a, ws, c) => workloads.updateWorkload(a, ws, c.workloadId!, { description: "changed" }),
    route: { method: "PATCH", path: `${W}/workloads/[workloadId]`, body: () => ({ description: "changed" }) },
    action: { name: "updateWorkloadAction", input: (ws, c) => ({ workspaceId: ws, workloadId: c.workloadId, change: { description: "changed" } }) },
  },
  "workloads.deleteWorkload": {
    permission: "workload.write",
    setup: workloadTarget,
    call: (a, ws, c) => workloads.deleteWorkload(a, ws, c.workloadId!),
    route: { method: "DELETE", path: `${W}/workloads/[workloadId]` },
    action: { name: "deleteWorkloadAction", input: (ws, c) => ({ workspaceId: ws, workloadId: c.workloadId }) },
  },
  "workloads.listWorkloadOptions": {
    permission: "workload.read",
    call: (a, ws) => workloads.listWorkloadOptions(a, ws),
  },
  // Approving a device login makes a user token of the approver in the workspace (minted when the
  // CLI polls): token.create there. A code that asked for another workspace is not found under this one.
  "device.approveDevice": {
    permission: "token.create",
    setup: deviceTarget,
    call: (a, ws, c) => device.approveDevice(a, { userCode: c.userCode!, workspaceId: ws }),
    action: { name: "approveDeviceAction", input: (ws, c) => ({ userCode: c.userCode, workspaceId: ws }) },
  },
};

/** Service exports that are not workspace actions of an actor, with the reason. */
const EXEMPT_SERVICE: Record<string, string> = {
  "audit.cleanText": "helper",
  "audit.recordAudit": "called inside other services' transactions",
  "audit.recordDenied": "called by the authorization layer",
  "audit.recordAuditCommitted": "called by services for audited reads (the env endpoint), after their own checks",
  "audit.neutraliseCell": "pure helper",
  "audit.purgeExpiredAuditEvents": "the system's hourly retention job (no actor); tested in audit-log.test.ts",
  "invitations.invitationState": "pure helper",
  "invitations.invitationLink": "pure helper",
  "invitations.previewInvitation": "for the holder of a link, no actor; tested in members.test.ts",
  "invitations.acceptInvitation": "the invited user is not a member yet; email and state rules tested in members.test.ts",
  "members.checkRoleChange": "pure rule, used by updateMemberRole/removeMember (covered) and the page",
  "members.noteMemberActivity": "the actor's own activity, no permission",
  "tokens.presentToken": "pure helper",
  "tokens.createTokenIn": "createToken's body in the caller's transaction (the device login mints with it); covered through createToken",
  "device.startDevice": "public: a CLI starts a device login (no actor; limited per address); tested in device-login.test.ts",
  "device.pollDevice": "public: polled with the device code (no actor); mints through tokens.createTokenIn with the approver as actor; tested in device-login.test.ts",
  "device.previewDevice": "any signed-in holder of a code (limited per person); a workspace's name only for its members; tested in device-login.test.ts",
  "device.denyDevice": "any signed-in holder of a code: denying grants nothing; tested in device-login.test.ts",
  "device.deviceState": "pure helper",
  "device.deviceTokenName": "pure helper",
  "device.purgeExpiredDeviceAuthorizations": "the system's hourly job (no actor); tested in device-login.test.ts",
  "secrets.presentSecret": "pure helper",
  "secrets.presetForEnvName": "pure helper",
  "secrets.secretActionsFor": "pure helper over the same rules",
  "workloads.resolveWorkloadEnv": "short-lived workload credentials only, whatever the role: its own matrix below (WORKLOAD_TOKEN_ROUTES)",
  "workloads.issueWorkloadCredential": "workload tokens bound to the workload only, whatever the role: its own matrix below (WORKLOAD_TOKEN_ROUTES)",
  "tokens.tokenActionsFor": "pure helper over the same rules",
  "tokens.verifyToken": "public gateway endpoint, no actor; tested in tokens.test.ts",
  "workspaces.present": "pure helper",
  "workspaces.assertActive": "pure helper",
  "workspaces.createWorkspace": "no workspace yet: any signed-in user, or a full user token for its creator; tested in api-endpoints.test.ts",
  "workspaces.createWorkspaceIn": "used by createWorkspace and sign-up",
  "workspaces.listWorkspaces": "lists only the caller's own memberships",
  "workspaces.listWorkspacesForReview": "platform admins only; tested in auth-workspaces.test.ts and (tokens) api-endpoints.test.ts",
  "workspaces.approveOwnWorkspace": "platform admins only (and the workspace's activation.request role); tested in auth-workspaces.test.ts",
  "workspaces.countActivationRequests": "platform admins only (the Admin link's badge); tested in auth-workspaces.test.ts",
  "workspaces.reviewActivation": "platform admins only; tested in auth-workspaces.test.ts and (tokens) api-endpoints.test.ts",
};

/** Service functions, by module. Every exported function must be in MATRIX or EXEMPT_SERVICE. */
const SERVICES: Record<string, Record<string, unknown>> = { audit, device, invitations, members, secrets, tokens, workloads, workspaces };

/** Route files and methods that take no credentials, with the reason. */
const PUBLIC_ROUTES: Record<string, string> = {
  "/api/v1/[...path] *": "the JSON 404 for unknown API paths",
  "/api/v1/tokens/verify POST": "public gateway endpoint (rate-limited); tested in tokens.test.ts",
  "/api/v1/openapi.json GET": "the public OpenAPI document; tested in openapi.test.ts",
  "/api/v1/device/code POST": "device login start, for a CLI without a credential (limited per address); tested in device-login.test.ts",
  "/api/v1/device/token POST": "device login poll, with the device code (no credential); tested in device-login.test.ts",
};
/** Authenticated routes that are not about one workspace: only the credential checks apply. */
const UNSCOPED_ROUTES: Record<string, string> = {
  // Their rows are below ("endpoints about no workspace"), read from the contract's base permission;
  // api-endpoints.test.ts covers their audit and edge cases.
  "/api/v1/workspaces GET": "authenticated: lists the token's own workspace (none for a workload token)",
  "/api/v1/workspaces POST": "authenticated: no workspace yet, a full user token for its creator",
  "/api/v1/me GET": "authenticated: the caller itself, any token",
  "/api/v1/me/sign-out-everywhere POST": "authenticated: the token's creator's own sessions (full user tokens only)",
  "/api/v1/admin/activation-requests GET": "platform.admin: a platform admin's token with the platform scope",
  "/api/v1/admin/activation-requests/[workspaceId] POST": "platform.admin, for any workspace",
  "/api/v1/admin/users GET": "platform.admin",
  "/api/v1/admin/users/[userId] PATCH": "platform.admin",
  "/api/v1/admin/users/[userId]/sessions/revoke POST": "platform.admin: ends a user's sessions (sessions.test.ts covers it)",
};
/** Routes that only a workload token bound to the workload may call: tested by their own matrix below. */
const WORKLOAD_TOKEN_ROUTES: Record<string, string> = {
  "/api/v1/workspaces/[workspaceId]/workloads/[workloadId]/env GET": "the resolved environment (with a short-lived credential of such a token)",
  "/api/v1/workspaces/[workspaceId]/workloads/[workloadId]/credentials POST": "the short-lived credential for the env endpoint",
};
const ENV_ROUTE = "/api/v1/workspaces/[workspaceId]/workloads/[workloadId]/env GET";
/** Server actions that are not workspace actions, with the reason. */
const EXEMPT_ACTIONS: Record<string, string> = {
  createWorkspaceAction: "any signed-in user",
  reviewActivationAction: "platform admins only",
  approveOwnWorkspaceAction: "platform admins only, in a workspace where they may apply; tested in auth-workspaces.test.ts",
  setUserDisabledAction: "platform admins only",
  revokeUserSessionsAction: "platform admins only; tested in sessions.test.ts",
  markEmailVerifiedAction: "platform admins only; tested in email-verification.test.ts",
  verifyEmailAction: "the signed-in owner of the account the link was sent for; tested in email-verification.test.ts",
  signOutEverywhereAction: "the user's own sessions",
  acceptInvitationAction: "the invited user is not a member yet",
  lookupDeviceAction: "any signed-in holder of a device code (limited per person); tested in device-login.test.ts",
  denyDeviceAction: "any signed-in holder of a device code: denying grants nothing; tested in device-login.test.ts",
};

const routeModules = import.meta.glob<Record<string, unknown>>("../../app/api/v1/**/route.ts", { eager: true });
const actionModules = import.meta.glob<Record<string, unknown>>("../../app/**/actions.ts", { eager: true });

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
/** The handlers the route tree exports, by "folder path METHOD". */
const HANDLERS = new Map<string, Handler>();
for (const [file, mod] of Object.entries(routeModules)) {
  const path = file.replace("../../app", "").replace(/\/route\.ts$/, "");
  for (const m of METHODS) {
    if (typeof mod[m] === "function") HANDLERS.set(`${path} ${m}`, mod[m] as never);
  }
}
/** The endpoints come from the contract (lib/contract): "folder path METHOD" → its operation and handler. */
const folderKey = (op: Operation) => `${op.path.replace(/\{(\w+)\}/g, "[$1]")} ${op.method}`;
const CONTRACT = new Map<string, Operation>((operations as readonly Operation[]).map((op) => [folderKey(op), op]));
const ROUTES = new Map<string, Handler>([...CONTRACT.keys()].map((k) => [k, HANDLERS.get(k)!]));
type RunnableAction = { run: (actor: Actor | null, input: unknown) => Promise<{ ok: boolean; error?: { code: string } }> };
const ACTIONS = new Map<string, RunnableAction | null>();
for (const mod of Object.values(actionModules)) {
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value === "function") ACTIONS.set(name, typeof (value as Partial<RunnableAction>).run === "function" ? (value as unknown as RunnableAction) : null);
  }
}

const outcome = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : `THREW ${(e as Error)?.message}`));

async function fixture(entry: Entry) {
  const w = await makeWorkspace({ active: !entry.pending, roles: ["admin", "member", "viewer"] });
  const users = { owner: w.owner, admin: w.members.admin!, member: w.members.member!, viewer: w.members.viewer! } satisfies Record<Role, UserActor>;
  return { ws: w.workspace.id, users };
}

const expectedFor = (entry: Entry, role: Role, permission = entry.permission) => (roleCan(role, permission) ? "OK" : (entry.denied ?? "FORBIDDEN"));
const auditCount = (ws: string, result: string) => db().auditEvent.count({ where: { workspaceId: ws, result } });

describe("the matrix covers everything", () => {
  it("lists every exported service function", () => {
    const exported = Object.entries(SERVICES).flatMap(([mod, m]) =>
      Object.entries(m)
        .filter(([, v]) => typeof v === "function")
        .map(([name]) => `${mod}.${name}`),
    );
    const missing = exported.filter((k) => !(k in MATRIX) && !(k in EXEMPT_SERVICE));
    expect(missing, "service actions missing from the authorization matrix").toEqual([]);
    for (const key of Object.keys(MATRIX)) expect(exported, `MATRIX entry ${key} is not an exported service function`).toContain(key);
  });

  it("reads its endpoints from the contract: every entry has a handler, every handler an entry", () => {
    const withoutHandler = [...CONTRACT.entries()].filter(([k]) => !HANDLERS.has(k)).map(([, op]) => op.id);
    expect(withoutHandler, "contract entries without a route handler").toEqual([]);
    const notInContract = [...HANDLERS.keys()].filter((k) => !CONTRACT.has(k) && !k.startsWith("/api/v1/[...path] "));
    expect(notInContract, "route handlers missing from the contract").toEqual([]);
  });

  it("has rows for every endpoint about no workspace (by its base permission)", () => {
    for (const [k, op] of CONTRACT) if (k in UNSCOPED_ROUTES) expect(["authenticated", "platform.admin"], op.id).toContain(op.permission);
  });

  it("documents the permission the matrix expects for each routed entry", () => {
    for (const [key, e] of Object.entries(MATRIX)) {
      if (!e.route) continue;
      const op = CONTRACT.get(`${e.route.path} ${e.route.method}`);
      expect(op, `${key}: ${e.route.method} ${e.route.path} is not in the contract`).toBeDefined();
      expect([e.permission, e.route.permission], `${key}: the contract's base permission (${op!.id})`).toContain(op!.permission);
    }
    for (const k of Object.keys(PUBLIC_ROUTES)) if (CONTRACT.has(k)) expect(CONTRACT.get(k)!.auth, k).toBe("none");
    for (const [k, op] of CONTRACT) if (op.auth === "none") expect(PUBLIC_ROUTES, `${op.id} takes no credential: list it in PUBLIC_ROUTES`).toHaveProperty([k]);
  });

  it("lists every /api/v1 route and method", () => {
    const inMatrix = new Set(Object.values(MATRIX).flatMap((e) => (e.route ? [`${e.route.path} ${e.route.method}`] : [])));
    const missing = [...ROUTES.keys()].filter((k) => !inMatrix.has(k) && !(k in UNSCOPED_ROUTES) && !(k in WORKLOAD_TOKEN_ROUTES) && !(k in PUBLIC_ROUTES) && !(`${k.split(" ")[0]} *` in PUBLIC_ROUTES));
    expect(missing, "routes missing from the authorization matrix").toEqual([]);
    for (const k of inMatrix) expect([...ROUTES.keys()], `MATRIX route ${k} does not exist`).toContain(k);
  });

  it("NX-05: lists every server action", () => {
    const inMatrix = new Set(Object.values(MATRIX).flatMap((e) => (e.action ? [e.action.name] : [])));
    const missing = [...ACTIONS.keys()].filter((k) => !inMatrix.has(k) && !(k in EXEMPT_ACTIONS));
    expect(missing, "server actions missing from the authorization matrix").toEqual([]);
    for (const k of inMatrix) expect(ACTIONS.get(k), `MATRIX action ${k} is not a defineAction server action`).toBeTruthy();
  });

  it("uses only permissions of the table", () => {
    for (const [key, e] of Object.entries(MATRIX)) expect(PERMISSIONS[e.permission], key).toBeDefined();
  });
});

describe.each(Object.entries(MATRIX))("%s", (key, entry) => {
  it.each(ROLES)(`AUTHZ-01 AUTHZ-05: as %s in its own workspace: allowed exactly when the table says so (${entry.permission})`, async (role) => {
    const { ws, users } = await fixture(entry);
    const ctx = (await entry.setup?.(ws, users.owner)) ?? {};
    const [denied, succeeded] = [await auditCount(ws, "denied"), await auditCount(ws, "success")];
    const expected = expectedFor(entry, role);
    expect(await outcome(entry.call(users[role], ws, ctx)), `${key} as ${role}`).toBe(expected);
    if (expected === "FORBIDDEN") {
      // A denial is audited and changes nothing.
      expect(await auditCount(ws, "denied")).toBe(denied + 1);
      expect(await auditCount(ws, "success")).toBe(succeeded);
    }
  });

  it("AUTHZ-02 AUTHZ-03: from another workspace: 404 for its workspace and for its ids, and nothing changes", async () => {
    const a = await fixture(entry);
    const b = await fixture(entry);
    const ctxA = (await entry.setup?.(a.ws, a.users.owner)) ?? {};
    const succeeded = await auditCount(a.ws, "success");
    // B's owner (all permissions in B) on A's workspace.
    expect(await outcome(entry.call(b.users.owner, a.ws, ctxA)), `${key}: outsider`).toBe("NOT_FOUND");
    // B's owner in B, naming A's ids.
    if (Object.keys(ctxA).length) expect(await outcome(entry.call(b.users.owner, b.ws, ctxA)), `${key}: foreign ids`).toBe("NOT_FOUND");
    expect(await auditCount(a.ws, "success")).toBe(succeeded);
  });

  // Only entries that have a server action get this test (no skipped placeholders).
  if (entry.action) it("AUTHZ-05 NX-05: through its server action, with the same answers", async () => {
    const action = ACTIONS.get(entry.action!.name)!;
    for (const role of ROLES) {
      const { ws, users } = await fixture(entry);
      const ctx = (await entry.setup?.(ws, users.owner)) ?? {};
      const res = await action.run(users[role], entry.action!.input(ws, ctx));
      expect(res.ok ? "OK" : res.error!.code, `${entry.action!.name} as ${role}`).toBe(expectedFor(entry, role));
    }
    const a = await fixture(entry);
    const b = await fixture(entry);
    const ctx = (await entry.setup?.(a.ws, a.users.owner)) ?? {};
    const res = await action.run(b.users.owner, entry.action!.input(a.ws, ctx));
    expect(res.ok ? "OK" : res.error!.code, `${entry.action!.name}: outsider`).toBe("NOT_FOUND");
    const none = await action.run(null, entry.action!.input(a.ws, ctx));
    expect(none.ok ? "OK" : none.error!.code).toBe("UNAUTHORIZED");
  });
});

/** A user token acting with `role` (viewers cannot create tokens: created as member, then demoted). */
async function tokenFor(ws: string, user: UserActor, role: Role, scopes: ("read" | "full")[] = ["full"]): Promise<string> {
  if (role === "viewer") await db().membership.update({ where: { workspaceId_userId: { workspaceId: ws, userId: user.userId } }, data: { role: "member" } });
  const t = await makeToken(user, ws, { scopes });
  if (role === "viewer") await db().membership.update({ where: { workspaceId_userId: { workspaceId: ws, userId: user.userId } }, data: { role: "viewer" } });
  return t.value;
}

let ipCounter = 0;
async function send(routeKey: string, params: Ctx, auth: string | null, body: unknown): Promise<Response> {
  const [path, method] = routeKey.split(" ") as [string, Method];
  const handler = ROUTES.get(routeKey);
  if (!handler) throw new Error(`${routeKey}: no route handler for this contract entry`);
  const url = `http://localhost${path.replace(/\[(\w+)\]/g, (_, k: string) => params[k] ?? "missing")}`;
  const headers: Record<string, string> = { "x-tessera-client-ip": `198.51.100.${++ipCounter % 250}` };
  if (auth !== null) headers.authorization = auth;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await handler(new Request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), { params: Promise.resolve(params) });
  // Every answer is checked against the OpenAPI document too (the file fails on a mismatch).
  void checkResponse(method, url, res);
  return res;
}

const STATUS: Record<string, number> = { OK: 200, FORBIDDEN: 403, NOT_FOUND: 404 };
const ok = (status: number) => status >= 200 && status < 300;

describe("every route over HTTP", () => {
  it.each([...ROUTES.keys()].filter((k) => !(k in PUBLIC_ROUTES) && !(`${k.split(" ")[0]} *` in PUBLIC_ROUTES)))(
    "%s: 401 without credentials and with bad ones, in the error envelope",
    async (routeKey) => {
      resetFailureLimits();
      const w = await makeWorkspace({ active: true });
      const params = { workspaceId: w.workspace.id, userId: w.owner.userId, tokenId: "c".repeat(25), invitationId: "c".repeat(25) };
      const body = routeKey.endsWith(" GET") ? undefined : { name: "x" };
      const unknown = formatToken("user", "A".repeat(32));
      for (const auth of [null, "", "Bearer", "Basic dXNlcjpwYXNz", "Bearer not-a-token", `Bearer ${unknown}`, `Bearer ${unknown.slice(0, -1)}x`]) {
        const res = await send(routeKey, params, auth, body);
        expect(res.status, `${routeKey} with ${JSON.stringify(auth)}`).toBe(401);
        const json = await res.json();
        expect(json.error.code).toBe("UNAUTHORIZED");
        expect(typeof json.error.requestId).toBe("string");
      }
    },
  );

  const routed = Object.entries(MATRIX).filter(([, e]) => e.route);
  it.each(routed)("TOK-14 AUTHZ-01: %s: each role, a read-only token, another workspace and its ids", async (key, entry) => {
    resetFailureLimits();
    const routeKey = `${entry.route!.path} ${entry.route!.method}`;
    const body = (ctx: Ctx) => entry.route!.body?.(ctx);
    const routePermission = entry.route!.permission ?? entry.permission;
    for (const role of ROLES) {
      const { ws, users } = await fixture(entry);
      const value = await tokenFor(ws, users[role], role);
      const ctx = (await entry.setup?.(ws, users.owner)) ?? {};
      const res = await send(routeKey, { workspaceId: ws, ...ctx }, `Bearer ${value}`, body(ctx));
      const expected = expectedFor(entry, role, routePermission);
      if (expected === "OK") expect(ok(res.status), `${routeKey} as ${role}: ${res.status} ${await res.clone().text()}`).toBe(true);
      else expect(res.status, `${routeKey} as ${role}`).toBe(STATUS[expected]);
    }
    // A read-only token gets 403 on every mutating route (TOK-14), even an owner's; it reads what its role reads.
    {
      const { ws, users } = await fixture(entry);
      const value = await tokenFor(ws, users.owner, "owner", ["read"]);
      const ctx = (await entry.setup?.(ws, users.owner)) ?? {};
      const res = await send(routeKey, { workspaceId: ws, ...ctx }, `Bearer ${value}`, body(ctx));
      if (entry.route!.method === "GET") expect(ok(res.status), `${routeKey} read-only`).toBe(true);
      else expect(res.status, `${routeKey} read-only`).toBe(403);
    }
    // Another workspace's owner: A's workspace, then A's ids under B's workspace.
    const a = await fixture(entry);
    const b = await fixture(entry);
    const outsider = await tokenFor(b.ws, b.users.owner, "owner");
    const ctxA = (await entry.setup?.(a.ws, a.users.owner)) ?? {};
    const before = await auditCount(a.ws, "success");
    const cross = await send(routeKey, { workspaceId: a.ws, ...ctxA }, `Bearer ${outsider}`, body(ctxA));
    expect(cross.status, `${key}: outsider`).toBe(404);
    expect((await cross.json()).error.code).toBe("NOT_FOUND");
    if (Object.keys(ctxA).length) {
      const foreign = await send(routeKey, { workspaceId: b.ws, ...ctxA }, `Bearer ${outsider}`, body(ctxA));
      expect(foreign.status, `${key}: foreign ids`).toBe(404);
    }
    expect(await auditCount(a.ws, "success")).toBe(before);
  });
});

describe("the workload environment: workload tokens bound to the workload, and nobody else", () => {
  it.each(Object.keys(WORKLOAD_TOKEN_ROUTES))("%s", async (routeKey) => {
    resetFailureLimits();
    const { ws, users } = await fixture({ permission: "workload.read", call: async () => null });
    const workloadId = (await workloadTarget(ws, users.owner)).workloadId!;
    const other = await workloadTarget(ws, users.owner);
    const bound = await makeToken(users.owner, ws, { kind: "workload", workloadId });
    const elsewhere = await makeToken(users.owner, ws, { kind: "workload", workloadId: other.workloadId! });
    const wsToken = await makeToken(users.owner, ws, { kind: "workspace", role: "owner" });
    // The env route takes a workload token's short-lived credential; the credentials route, the token itself.
    const env = routeKey === ENV_ROUTE;
    const present = async (t: { actor: TokenActor; value: string }) =>
      env ? (await workloads.issueWorkloadCredential(t.actor, t.actor.workspaceId, t.actor.workloadId!)).credential : t.value;
    const ok = await send(routeKey, { workspaceId: ws, workloadId }, `Bearer ${await present(bound)}`, undefined);
    expect(ok.status).toBe(env ? 200 : 201);
    // Every role's user token, a workspace token with the owner role, and another workload's token
    // (or its credential): 403.
    for (const role of ROLES) {
      const res = await send(routeKey, { workspaceId: ws, workloadId }, `Bearer ${await tokenFor(ws, users[role], role)}`, undefined);
      expect(res.status, `user token of ${role}`).toBe(403);
    }
    expect((await send(routeKey, { workspaceId: ws, workloadId }, `Bearer ${wsToken.value}`, undefined)).status).toBe(403);
    expect((await send(routeKey, { workspaceId: ws, workloadId }, `Bearer ${await present(elsewhere)}`, undefined)).status).toBe(403);
    // SEC-14: the bound token itself does not open the environment.
    if (env) expect((await send(routeKey, { workspaceId: ws, workloadId }, `Bearer ${bound.value}`, undefined)).status).toBe(403);
    // Another workspace's workload token, on this workload and under its own workspace with this id: 404.
    const b = await fixture({ permission: "workload.read", call: async () => null });
    const bWorkload = (await workloadTarget(b.ws, b.users.owner)).workloadId!;
    const outsider = await makeToken(b.users.owner, b.ws, { kind: "workload", workloadId: bWorkload });
    expect((await send(routeKey, { workspaceId: ws, workloadId }, `Bearer ${await present(outsider)}`, undefined)).status).toBe(404);
    expect((await send(routeKey, { workspaceId: b.ws, workloadId }, `Bearer ${await present(outsider)}`, undefined)).status).toBe(403);
    // People never get values, whatever their role, through the service either.
    for (const role of ROLES) {
      expect(await outcome(workloads.resolveWorkloadEnv(users[role], ws, workloadId)), role).toBe("FORBIDDEN");
      expect(await outcome(workloads.issueWorkloadCredential(users[role], ws, workloadId)), role).toBe("FORBIDDEN");
    }
  });
});

/**
 * The rows of the endpoints that are about no workspace, read from the contract's base permission:
 * `platform.admin` (only a platform admin's token with the `platform` scope; read or full scope as
 * the method needs) and `authenticated` (any valid token reads; only a full user token writes).
 * Each is called with its contract example (the ids in it do not exist: an allowed caller may get
 * 404 or 409, never 401 or 403).
 */
describe("endpoints about no workspace, by the contract's base permission", () => {
  const ofPermission = (p: string) => (operations as readonly Operation[]).filter((o) => o.permission === p).map((o) => [o.id, o] as const);
  const allowed = (status: number) => status !== 401 && status !== 403;
  const call = (op: Operation, auth: string) => send(folderKey(op), { ...(op.examples.params ?? {}) }, `Bearer ${auth}`, op.body ? op.examples.body : undefined);

  it.each(ofPermission("platform.admin"))("%s: a platform admin's platform token only", async (_id, op) => {
    resetFailureLimits();
    const { ws, users } = await fixture({ permission: "workspace.read", call: async () => null });
    await db().user.update({ where: { id: users.admin.userId }, data: { isPlatformAdmin: true } });
    const write = op.method !== "GET";
    const as = async (role: Role, scopes: TokenScope[]) => (await makeToken(users[role], ws, { scopes })).value;
    // The platform admin (an admin of this workspace): with the platform scope, and without it.
    const expectStatus = async (auth: string, ok: boolean, who: string) => {
      const res = await call(op, auth);
      if (ok) expect(allowed(res.status), `${op.id} ${who}: ${res.status}`).toBe(true);
      else expect(res.status, `${op.id} ${who}`).toBe(403);
    };
    await expectStatus(await as("admin", ["full", "platform"]), true, "full + platform");
    await expectStatus(await as("admin", ["read", "platform"]), !write, "read + platform");
    await expectStatus(await as("admin", ["full"]), false, "full without platform");
    // Every other role of the workspace, and the workspace's own tokens.
    for (const role of ["owner", "member"] as const) await expectStatus(await as(role, ["full"]), false, `${role} (not a platform admin)`);
    await expectStatus((await makeToken(users.owner, ws, { kind: "workspace", role: "owner" })).value, false, "workspace token");
    await expectStatus((await makeToken(users.owner, ws, { kind: "workload" })).value, false, "workload token");
  });

  it.each(ofPermission("authenticated"))("%s: any token reads; only a full user token writes", async (_id, op) => {
    resetFailureLimits();
    const { ws, users } = await fixture({ permission: "workspace.read", call: async () => null });
    const write = op.method !== "GET";
    const callers: [string, string, boolean][] = [
      ["full user token", (await makeToken(users.member, ws)).value, true],
      ["read-only user token", (await makeToken(users.member, ws, { scopes: ["read"] })).value, !write],
      ["workspace token", (await makeToken(users.owner, ws, { kind: "workspace", role: "owner" })).value, !write],
      ["workload token", (await makeToken(users.owner, ws, { kind: "workload" })).value, !write],
    ];
    for (const [who, auth, ok] of callers) {
      const res = await call(op, auth);
      if (ok) expect(res.status >= 200 && res.status < 300, `${op.id} ${who}: ${res.status}`).toBe(true);
      else expect(res.status, `${op.id} ${who}`).toBe(403);
    }
  });
});
