// Dashboard sessions. The cookie holds a random secret; the database holds its HMAC, so every
// request is checked against the database and sign-out or disabling a user takes effect at once
// on every instance.
import { randomBytes } from "node:crypto";
import { db, transaction } from "../db/client";
import type { RequestMeta, UserActor } from "./actor";
import { credentialHashKeys, hmacHex } from "./keys";

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** `__Host-` cookies need Secure; plain-http development uses the unprefixed name. */
export function sessionCookieName(secure: boolean): string {
  return secure ? "__Host-tessera.session" : "tessera.session";
}

function hashes(value: string): string[] {
  return credentialHashKeys("session").map((k) => hmacHex(k.key, value));
}

export async function createSession(userId: string, meta: RequestMeta): Promise<{ value: string; id: string }> {
  const value = randomBytes(32).toString("base64url");
  const session = await transaction((tx) => tx.session.create({
    data: {
      userId,
      tokenHash: hashes(value)[0]!,
      ip: meta.ip,
      userAgent: meta.userAgent,
      expiresAt: new Date(Date.now() + SESSION_TTL_MS),
    },
  }));
  return { value, id: session.id };
}

/** The signed-in user for a cookie value, or null (unknown, expired, revoked, or disabled user). */
export async function resolveSession(value: string | undefined | null, meta: RequestMeta): Promise<UserActor | null> {
  if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) return null;
  const session = await db().session.findFirst({
    where: { tokenHash: { in: hashes(value) }, revokedAt: null, expiresAt: { gt: new Date() } },
    include: { user: { select: { id: true, email: true, isPlatformAdmin: true, disabledAt: true } } },
  });
  if (!session || session.user.disabledAt) return null;
  return {
    type: "user",
    userId: session.user.id,
    email: session.user.email,
    isPlatformAdmin: session.user.isPlatformAdmin,
    sessionId: session.id,
    meta,
  };
}

/** The actor of the current server request (server components and server actions). */
export async function getSessionActor(): Promise<UserActor | null> {
  const { cookies, headers } = await import("next/headers");
  const [jar, h] = await Promise.all([cookies(), headers()]);
  const { requestMeta } = await import("../http/request-meta");
  const value = jar.get(sessionCookieName(true))?.value ?? jar.get(sessionCookieName(false))?.value;
  return resolveSession(value, requestMeta(h));
}
