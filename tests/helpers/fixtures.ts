// Test data builders. Users are inserted directly until the sign-in issue adds a user service.
import { randomBytes } from "node:crypto";
import type { RequestMeta, TokenActor, UserActor } from "../../lib/auth/actor";
import type { Role } from "../../lib/auth/permissions";
import { authenticateBearer } from "../../lib/auth/bearer";
import { db } from "../../lib/db/client";
import { createToken } from "../../lib/services/tokens";
import { createWorkspace } from "../../lib/services/workspaces";
import type { CreateTokenInput } from "../../lib/schemas/token";

export const meta = (over: Partial<RequestMeta> = {}): RequestMeta => ({
  requestId: `req-${randomBytes(6).toString("hex")}`,
  ip: "203.0.113.7",
  userAgent: "vitest",
  ...over,
});

/**
 * A user, with a verified address unless `verified: false` (an unverified account cannot accept an
 * invitation to its address, nor join a claimed domain: tests of other rules start verified).
 */
export async function makeUser(name = "user", opts: { verified?: boolean } = {}): Promise<UserActor> {
  const email = `${name}-${randomBytes(4).toString("hex")}@example.test`;
  const user = await db().user.create({ data: { email, name, emailVerifiedAt: opts.verified === false ? null : new Date() } });
  return { type: "user", userId: user.id, email, isPlatformAdmin: false, sessionId: null, meta: meta() };
}

/** A workspace owned by a new user, plus one member per requested role. */
export async function makeWorkspace(opts: { name?: string; active?: boolean; roles?: Role[] } = {}) {
  const owner = await makeUser("owner");
  const ws = await createWorkspace(owner, { name: opts.name ?? "Acme" });
  if (opts.active) await db().workspace.update({ where: { id: ws.id }, data: { status: "active" } });
  const members: Partial<Record<Role, UserActor>> = { owner };
  for (const role of opts.roles ?? []) {
    if (role === "owner") continue;
    const u = await makeUser(role);
    await db().membership.create({ data: { workspaceId: ws.id, userId: u.userId, role } });
    members[role] = u;
  }
  return { workspace: ws, owner, members };
}

/** Mints a real token through the service and authenticates it as a request would. */
export async function makeToken(
  creator: UserActor,
  workspaceId: string,
  input: Partial<CreateTokenInput> = {},
): Promise<{ value: string; id: string; actor: TokenActor }> {
  const created = await createToken(creator, workspaceId, { name: "test token", ...input });
  const { access: _requestScoped, ...actor } = await authenticateBearer(`Bearer ${created.value}`, meta());
  // A real actor lives for one request; this one is reused across a test's changes, so it drops
  // the request-scoped snapshot (`access`) and every service call reads the current state.
  return { value: created.value, id: created.id, actor };
}

export function bearer(value: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${value}`, ...extra };
}
