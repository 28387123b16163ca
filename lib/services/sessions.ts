// Dashboard sessions (SES-08): a user's list of where they are signed in (Account > Sessions), ending
// one of them or all the others, and platform admins ending every session of a user. A session is
// live while it is not revoked and within its idle and absolute timeouts (lib/auth/session.ts);
// ending one takes effect on its next request, on every instance (the row is read per request).
// "Sign out everywhere" (every session, this one included) stays in lib/services/account.ts.
import type { Actor, UserActor } from "../auth/actor";
import { liveSessionWhere } from "../auth/session";
import { describeUserAgent, type DeviceSummary } from "../auth/user-agent";
import { AppError, forbidden, notFound } from "../errors";
import { recordAudit } from "./audit";
import { inRead, inTransaction, platformAdmin } from "./authorize";

export type SessionView = {
  id: string;
  device: DeviceSummary;
  /** The raw header, for a tooltip (at most 512 characters, as stored). */
  userAgent: string | null;
  /** The client address at sign-in. */
  ip: string | null;
  method: "password" | "oidc";
  createdAt: Date;
  lastSeenAt: Date;
  /** When it ends at the latest (the absolute timeout), whatever its use. */
  expiresAt: Date;
  /** The session this request came with ("This device"). */
  current: boolean;
};

/** At most this many sessions are listed (newest use first). */
export const SESSION_LIST_LIMIT = 100;

/**
 * Sessions are the dashboard's: only a signed-in user manages their own (an API token has none of
 * its own; the API's `POST /api/v1/me/sign-out-everywhere` is the one session operation there).
 */
function signedInUser(actor: Actor, action: string): UserActor {
  if (actor.type === "user") return actor;
  const err = forbidden("Sessions are managed in the dashboard by their user");
  err.denied = { workspaceId: null, action };
  throw err;
}

/** The user's live sessions: the current one first, then by last use. */
export async function listMySessions(actor: Actor): Promise<SessionView[]> {
  return inRead(actor, async (db) => {
    const user = signedInUser(actor, "user.session_list");
    const rows = await db.session.findMany({
      where: { userId: user.userId, ...liveSessionWhere(new Date()) },
      select: { id: true, userAgent: true, ip: true, method: true, createdAt: true, lastSeenAt: true, expiresAt: true },
      orderBy: { lastSeenAt: "desc" },
      take: SESSION_LIST_LIMIT,
    });
    const views = rows.map((s) => ({
      ...s,
      method: s.method === "oidc" ? ("oidc" as const) : ("password" as const),
      device: describeUserAgent(s.userAgent),
      current: s.id === user.sessionId,
    }));
    return [...views.filter((s) => s.current), ...views.filter((s) => !s.current)];
  });
}

/**
 * Ends one of the user's own live sessions (the current one too: its browser is signed out on its
 * next request). Another user's session, an ended one, or an unknown id: 404, and nothing changes;
 * naming another user's session is audited as denied. Audited as `user.session_revoke`.
 */
export async function revokeMySession(actor: Actor, sessionId: string): Promise<{ id: string; current: boolean }> {
  return inTransaction(actor, async (tx) => {
    const user = signedInUser(actor, "user.session_revoke");
    const now = new Date();
    // Conditional on owner and liveness in one statement: never another user's row.
    const r = await tx.session.updateMany({ where: { id: sessionId, userId: user.userId, ...liveSessionWhere(now) }, data: { revokedAt: now } });
    if (r.count !== 1) {
      const err = notFound("Session");
      const row = await tx.session.findUnique({ where: { id: sessionId }, select: { userId: true } });
      if (row && row.userId !== user.userId) err.denied = { workspaceId: null, action: "user.session_revoke", target: { type: "user", id: user.userId }, metadata: { sessionId } };
      throw err;
    }
    const current = sessionId === user.sessionId;
    await recordAudit(tx, actor, { workspaceId: null, action: "user.session_revoke", target: { type: "user", id: user.userId }, metadata: { sessionId, current } });
    return { id: sessionId, current };
  });
}

/**
 * Ends every live session of the user but the current one, and answers how many. Audited as
 * `user.sessions_revoke_others` with the count (also when it is 0: the user asked).
 */
export async function revokeMyOtherSessions(actor: Actor): Promise<number> {
  return inTransaction(actor, async (tx) => {
    const user = signedInUser(actor, "user.sessions_revoke_others");
    const now = new Date();
    const r = await tx.session.updateMany({
      where: { userId: user.userId, ...liveSessionWhere(now), ...(user.sessionId ? { id: { not: user.sessionId } } : {}) },
      data: { revokedAt: now },
    });
    await recordAudit(tx, actor, { workspaceId: null, action: "user.sessions_revoke_others", target: { type: "user", id: user.userId }, metadata: { sessions: r.count } });
    return r.count;
  });
}

/**
 * Platform admins end every dashboard session of a user (SES-08): the user is signed out on their
 * next request, on every instance, and may sign in again (disable the account to keep them out).
 * Their API tokens keep working. Authorization: `platformAdmin` (a platform admin's session, or a
 * `full` user token of one with the `platform` scope); anyone else 403, audited. Unknown user: 404.
 * Audited as `user.sessions_revoke_admin` on the user, with the count.
 */
export async function revokeUserSessions(actor: Actor, userId: string): Promise<{ sessions: number }> {
  return inTransaction(actor, async (tx) => {
    await platformAdmin(actor, "write", tx, "user.sessions_revoke_admin");
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) throw new AppError("NOT_FOUND", "User not found");
    const now = new Date();
    const r = await tx.session.updateMany({ where: { userId, ...liveSessionWhere(now) }, data: { revokedAt: now } });
    await recordAudit(tx, actor, { workspaceId: null, action: "user.sessions_revoke_admin", target: { type: "user", id: userId }, metadata: { sessions: r.count } });
    return { sessions: r.count };
  });
}
