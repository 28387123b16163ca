// The token service. Values are generated here, returned once, and stored only as an HMAC.
// Visibility: everyone sees the user tokens they created; holders of token.manage (admins) also
// see and manage workspace and workload tokens, and others' tokens.
import { actorUserId, type Actor, type RequestMeta, type TokenKind } from "../auth/actor";
import { PLATFORM_SCOPE, ROLE_RANK, isRole, roleCan, type Permission, type Role, type TokenScope } from "../auth/permissions";
import { displayParts, generateToken } from "../auth/token-format";
import { countFailure } from "../auth/failure-limit";
import { noteTokenUse } from "../auth/last-used";
import { lookupToken, parseScopes, tokenHash, type FoundToken, type TokenFailure } from "../auth/token-lookup";
import type { Db, Tx } from "../db/client";
import type { Token, Workspace } from "../generated/sqlite/client";
import { AppError, forbidden, notFound, parseInput } from "../errors";
import {
  createTokenSchema,
  expiresSoon,
  updateTokenSchema,
  verifyTokenSchema,
  type CreateTokenInput,
  type TokenOutput,
  type UpdateTokenInput,
} from "../schemas/token";
import type { WORKSPACE_STATUSES } from "../schemas/workspace";
import { recordAudit } from "./audit";
import { authorize, authorizeRead, inRead, inTransaction, isPlatformAdminNow } from "./authorize";
import { requireRecentAuth } from "./sudo";
import { assertActive } from "./workspaces";

const DAY_MS = 24 * 60 * 60 * 1000;
type WorkspaceStatus = (typeof WORKSPACE_STATUSES)[number];

export function presentToken(t: Token, now = Date.now()): TokenOutput {
  const left = t.expiresAt.getTime() - now;
  return {
    id: t.id,
    workspaceId: t.workspaceId,
    kind: t.kind as TokenOutput["kind"],
    name: t.name,
    description: t.description,
    partialKey: `${t.prefix}…${t.lastFour}`,
    scopes: parseScopes(t.scopes),
    role: isRole(t.role) ? t.role : null,
    status: t.status as TokenOutput["status"],
    expired: left <= 0,
    expiresSoon: expiresSoon(t.renewedAt ?? t.createdAt, t.expiresAt, now),
    expiresAt: t.expiresAt,
    workloadId: t.workloadId,
    createdById: t.createdById,
    lastUsedAt: t.lastUsedAt,
    lastUsedIp: t.lastUsedIp,
    createdAt: t.createdAt,
  };
}

/**
 * The expiry from days or a date, within the workspace's maximum lifetime. Neither given: the
 * workspace's default token expiry (1 day unless an admin set another, never above the maximum).
 */
function expiryFrom(input: { expiresInDays?: number; expiresAt?: string }, workspace: Workspace): Date {
  const now = Date.now();
  const days = input.expiresInDays ?? Math.min(workspace.defaultTokenExpiryDays, workspace.maxTokenLifetimeDays);
  const at = input.expiresAt ? new Date(input.expiresAt) : new Date(now + days * DAY_MS);
  if (at.getTime() <= now + 60_000) {
    throw new AppError("VALIDATION_FAILED", "The expiry must be in the future", {
      details: [{ path: "expiresAt", message: "must be in the future" }],
    });
  }
  const max = workspace.maxTokenLifetimeDays;
  if (at.getTime() > now + max * DAY_MS + 60_000) {
    throw new AppError("VALIDATION_FAILED", `Tokens in this workspace may live at most ${max} days`, {
      details: [{ path: input.expiresAt ? "expiresAt" : "expiresInDays", message: `must be at most ${max} days from now` }],
    });
  }
  return at;
}

async function workloadInWorkspace(tx: Tx, workspaceId: string, workloadId: string): Promise<void> {
  const workload = await tx.workload.findFirst({ where: { id: workloadId, workspaceId }, select: { id: true } });
  if (!workload) throw notFound("Workload");
}

