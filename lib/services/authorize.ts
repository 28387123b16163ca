// Authorization for every service: permission from the one table, tenant ownership (another
// workspace's ids answer 404, never 403), and the transaction that carries change + audit.
import type { Actor } from "../auth/actor";
import { isRole, PLATFORM_SCOPE, roleCan, scopesAllow, type Permission, type Role } from "../auth/permissions";
import { db, transaction, type Db, type Tx } from "../db/client";
import type { Workspace } from "../generated/sqlite/client";
import { AppError, forbidden, notFound, type DeniedAudit } from "../errors";
import { recordDenied } from "./audit";

export type Access = { workspace: Workspace; role: Role | null };

/** The role the actor holds in the workspace, or null when it has none there. */
async function roleIn(tx: Tx | Db, actor: Actor, workspaceId: string): Promise<Role | null | "system"> {
  if (actor.type === "system") return "system";
  if (actor.type === "user") {
    const m = await tx.membership.findUnique({
      where: { workspaceId_userId: { workspaceId, userId: actor.userId } },
      select: { role: true },
    });
    return m && isRole(m.role) ? m.role : null;
  }
  if (actor.workspaceId !== workspaceId) return null;
  if (actor.kind === "workspace") return actor.role;
  if (actor.kind === "user" && actor.creatorId) {
    // A user token never exceeds its creator's *current* role, and dies with a disabled creator.
    const m = await tx.membership.findUnique({
      where: { workspaceId_userId: { workspaceId, userId: actor.creatorId } },
      select: { role: true, user: { select: { disabledAt: true } } },
    });
    return m && !m.user.disabledAt && isRole(m.role) ? m.role : null;
  }
  return null;
}

/**
 * Loads the workspace and checks that the actor may do `permission` in it.
 * - not a member / another workspace's token / no such workspace: NOT_FOUND
 * - a member without the permission (or a token outside its scopes): FORBIDDEN
 * Both are recorded as denied attempts by `inTransaction` / `inRead` (after any rollback).
 */
export async function authorize(
  tx: Tx | Db,
  actor: Actor,
  workspaceId: string,
  permission: Permission,
  audit: Omit<DeniedAudit, "workspaceId">,
): Promise<Access> {
  const workspace = await tx.workspace.findUnique({ where: { id: workspaceId } });
  if (!workspace) throw notFound("Workspace");
  const access = check(actor, workspace, await roleIn(tx, actor, workspaceId), permission, audit);
  await refuseUserTokenWithoutMfa(tx, actor, workspace, audit);
  return access;
}

/**
 * A workspace that requires a second factor holds a password member's *user tokens* to it too: a
 * user token acts as its creator, so a token made before the rule (or by a member who then turned
 * the factor off) would otherwise keep full access, and could even turn the rule off. Only read
 * for such workspaces (one query); users with an SSO identity are trusted to their provider, and
 * workspace and workload tokens act for nobody.
 */
async function refuseUserTokenWithoutMfa(tx: Tx | Db, actor: Actor, workspace: Workspace, audit: Omit<DeniedAudit, "workspaceId">): Promise<void> {
  if (!workspace.requireMfa || actor.type !== "token" || actor.kind !== "user" || !actor.creatorId) return;
  const creator = await tx.user.findUnique({
    where: { id: actor.creatorId },
    select: { passwordHash: true, totpEnabledAt: true, identities: { select: { id: true }, take: 1 } },
  });
  if (!creator || creator.passwordHash === null || creator.totpEnabledAt !== null || creator.identities.length > 0) return;
  const err = forbidden("This workspace requires a second factor of its members: the token's creator has none. Turn one on in your account settings (/account).");
  err.denied = { workspaceId: workspace.id, ...audit };
  throw err;
}

/**
 * `authorize` for read-only services. A token actor's workspace and role were read by
 * authentication in this same request (`actor.access`), so a read costs no further query.
 */
export async function authorizeRead(
  actor: Actor,
  workspaceId: string,
  permission: Permission,
  audit: Omit<DeniedAudit, "workspaceId">,
): Promise<Access> {
  if (actor.type === "token" && actor.access) {
    if (actor.workspaceId !== workspaceId) {
      const err = notFound("Workspace");
      // Only an existing workspace gets a denied event (as in `authorize`).
      if (await db().workspace.findUnique({ where: { id: workspaceId }, select: { id: true } })) err.denied = { workspaceId, ...audit };
      throw err;
    }
    const access = check(actor, actor.access.workspace, actor.access.role, permission, audit);
    await refuseUserTokenWithoutMfa(db(), actor, actor.access.workspace, audit);
    return access;
  }
  return authorize(db(), actor, workspaceId, permission, audit);
}

/**
 * Why a workspace's sign-in policy keeps a dashboard session out, or null: "sso" (the workspace
 * requires SSO and the session signed in with a password), "mfa" (it requires a second factor of
 * password sessions and the user has none). SSO sessions and tokens are never kept out by these.
 */
export function signInPolicyRefusal(actor: Actor, workspace: Pick<Workspace, "ssoRequired" | "requireMfa">): "sso" | "mfa" | null {
  if (actor.type !== "user" || actor.authMethod !== "password") return null;
  if (workspace.ssoRequired) return "sso";
  if (workspace.requireMfa && actor.hasMfa !== true) return "mfa";
  return null;
}

