// Dashboard sessions. NextAuth keeps a JWT in the `__Host-` session cookie; the JWT carries a
// random session secret whose HMAC is a Session row. Every request checks that row, so sign-out,
// "sign out everywhere" and disabling a user take effect at once on every instance.
import { randomBytes } from "node:crypto";
import { config } from "../config";
import { db, transaction } from "../db/client";
import type { RequestMeta, UserActor } from "./actor";
import { credentialHashKeys, hmacHex } from "./keys";

/**
 * The longest a session can live (the NextAuth cookie's own lifetime). The enforced limits are
 * shorter: the absolute timeout (TESSERA_SESSION_MAX_HOURS, 7 days by default) is the row's
 * expiresAt, and the idle timeout (TESSERA_SESSION_IDLE_MINUTES, 12 hours) is checked against
 * lastSeenAt. Both are read from the database, so every instance enforces them alike (SES-06).
 */
export const SESSION_TTL_MS = 90 * 24 * 60 * 60 * 1000;
/** lastSeenAt is written at most this often per session (the idle timeout's resolution). */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

/**
 * Whether cookies are Secure. Browsers accept Secure cookies on http://localhost, so they are,
 * unless TESSERA_PUBLIC_URL is a plain-http address other than localhost.
 */
export function cookiesSecure(): boolean {
  const url = config().publicUrl;
  if (!url) return true;
  const u = new URL(url);
  return u.protocol === "https:" || ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname);
}

/** `__Host-` cookies need Secure; plain-http deployments use the unprefixed name. */
export function sessionCookieName(secure = cookiesSecure()): string {
  return secure ? "__Host-tessera.session" : "tessera.session";
}

function hashes(value: string): string[] {
  return credentialHashKeys("session").map((k) => hmacHex(k.key, value));
}

export async function createSession(
  userId: string,
  meta: RequestMeta,
  method: "password" | "oidc" = "password",
): Promise<{ value: string; id: string }> {
  const value = randomBytes(32).toString("base64url");
  // Every time is the application's clock (not the database's default), the clock resolveSession
  // compares them with.
  const now = new Date();
  const session = await transaction((tx) =>
    tx.session.create({
      data: {
        userId,
        method,
        tokenHash: hashes(value)[0]!,
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 512) ?? null,
        createdAt: now,
        lastSeenAt: now,
        reauthAt: now,
        expiresAt: new Date(now.getTime() + config().sessionMaxMs),
      },
    }),
  );
  return { value, id: session.id };
}

export type SessionActor = UserActor & { authMethod: "password" | "oidc" };

/**
 * The conditions of a live session at `now`: not revoked, not past its absolute timeout, not idle
 * for longer than the idle timeout. The absolute timeout is checked twice: the row's expiresAt
 * (set at sign-in) and its age under the current TESSERA_SESSION_MAX_HOURS, so that lowering the
 * setting shortens sessions that already exist.
 */
export function liveSessionWhere(now: Date) {
  const c = config();
  return {
    revokedAt: null,
    expiresAt: { gt: now },
    createdAt: { gt: new Date(now.getTime() - c.sessionMaxMs) },
    lastSeenAt: { gt: new Date(now.getTime() - c.sessionIdleMs) },
  };
}

/**
 * The signed-in user for a session secret, or null: unknown, revoked, past its absolute timeout
 * (expiresAt, or older than TESSERA_SESSION_MAX_HOURS now), idle for longer than the idle timeout
 * (lastSeenAt), or a disabled user (see liveSessionWhere). A live
 * session's lastSeenAt is moved on at most once a minute (LAST_SEEN_RESOLUTION_MS).
 */
export async function resolveSession(value: unknown, meta: RequestMeta): Promise<SessionActor | null> {
  if (typeof value !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(value)) return null;
  const now = new Date();
  const session = await db().session.findFirst({
    where: { tokenHash: { in: hashes(value) }, ...liveSessionWhere(now) },
    include: { user: { select: { id: true, email: true, isPlatformAdmin: true, disabledAt: true, totpEnabledAt: true } } },
  });
  if (!session || session.user.disabledAt) return null;
  if (now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    // Conditional, so that concurrent requests write it once; a lost write only costs a minute.
    await transaction((tx) => tx.session.updateMany({ where: { id: session.id, lastSeenAt: session.lastSeenAt }, data: { lastSeenAt: now } })).catch(() => undefined);
  }
  return {
    type: "user",
    userId: session.user.id,
    email: session.user.email,
    isPlatformAdmin: session.user.isPlatformAdmin,
    sessionId: session.id,
    authMethod: session.method === "oidc" ? "oidc" : "password",
    reauthAt: session.reauthAt,
    hasMfa: session.user.totpEnabledAt !== null,
    meta,
  };
}

export async function revokeSession(value: unknown): Promise<void> {
  if (typeof value !== "string" || !value) return;
  await transaction((tx) =>
    tx.session.updateMany({ where: { tokenHash: { in: hashes(value) }, revokedAt: null }, data: { revokedAt: new Date() } }),
  );
}

/** The session secret inside a NextAuth session cookie (a JWE signed with the auth secret). */
export async function sessionSecretFromCookie(cookie: string | undefined): Promise<string | null> {
  if (!cookie) return null;
  try {
    const { decode } = await import("next-auth/jwt");
    const token = await decode({ token: cookie, secret: config().authSecret });
    return typeof token?.sst === "string" ? token.sst : null;
  } catch {
    return null;
  }
}

/** The actor of the current server request (server components and server actions). */
export async function getSessionActor(): Promise<SessionActor | null> {
  const { cookies, headers } = await import("next/headers");
  const [jar, h] = await Promise.all([cookies(), headers()]);
  const { requestMeta } = await import("../http/request-meta");
  const secret = await sessionSecretFromCookie(jar.get(sessionCookieName())?.value);
  return resolveSession(secret, requestMeta(h));
}