/** The actor's role decides what it may see and manage of a token. */
function canManageOthers(role: Role | null): boolean {
  return role !== null && roleCan(role, "token.manage");
}

/** A user token is its creator's own, whether the creator acts in the dashboard or with one of their user tokens. */
function ownsToken(actor: Actor, t: Pick<Token, "kind" | "createdById">): boolean {
  const self = actorUserId(actor);
  return self !== null && t.kind === "user" && t.createdById === self;
}

/**
 * Cancelling or deleting is a change: a read-only token may see its creator's tokens but not revoke
 * them (the own-token rule of `permissionToChange` asks only for token.read, which a read scope has).
 */
function assertMayWrite(actor: Actor, workspaceId: string, audit: { action: string; target: { type: string; id: string } }): void {
  if (actor.type === "token" && !actor.scopes.includes("full")) {
    const err = new AppError("FORBIDDEN", "Your token is read-only: it cannot change tokens");
    err.denied = { workspaceId, ...audit };
    throw err;
  }
}

/**
 * What changing `t` takes: revoking (cancel, delete) one's own token only needs to see it (a
 * credential can always be given up, even after a demotion to viewer); other changes to one's own
 * token need token.create; anything on others' tokens needs token.manage.
 */
function permissionToChange(actor: Actor, t: Pick<Token, "kind" | "createdById">, revoking: boolean): Permission {
  if (!ownsToken(actor, t)) return "token.manage";
  return revoking ? "token.read" : "token.create";
}

/** Whether a token (a row's comma-separated scopes, or a presented list) carries the `platform` scope. */
function hasPlatformScope(scopes: string | readonly string[]): boolean {
  return (typeof scopes === "string" ? parseScopes(scopes) : scopes).includes(PLATFORM_SCOPE);
}

/**
 * A `platform` token carries platform-admin power: only its creator (in the dashboard, or with a
 * platform token of their own) renews, reassigns or renames it, so a workspace admin cannot keep a platform
 * admin's credential alive without them. Cancelling and deleting stay open to token.manage: taking
 * access away is always allowed.
 */
function platformTokenGuarded(actor: Actor, t: Pick<Token, "kind" | "createdById"> & { scopes: string | readonly string[] }): boolean {
  if (!hasPlatformScope(t.scopes)) return false;
  // Its creator, from a session or with a platform token of their own: one of their plain tokens
  // (stolen, say) must not keep a platform credential alive.
  const creatorHere = ownsToken(actor, t) && (actor.type === "user" || (actor.type === "token" && hasPlatformScope(actor.scopes)));
  return !creatorHere;
}

/**
 * The `platform` scope is minted only by a platform admin, now: the flag is re-read here, never
 * taken from the session's snapshot (for a token actor, its creator's). Refusals are audited.
 */
async function assertMayMintPlatform(tx: Tx, actor: Actor, workspaceId: string): Promise<void> {
  if (await isPlatformAdminNow(tx, actorUserId(actor))) return;
  const err = forbidden("Only platform admins can create a token with the platform scope");
  err.denied = { workspaceId, action: "token.create", target: { type: "token", id: null }, metadata: { scope: PLATFORM_SCOPE } };
  throw err;
}

export type TokenAction = "rename" | "renew" | "reassign" | "cancel" | "delete";

/**
 * The changes `actor` (holding `role`) may make to a token it can see: the rules of
 * `permissionToChange` and the status checks of `updateToken`, for pages to offer only these.
 */