function check(
  actor: Actor,
  workspace: Workspace,
  role: Role | null | "system",
  permission: Permission,
  audit: Omit<DeniedAudit, "workspaceId">,
): Access {
  const workspaceId = workspace.id;
  if (role === "system") return { workspace, role: null };
  if (role === null) {
    const err = notFound("Workspace");
    err.denied = { workspaceId, ...audit };
    throw err;
  }
  if (actor.type === "token" && actor.kind !== "user" && workspace.status !== "active") {
    // Workspace and workload tokens stop with their workspace's activation.
    const err = forbidden("This workspace is not active");
    err.denied = { workspaceId, ...audit };
    throw err;
  }
  const policy = signInPolicyRefusal(actor, workspace);
  if (policy) {
    // SSO members are trusted to their identity provider; password members need a second factor.
    const err = forbidden(
      policy === "sso"
        ? "This workspace requires single sign-on. Sign out and sign in with SSO."
        : "This workspace requires a second factor. Turn one on in your account settings (/account), then come back.",
    );
    err.denied = { workspaceId, ...audit };
    throw err;
  }
  const refused = refusal(actor, role, permission);
  if (refused) {
    const err = forbidden(refused);
    err.denied = { workspaceId, ...audit };
    throw err;
  }
  return { workspace, role };
}

/**
 * Why `actor`, holding `role` in a workspace, may not do `permission`, or null if it may. The
 * message names what refuses: the role (a member's, which a user token acts with, or a workspace
 * token's own), or the token's scopes (a read-only token) when the role would allow it.
 */
export function refusal(actor: Actor, role: Role | null, permission: Permission): string | null {
  if (role !== null && !roleCan(role, permission)) {
    return actor.type === "token" && actor.kind === "workspace"
      ? `This token's role (${role}) does not allow ${permission}`
      : `Your role (${role}) in this workspace does not allow ${permission}`;
  }
  const scopes = actor.type === "token" ? actor.scopes : (["full"] as const);
  if (!scopesAllow(scopes, permission)) return `Your token does not allow ${permission}`;
  return null;
}

async function recordingDenials<T>(actor: Actor, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError && err.denied) await recordDenied(actor, err.denied);
    throw err;
  }
}

/** Runs a service body in one transaction; records denials after the rollback. */
export function inTransaction<T>(actor: Actor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return recordingDenials(actor, () => transaction(fn));
}

/**
 * Runs a read-only service body without a transaction (no BEGIN/COMMIT on the hot path);
 * records denials. It must not write: writes go through `inTransaction`.
 */
export function inRead<T>(actor: Actor, fn: (db: Db) => Promise<T>): Promise<T> {
  return recordingDenials(actor, () => fn(db()));
}

/**
 * The user a caller acts as where no workspace is involved (creating a workspace, signing out
 * everywhere): a session's user, or the creator of a user token. A user token acts as its creator
 * (authentication already refused a disabled or removed creator); it needs the `full` scope for
 * `write` (a read-only token gets 403 on every write). Workspace and workload tokens have no user:
 * 403. The token itself still acts only in its own workspace.
 */
export function actingUser(actor: Actor, access: "read" | "write", action = "user.act"): string {
  // Refusals are audited (workspace-less): callers run this inside `inTransaction`.
  const refused = (message: string) => {
    const err = forbidden(message);
    err.denied = { workspaceId: null, action, metadata: { access } };
    return err;
  };
  if (actor.type === "user") return actor.userId;
  if (actor.type === "token" && actor.kind === "user" && actor.creatorId) {
    if (!tokenScopeAllows(actor.scopes, access)) throw refused("Your token is read-only: this needs a token with the full scope");
    return actor.creatorId;
  }
  throw refused("Only a user, or a user token acting for one, can do this (workspace and workload tokens have no user)");
}

function tokenScopeAllows(scopes: readonly string[], access: "read" | "write"): boolean {
  return scopes.includes("full") || (access === "read" && scopes.includes("read"));
}

/** Whether a user is a platform admin, and not disabled, now (read from the database, never from a snapshot). */
export async function isPlatformAdminNow(tx: Tx | Db, userId: string | null): Promise<boolean> {
  if (!userId) return false;
  const user = await tx.user.findUnique({ where: { id: userId }, select: { isPlatformAdmin: true, disabledAt: true } });
  return !!user?.isPlatformAdmin && !user.disabledAt;
}

/**
 * Platform administrators (every platform-admin operation goes through here): returns the admin's
 * user id, or throws FORBIDDEN.
 * - A dashboard session: its user's flag, which the session re-reads at each request.
 * - A user token with the opt-in `platform` scope (minted by a platform admin for this, see
 *   createToken), whose creator is a platform admin *now*: re-read from the database at each call
 *   (never the token's snapshot), and not disabled. Reads need the `read` or `full` scope as well,
 *   writes `full`. Any other token of the same admin (no `platform`) is refused. The audit records
 *   the token as the actor.
 * - Workspace and workload tokens (no user), and the system: FORBIDDEN.
 */
export async function platformAdmin(actor: Actor, access: "read" | "write", tx: Tx | Db = db(), action = "platform.admin"): Promise<string> {
  // A refusal is audited (workspace-less, like user.disable): probing the admin endpoints with a
  // member's token leaves a trace. Services call this inside `inTransaction`, which records it
  // after the rollback.
  const refused = (message = "Only platform admins can do this") => {
    const err = forbidden(message);
    err.denied = { workspaceId: null, action, metadata: { access } };
    return err;
  };
  if (actor.type === "user") {
    if (!actor.isPlatformAdmin) throw refused();
    return actor.userId;
  }
  if (actor.type !== "token" || actor.kind !== "user" || !actor.creatorId) throw refused();
  // The scope first: a token without it is refused without a query, whoever made it.
  if (!actor.scopes.includes(PLATFORM_SCOPE)) {
    throw refused("This needs a token with the platform scope: a platform admin creates one for platform administration in the dashboard");
  }
  if (!(await isPlatformAdminNow(tx, actor.creatorId))) throw refused();
  if (!tokenScopeAllows(actor.scopes, access)) throw refused("Your token is read-only: this needs a token with the full and platform scopes");
  return actor.creatorId;
}