export function tokenActionsFor(
  actor: Actor,
  role: Role | null,
  t: Pick<Token, "kind" | "createdById" | "status"> & { scopes: string | readonly string[] },
): TokenAction[] {
  const allowed = (revoking: boolean) => isRole(role) && roleCan(role, permissionToChange(actor, t, revoking));
  const live = t.status === "active";
  const change = live && allowed(false) && !platformTokenGuarded(actor, t);
  return [
    // Renaming a cancelled token is allowed by updateToken, but pages offer it only while it is live.
    ...(change ? (["rename", "renew"] as const) : []),
    ...(change && t.kind === "workload" ? (["reassign"] as const) : []),
    ...(live && allowed(true) ? (["cancel"] as const) : []),
    ...(allowed(true) ? (["delete"] as const) : []),
  ];
}

/** A token of the workspace the actor may see, or 404 (also for tokens it may not see). */
async function visibleToken(tx: Tx | Db, actor: Actor, workspaceId: string, tokenId: string, role: Role | null): Promise<Token> {
  const t = await tx.token.findFirst({ where: { id: tokenId, workspaceId } });
  if (!t || !(ownsToken(actor, t) || canManageOthers(role))) throw notFound("Token");
  return t;
}

/** Creates a token and returns its value, the only time it is ever available. */
export async function createToken(actor: Actor, workspaceId: string, input: CreateTokenInput) {
  const data = parseInput(createTokenSchema, input);
  return inTransaction(actor, (tx) => createTokenIn(tx, actor, workspaceId, data));
}

/**
 * createToken's body, in the caller's transaction (run it inside `inTransaction`, which records the
 * denials): every rule and the audit event of createToken. The device login mints with it in the
 * transaction that uses up its code.
 */
export async function createTokenIn(tx: Tx, actor: Actor, workspaceId: string, input: CreateTokenInput) {
  const data = parseInput(createTokenSchema, input);
  const permission = data.kind === "user" ? "token.create" : "token.manage";
  const { workspace, role } = await authorize(tx, actor, workspaceId, permission, {
    action: "token.create",
    target: { type: "token", id: null },
  });
  if (data.kind === "user" && actor.type !== "user") {
    throw new AppError("FORBIDDEN", "User tokens are created by users for themselves");
  }
  // Platform administration is opt-in per token (the schema keeps it to user tokens: 422 otherwise).
  if (data.scopes.includes(PLATFORM_SCOPE)) await assertMayMintPlatform(tx, actor, workspaceId);
  if (data.kind !== "user") assertActive(workspace, `creating ${data.kind} tokens`);
  const expiresAt = expiryFrom(data, workspace);
  let tokenRole: Role | null = null;
  if (data.kind === "workspace") {
    tokenRole = data.role ?? "member";
    if (isRole(role) && ROLE_RANK[tokenRole] > ROLE_RANK[role]) {
      throw new AppError("FORBIDDEN", "A token cannot have a role above your own");
    }
  }
  if (data.workloadId) await workloadInWorkspace(tx, workspaceId, data.workloadId);
  // Sudo mode (SES-07): a token that acts as an admin or owner of the workspace, or carries platform
  // administration, is minted only by a session that confirmed it's the user within the window.
  // Asked last, once everything else about the token holds. Renewing or renaming such a token
  // needs no confirmation: its value is never shown again, and its role and scopes cannot change.
  // A user token acts with its creator's current role: an admin's or owner's user token is as
  // strong as an admin or owner workspace token, so it needs the same confirmation.
  const actsAs = data.kind === "user" ? role : tokenRole;
  const privileged = actsAs === "admin" || actsAs === "owner" || data.scopes.includes(PLATFORM_SCOPE);
  if (privileged) {
    requireRecentAuth(actor, "token.create_privileged", {
      workspaceId,
      action: "token.create",
      target: { type: "token", id: null },
      metadata: { kind: data.kind, role: actsAs, scopes: data.scopes },
    });
  }
  const value = generateToken(data.kind);
  const { prefix, lastFour } = displayParts(value);
  const token = await tx.token.create({
    data: {
      workspaceId,
      kind: data.kind,
      name: data.name,
      description: data.description || null,
      prefix,
      lastFour,
      ...tokenHash(value),
      scopes: [...new Set(data.scopes)].join(","),
      role: tokenRole,
      expiresAt,
      workloadId: data.workloadId ?? null,
      // The person who minted it, in the dashboard or with one of their user tokens (the CLI).
      createdById: actorUserId(actor),
      // Who put it on its workload: a private secret there opens only for its own creator's token (H1).
      boundById: data.workloadId ? actorUserId(actor) : null,
    },
  });
  await recordAudit(tx, actor, {
    workspaceId,
    action: "token.create",
    target: { type: "token", id: token.id },
    metadata: { kind: data.kind, name: data.name, scopes: data.scopes, expiresAt: expiresAt.toISOString(), workloadId: data.workloadId ?? null },
  });
  return { ...presentToken(token), value };
}

/** The tokens the actor may see: its own user tokens; with token.manage, all of the workspace's. */
export async function listTokens(actor: Actor, workspaceId: string): Promise<TokenOutput[]> {
  return inRead(actor, async (tx) => {
    const { role } = await authorizeRead(actor, workspaceId, "token.read", { action: "token.list", target: { type: "workspace", id: workspaceId } });
    const where = canManageOthers(role)
      ? { workspaceId }
      : { workspaceId, kind: "user", createdById: actorUserId(actor) ?? "-" };
    const rows = await tx.token.findMany({ where, orderBy: { createdAt: "desc" }, take: 1000 });
    return rows.map((t) => presentToken(t));
  });
}

export async function getToken(actor: Actor, workspaceId: string, tokenId: string): Promise<TokenOutput> {
  return inRead(actor, async (tx) => {
    const { role } = await authorizeRead(actor, workspaceId, "token.read", { action: "token.read", target: { type: "token", id: tokenId } });
    return presentToken(await visibleToken(tx, actor, workspaceId, tokenId, role));
  });
}

/** Renew (new expiry), reassign (workload tokens), cancel, or rename a token. */
export async function updateToken(actor: Actor, workspaceId: string, tokenId: string, input: UpdateTokenInput): Promise<TokenOutput> {
  const data = parseInput(updateTokenSchema, input);
  const action = `token.${data.action}`;
  return inTransaction(actor, async (tx) => {
    const audit = { action, target: { type: "token", id: tokenId } };
    const { workspace, role } = await authorize(tx, actor, workspaceId, "token.read", audit);
    const t = await visibleToken(tx, actor, workspaceId, tokenId, role);
    // Anyone may cancel their own token, whatever their role now; other changes need the permission.
    await authorize(tx, actor, workspaceId, permissionToChange(actor, t, data.action === "cancel"), audit);
    assertMayWrite(actor, workspaceId, audit);
    if (data.action !== "cancel" && platformTokenGuarded(actor, t)) {
      const err = forbidden("Only its creator can renew, reassign or rename a token with the platform scope; you can cancel or delete it");
      err.denied = { workspaceId, ...audit, metadata: { scope: PLATFORM_SCOPE } };
      throw err;
    }
    let change: Parameters<typeof tx.token.update>[0]["data"];
    let metadata: Record<string, string | null> = {};
    switch (data.action) {
      case "renew": {
        if (t.status !== "active") throw new AppError("CONFLICT", "A cancelled token cannot be renewed; create a new one");
        const expiresAt = expiryFrom(data, workspace);
        change = { expiresAt, renewedAt: new Date() };
        metadata = { expiresAt: expiresAt.toISOString() };
        break;
      }
      case "reassign":
        if (t.status !== "active") throw new AppError("CONFLICT", "A cancelled token cannot be reassigned");
        if (t.kind !== "workload") throw new AppError("BAD_REQUEST", "Only workload tokens are assigned to workloads");
        if (data.workloadId) await workloadInWorkspace(tx, workspaceId, data.workloadId);
        // The actor who moves it becomes its binder: a token moved by anyone but a private
        // secret's creator does not open that secret on its new workload (H1).
        change = { workloadId: data.workloadId, boundById: data.workloadId ? actorUserId(actor) : null };
        metadata = { from: t.workloadId, to: data.workloadId };
        break;
      case "cancel":
        if (t.status === "cancelled") return presentToken(t);
        change = { status: "cancelled", cancelledAt: new Date() };
        break;
      case "rename":
        change = { name: data.name, ...(data.description !== undefined ? { description: data.description || null } : {}) };
        metadata = { name: data.name };
        break;
    }
    const updated = await tx.token.update({ where: { id: t.id }, data: change });
    await recordAudit(tx, actor, { workspaceId, action, target: { type: "token", id: t.id }, metadata });
    return presentToken(updated);
  });
}

export async function deleteToken(actor: Actor, workspaceId: string, tokenId: string): Promise<{ id: string }> {
  return inTransaction(actor, async (tx) => {
    const audit = { action: "token.delete", target: { type: "token", id: tokenId } };
    const { role } = await authorize(tx, actor, workspaceId, "token.read", audit);
    const t = await visibleToken(tx, actor, workspaceId, tokenId, role);
    await authorize(tx, actor, workspaceId, permissionToChange(actor, t, true), audit);
    assertMayWrite(actor, workspaceId, audit);
    await tx.token.delete({ where: { id: t.id } });
    await recordAudit(tx, actor, { workspaceId, action: "token.delete", target: { type: "token", id: t.id }, metadata: { kind: t.kind, name: t.name } });
    return { id: t.id };
  });
}

/**
 * The same answer as the API's: lookupToken refuses what Bearer authentication refuses (including a
 * user token of a disabled or departed creator), and workspace and workload tokens stop with their
 * workspace's activation, as `authorize` does. A user token stays valid in a workspace that is not
 * active (its members set it up through the API); `workspaceStatus` tells a gateway which it is.
 */
async function check(value: string): Promise<{ ok: true; token: FoundToken } | { ok: false; reason: TokenFailure | "inactive_workspace" }> {
  const found = await lookupToken(value);
  if (!found.ok) return found;
  const t = found.token;
  // The workspace's state and the creator's membership came with the same query.
  if (t.kind !== "user" && t.workspace.status !== "active") return { ok: false, reason: "inactive_workspace" };
  return found;
}

export type VerifyResult =
  | { valid: false; reason: TokenFailure | "inactive_workspace" | "wrong_workload" }
  | {
      valid: true;
      tokenId: string;
      workspaceId: string;
      workspaceStatus: WorkspaceStatus;
      kind: TokenKind;
      workloadId: string | null;
      scopes: TokenScope[];
      expiresAt: Date;
    };

/**
 * For gateways (POST /api/v1/tokens/verify): is this token valid, and for which workspace, kind,
 * workload and scopes? With `workloadId`, also whether it may be used for that workload.
 */
export async function verifyToken(input: unknown, meta: RequestMeta): Promise<VerifyResult> {
  const { token: value, workloadId } = parseInput(verifyTokenSchema, input);
  const result = await check(value);
  if (!result.ok) {
    // Past the address's failure limit a failure is a 429; a valid token is answered whatever the address did.
    countFailure(meta.ip);
    return { valid: false, reason: result.reason };
  }
  const t = result.token;
  noteTokenUse(t.id, t.lastUsedAt, meta.ip);
  // A valid token used for another workload is an answer, not a failed check.
  if (workloadId !== undefined && t.workloadId !== workloadId) return { valid: false, reason: "wrong_workload" };
  return {
    valid: true,
    tokenId: t.id,
    workspaceId: t.workspaceId,
    workspaceStatus: t.workspace.status as WorkspaceStatus,
    kind: t.kind,
    workloadId: t.workloadId,
    scopes: t.scopes,
    expiresAt: t.expiresAt,
  };
}
