// Dashboard sessions and sudo mode (issue 15), on SQLite and PostgreSQL, with real sessions made by
// createSession and read back by resolveSession as every request does:
// - SES-08: the user's list of live sessions, ending one (404 for another user's) or all the
//   others; platform admins ending a user's sessions (service, server action and API route);
// - SES-06: the idle and absolute timeouts, by moving the clock (vi.setSystemTime);
// - SES-07: deleting a workspace, minting an admin or owner (or platform) token and claiming a
//   domain need a confirmation within 10 minutes (REAUTH_REQUIRED otherwise, audited); confirming
//   with the password or a TOTP code opens the window; confirmations are limited (429) and
//   audited; API tokens are never asked.
import { randomBytes } from "node:crypto";
import { generateTOTP } from "@oslojs/otp";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { UserActor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { createSession, resolveSession, type SessionActor } from "@/lib/auth/session";
import { newTotpKey, sealTotpKey, TOTP_DIGITS, TOTP_PERIOD_SECONDS } from "@/lib/auth/totp";
import { describeUserAgent } from "@/lib/auth/user-agent";
import { api } from "@/lib/contract";
import { errorEnvelopeSchema } from "@/lib/contract/errors";
import { config, resetConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { reauthenticate, REAUTH_FAILURE_LIMIT } from "@/lib/services/reauth";
import { listMySessions, revokeMyOtherSessions, revokeMySession, revokeUserSessions } from "@/lib/services/sessions";
import { SUDO_WINDOW_MS } from "@/lib/services/sudo";
import { createToken } from "@/lib/services/tokens";
import { createWorkspace, deleteWorkspace, updateSsoSettings } from "@/lib/services/workspaces";
import { deleteWorkspaceAction, revokeUserSessionsAction } from "@/app/(dashboard)/actions";
import { revokeOtherSessionsAction, revokeSessionAction } from "@/app/(dashboard)/account/sessions-actions";
import * as revokeRoute from "@/app/api/v1/admin/users/[userId]/sessions/revoke/route";
import { makeToken, makeUser, makeWorkspace, meta } from "../helpers/fixtures";
import { checkResponse } from "../helpers/openapi-check";

const CHROME_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const FIREFOX_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const PASSWORD = "correct horse battery staple";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const outcome = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : `THREW ${(e as Error)?.message}`));
const uniq = () => randomBytes(4).toString("hex");

type Signed = { value: string; id: string; actor: SessionActor };

/** A dashboard session of `user`, as sign-in makes it, and its actor as a request resolves it. */
async function signIn(user: UserActor, opts: { userAgent?: string; method?: "password" | "oidc"; ip?: string } = {}): Promise<Signed> {
  const m = meta({ userAgent: opts.userAgent ?? CHROME_MAC, ip: opts.ip ?? "203.0.113.7" });
  const { value, id } = await createSession(user.userId, m, opts.method ?? "password");
  const actor = await resolveSession(value, m);
  expect(actor).not.toBeNull();
  return { value, id, actor: actor! };
}

const again = async (s: Signed): Promise<SessionActor> => (await resolveSession(s.value, meta()))!;
const sessionRow = (id: string) => db().session.findUniqueOrThrow({ where: { id } });
const audit = (action: string, targetId: string, result = "success") => db().auditEvent.findMany({ where: { action, targetId, result }, orderBy: { createdAt: "asc" } });

/** A user with a password, and a platform admin when asked. */
async function userWithPassword(name = "ada", admin = false): Promise<UserActor> {
  const u = await makeUser(name);
  await db().user.update({ where: { id: u.userId }, data: { passwordHash: await hashPassword(PASSWORD), isPlatformAdmin: admin } });
  return { ...u, isPlatformAdmin: admin };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("SES-08: a user's own sessions", () => {
  it("SES-08: lists the live sessions (device, address, method, times), this one first and marked; ended, expired and others' are not listed", async () => {
    const user = await makeUser("lister");
    const other = await makeUser("other");
    const phone = await signIn(user, { userAgent: SAFARI_IPHONE, ip: "198.51.100.20" });
    const laptop = await signIn(user, { userAgent: CHROME_MAC, ip: "198.51.100.10" });
    const sso = await signIn(user, { userAgent: FIREFOX_WIN, method: "oidc" });
    const ended = await signIn(user);
    await db().session.update({ where: { id: ended.id }, data: { revokedAt: new Date() } });
    const expired = await signIn(user);
    await db().session.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const idle = await signIn(user);
    await db().session.update({ where: { id: idle.id }, data: { lastSeenAt: new Date(Date.now() - config().sessionIdleMs - MINUTE) } });
    await signIn(other);

    const list = await listMySessions(laptop.actor);
    expect(list[0]!.id).toBe(laptop.id);
    expect(list.map((s) => s.id).sort()).toEqual([laptop.id, phone.id, sso.id].sort());
    const byId = Object.fromEntries(list.map((s) => [s.id, s]));
    expect(byId[laptop.id]).toMatchObject({ current: true, ip: "198.51.100.10", method: "password", userAgent: CHROME_MAC, device: { label: "Chrome 131 on macOS", mobile: false } });
    expect(byId[phone.id]).toMatchObject({ current: false, ip: "198.51.100.20", device: { label: "Safari 17 on iOS 17", mobile: true } });
    expect(byId[sso.id]).toMatchObject({ current: false, method: "oidc", device: { label: "Firefox 133 on Windows" } });
    for (const s of list) {
      expect(s.createdAt).toBeInstanceOf(Date);
      expect(s.lastSeenAt).toBeInstanceOf(Date);
      expect(s.expiresAt.getTime()).toBeGreaterThan(Date.now());
      // Only what the list shows: never the secret's hash.
      expect(Object.keys(s)).not.toContain("tokenHash");
    }
    // An API token has no sessions to list.
    const { workspace, owner } = await makeWorkspace({ active: true });
    const token = await makeToken(owner, workspace.id);
    expect(await outcome(listMySessions(token.actor))).toBe("FORBIDDEN");
  });

  it("SES-08: ends one session (audited with its id): its next request is refused; ending this one signs this session out", async () => {
    const user = await makeUser("ender");
    const here = await signIn(user);
    const there = await signIn(user, { userAgent: SAFARI_IPHONE });
    expect(await revokeMySession(here.actor, there.id)).toEqual({ id: there.id, current: false });
    expect(await resolveSession(there.value, meta())).toBeNull();
    expect(await again(here)).not.toBeNull();
    expect((await sessionRow(there.id)).revokedAt).toBeInstanceOf(Date);
    const [event] = await audit("user.session_revoke", user.userId);
    expect(event).toMatchObject({ actorType: "user", actorId: user.userId, workspaceId: null });
    expect(JSON.parse(event!.metadata!)).toEqual({ sessionId: there.id, current: false });
    // Already ended: 404, nothing more audited.
    expect(await outcome(revokeMySession(here.actor, there.id))).toBe("NOT_FOUND");
    // The current one, through the server action as the list's button calls it.
    const r = await revokeSessionAction.run(here.actor, { sessionId: here.id });
    expect(r).toEqual({ ok: true, data: { id: here.id, current: true } });
    expect(await resolveSession(here.value, meta())).toBeNull();
    expect((await audit("user.session_revoke", user.userId)).length).toBe(2);
  });

  it("SES-08: another user's session id answers 404 and is never ended (the attempt is audited as denied); a malformed id is 422", async () => {
    const mallory = await makeUser("mallory");
    const victim = await makeUser("victim");
    const m = await signIn(mallory);
    const v = await signIn(victim);
    expect(await outcome(revokeMySession(m.actor, v.id))).toBe("NOT_FOUND");
    const viaAction = await revokeSessionAction.run(m.actor, { sessionId: v.id });
    expect(viaAction.ok ? "OK" : viaAction.error.code).toBe("NOT_FOUND");
    expect((await sessionRow(v.id)).revokedAt).toBeNull();
    expect(await resolveSession(v.value, meta())).not.toBeNull();
    const denied = await db().auditEvent.findMany({ where: { action: "user.session_revoke", result: "denied", actorId: mallory.userId } });
    expect(denied).toHaveLength(2);
    expect(JSON.parse(denied[0]!.metadata!)).toEqual({ sessionId: v.id });
    // An id that does not exist: 404 as well, with nothing to audit.
    expect(await outcome(revokeMySession(m.actor, "c".repeat(25)))).toBe("NOT_FOUND");
    const bad = await revokeSessionAction.run(m.actor, { sessionId: "../../x" });
    expect(bad.ok ? "OK" : bad.error.code).toBe("VALIDATION_FAILED");
    expect(await db().auditEvent.count({ where: { action: "user.session_revoke", result: "success", actorId: mallory.userId } })).toBe(0);
    const none = await revokeSessionAction.run(null, { sessionId: v.id });
    expect(none.ok ? "OK" : none.error.code).toBe("UNAUTHORIZED");
  });

  it("SES-08: ends all other sessions (audited with the count); this one and other users' stay", async () => {
    const user = await makeUser("many");
    const bystander = await signIn(await makeUser("bystander"));
    const here = await signIn(user);
    const others = [await signIn(user, { userAgent: SAFARI_IPHONE }), await signIn(user, { userAgent: FIREFOX_WIN }), await signIn(user)];
    const r = await revokeOtherSessionsAction.run(here.actor, {});
    expect(r).toEqual({ ok: true, data: { sessions: 3 } });
    for (const o of others) expect(await resolveSession(o.value, meta())).toBeNull();
    expect(await again(here)).not.toBeNull();
    expect(await resolveSession(bystander.value, meta())).not.toBeNull();
    expect((await listMySessions(here.actor)).map((s) => s.id)).toEqual([here.id]);
    const [event] = await audit("user.sessions_revoke_others", user.userId);
    expect(JSON.parse(event!.metadata!)).toEqual({ sessions: 3 });
    // Nothing left to end: 0, still audited (the user asked).
    expect(await revokeMyOtherSessions(here.actor)).toBe(0);
    expect(await audit("user.sessions_revoke_others", user.userId)).toHaveLength(2);
  });
});

describe("SES-08: platform admins end a user's sessions", () => {
  async function send(userId: string, auth: string | null) {
    const url = `http://localhost/api/v1/admin/users/${userId}/sessions/revoke`;
    const headers: Record<string, string> = { "x-tessera-client-ip": "198.51.100.9", "user-agent": "vitest sessions" };
    if (auth) headers.authorization = `Bearer ${auth}`;
    const res = await revokeRoute.POST(new Request(url, { method: "POST", headers }), { params: Promise.resolve({ userId }) });
    await checkResponse("POST", url, res);
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 400) expect(() => errorEnvelopeSchema.parse(json)).not.toThrow();
    else expect(() => api["admin.revokeUserSessions"].output.parse(json)).not.toThrow();
    return { status: res.status, json };
  }

  it("SES-08: a platform admin ends every session of a user from the dashboard (audited); the user can sign in again", async () => {
    const admin = await userWithPassword("root", true);
    const adminSession = await signIn(admin);
    const target = await makeUser("target");
    const sessions = [await signIn(target), await signIn(target, { userAgent: SAFARI_IPHONE })];
    const r = await revokeUserSessionsAction.run(adminSession.actor, { userId: target.userId });
    expect(r).toEqual({ ok: true, data: { sessions: 2 } });
    for (const s of sessions) expect(await resolveSession(s.value, meta())).toBeNull();
    expect(await again(adminSession)).not.toBeNull();
    const [event] = await audit("user.sessions_revoke_admin", target.userId);
    expect(event).toMatchObject({ actorType: "user", actorId: admin.userId, workspaceId: null });
    expect(JSON.parse(event!.metadata!)).toEqual({ sessions: 2 });
    // Not disabled: a new sign-in works.
    expect(await again(await signIn(target))).not.toBeNull();
    // Unknown user: 404.
    expect(await outcome(revokeUserSessions(adminSession.actor, "c".repeat(25)))).toBe("NOT_FOUND");
  });

  it("SES-08: anyone else is refused (403, audited) and nothing ends", async () => {
    const member = await makeUser("member");
    const memberSession = await signIn(member);
    const target = await makeUser("target");
    const s = await signIn(target);
    expect(await outcome(revokeUserSessions(memberSession.actor, target.userId))).toBe("FORBIDDEN");
    const viaAction = await revokeUserSessionsAction.run(memberSession.actor, { userId: target.userId });
    expect(viaAction.ok ? "OK" : viaAction.error.code).toBe("FORBIDDEN");
    expect(await resolveSession(s.value, meta())).not.toBeNull();
    expect(await db().auditEvent.count({ where: { action: "user.sessions_revoke_admin", result: "denied", actorId: member.userId } })).toBe(2);
    expect(await audit("user.sessions_revoke_admin", target.userId)).toHaveLength(0);
  });

  it("SES-08: POST /api/v1/admin/users/{userId}/sessions/revoke: a platform admin's platform token only", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    await db().user.update({ where: { id: owner.userId }, data: { isPlatformAdmin: true } });
    const admin = { ...owner, isPlatformAdmin: true };
    const platform = await makeToken(admin, workspace.id, { scopes: ["full", "platform"] });
    const readPlatform = await makeToken(admin, workspace.id, { scopes: ["read", "platform"] });
    const plain = await makeToken(admin, workspace.id, { scopes: ["full"] });
    const target = await makeUser("target");
    const s = await signIn(target);
    for (const [who, t] of [["read + platform", readPlatform], ["full without platform", plain]] as const) {
      const res = await send(target.userId, t.value);
      expect(res.status, who).toBe(403);
    }
    expect((await send(target.userId, null)).status).toBe(401);
    expect(await resolveSession(s.value, meta())).not.toBeNull();
    const ok = await send(target.userId, platform.value);
    expect(ok).toEqual({ status: 200, json: { sessions: 1 } });
    expect(await resolveSession(s.value, meta())).toBeNull();
    const [event] = await audit("user.sessions_revoke_admin", target.userId);
    expect(event).toMatchObject({ actorType: "token", actorId: platform.id });
    expect((await send("c".repeat(25), platform.value)).status).toBe(404);
    expect((await send("not-an-id", platform.value)).status).toBe(404);
  });
});

describe("SES-06: idle and absolute timeouts, by the clock", () => {
  const fakeClock = (at: number) => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(at);
  };

  it("SES-06: a session idle for longer than TESSERA_SESSION_IDLE_MINUTES (default 720) is refused", async () => {
    expect(config().sessionIdleMs).toBe(720 * MINUTE);
    const T = Date.now();
    fakeClock(T);
    const s = await signIn(await makeUser("idle"));
    vi.setSystemTime(T + config().sessionIdleMs - MINUTE);
    expect(await again(s)).not.toBeNull();
    // That request moved lastSeenAt on: the idle clock starts again from it.
    expect((await sessionRow(s.id)).lastSeenAt.getTime()).toBe(T + config().sessionIdleMs - MINUTE);
    vi.setSystemTime(T + 2 * config().sessionIdleMs - 2 * MINUTE);
    expect(await again(s)).not.toBeNull();
    // Now nothing for the idle limit and a second: refused, and for good.
    vi.setSystemTime(T + 3 * config().sessionIdleMs - 2 * MINUTE + 1000);
    expect(await resolveSession(s.value, meta())).toBeNull();
    vi.setSystemTime(T + 3 * config().sessionIdleMs);
    expect(await resolveSession(s.value, meta())).toBeNull();
  });

  it("SES-06: lastSeenAt moves at most once a minute", async () => {
    const T = Date.now();
    fakeClock(T);
    const s = await signIn(await makeUser("seen"));
    vi.setSystemTime(T + 30_000);
    expect(await again(s)).not.toBeNull();
    expect((await sessionRow(s.id)).lastSeenAt.getTime()).toBe(T);
    vi.setSystemTime(T + MINUTE + 1000);
    expect(await again(s)).not.toBeNull();
    expect((await sessionRow(s.id)).lastSeenAt.getTime()).toBe(T + MINUTE + 1000);
  });

  it("SES-06: past TESSERA_SESSION_MAX_HOURS (default 168) after sign-in a session is refused, even if used every hour", async () => {
    expect(config().sessionMaxMs).toBe(168 * HOUR);
    const T = Date.now();
    fakeClock(T);
    const s = await signIn(await makeUser("absolute"));
    expect((await sessionRow(s.id)).expiresAt.getTime()).toBe(T + 168 * HOUR);
    for (let h = 1; h < 168; h++) {
      vi.setSystemTime(T + h * HOUR);
      expect(await again(s), `hour ${h}`).not.toBeNull();
    }
    vi.setSystemTime(T + 168 * HOUR + 1000);
    expect(await resolveSession(s.value, meta())).toBeNull();
    // Last seen an hour ago: it is the absolute limit that ended it.
    expect(Date.now() - (await sessionRow(s.id)).lastSeenAt.getTime()).toBeLessThan(2 * HOUR);
  });

  it("SES-06: lowering TESSERA_SESSION_MAX_HOURS shortens sessions that already exist; ended sessions leave the list", async () => {
    const T = Date.now();
    fakeClock(T);
    const user = await makeUser("lowered");
    const s = await signIn(user);
    const other = await signIn(user);
    vi.setSystemTime(T + 2 * HOUR);
    const before = process.env.TESSERA_SESSION_MAX_HOURS;
    try {
      process.env.TESSERA_SESSION_MAX_HOURS = "1";
      resetConfig();
      expect(await resolveSession(s.value, meta())).toBeNull();
      expect(await resolveSession(other.value, meta())).toBeNull();
    } finally {
      if (before === undefined) delete process.env.TESSERA_SESSION_MAX_HOURS;
      else process.env.TESSERA_SESSION_MAX_HOURS = before;
      resetConfig();
    }
    expect(await again(s)).not.toBeNull();
    // The list follows the same rule: a session past the idle limit is not shown.
    vi.setSystemTime(T + 2 * HOUR + config().sessionIdleMs + MINUTE);
    const fresh = await signIn(user);
    expect((await listMySessions(fresh.actor)).map((x) => x.id)).toEqual([fresh.id]);
  });
});

describe("SES-07: sudo mode for sensitive actions", () => {
  /** A signed-in owner (with a password) of an active team workspace, whose last confirmation was `minutesAgo`. */
  async function staleOwner(minutesAgo = 11) {
    const owner = await userWithPassword("owner");
    const ws = await createWorkspace(owner, { name: `Team ${uniq()}` });
    await db().workspace.update({ where: { id: ws.id }, data: { status: "active" } });
    const s = await signIn(owner);
    await db().session.update({ where: { id: s.id }, data: { reauthAt: new Date(Date.now() - minutesAgo * MINUTE) } });
    return { owner, ws, s, actor: await again(s) };
  }

  const privilegedTokens = [
    { name: "owner workspace token", kind: "workspace", role: "owner" },
    { name: "admin workspace token", kind: "workspace", role: "admin" },
  ] as const;

  it("SES-07: outside the 10-minute window, deleting a workspace and minting an admin or owner token answer REAUTH_REQUIRED (audited), and nothing changes", async () => {
    const { owner, ws, actor } = await staleOwner();
    expect(await outcome(deleteWorkspace(actor, ws.id, { confirmName: ws.name }))).toBe("REAUTH_REQUIRED");
    const viaAction = await deleteWorkspaceAction.run(actor, { workspaceId: ws.id, confirmName: ws.name });
    expect(viaAction.ok ? "OK" : viaAction.error).toMatchObject({ code: "REAUTH_REQUIRED", details: [{ path: "(root)", message: "workspace.delete" }] });
    expect(await db().workspace.findUnique({ where: { id: ws.id } })).not.toBeNull();
    for (const t of privilegedTokens) {
      expect(await outcome(createToken(actor, ws.id, { ...t, expiresInDays: 7 })), t.name).toBe("REAUTH_REQUIRED");
    }
    expect(await db().token.count({ where: { workspaceId: ws.id } })).toBe(0);
    // The refusals are audited as denied, with the reason.
    const denied = await db().auditEvent.findMany({ where: { workspaceId: ws.id, result: "denied", actorId: owner.userId }, orderBy: { createdAt: "asc" } });
    expect(denied.map((e) => e.action)).toEqual(["workspace.delete", "workspace.delete", "token.create", "token.create"]);
    for (const e of denied) expect(JSON.parse(e.metadata!)).toMatchObject({ reauth: "required" });
    // Not sensitive: a member-role workspace token.
    expect(await outcome(createToken(actor, ws.id, { name: "member token", kind: "workspace", role: "member" }))).toBe("OK");
    // Sensitive too: a user token acts with its creator's role, and an owner's is as strong as an owner token.
    expect(await outcome(createToken(actor, ws.id, { name: "my token", kind: "user" }))).toBe("REAUTH_REQUIRED");
    // Wrong input is refused as such first (nothing to confirm).
    expect(await outcome(deleteWorkspace(actor, ws.id, { confirmName: "not the name" }))).toBe("VALIDATION_FAILED");
  });

  it("SES-07: a platform-scope token needs the window too", async () => {
    const admin = await userWithPassword("root", true);
    const ws = await createWorkspace(admin, { name: `Ops ${uniq()}` });
    const s = await signIn(admin);
    await db().session.update({ where: { id: s.id }, data: { reauthAt: new Date(Date.now() - 11 * MINUTE) } });
    const stale = await again(s);
    expect(await outcome(createToken(stale, ws.id, { name: "admin api", kind: "user", scopes: ["full", "platform"] }))).toBe("REAUTH_REQUIRED");
    await reauthenticate(stale, { password: PASSWORD });
    expect(await outcome(createToken(await again(s), ws.id, { name: "admin api", kind: "user", scopes: ["full", "platform"] }))).toBe("OK");
  });

  it("SES-07: the window closes 10 minutes after sign-in (by clock), and confirming with the password opens it again", async () => {
    const T = Date.now();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(T);
    const owner = await userWithPassword("clock");
    const ws = await createWorkspace(owner, { name: `Clock ${uniq()}` });
    await db().workspace.update({ where: { id: ws.id }, data: { status: "active" } });
    const s = await signIn(owner);
    // Just signed in: inside the window.
    vi.setSystemTime(T + SUDO_WINDOW_MS - MINUTE);
    expect(await outcome(createToken(await again(s), ws.id, { name: "inside", kind: "workspace", role: "owner" }))).toBe("OK");
    vi.setSystemTime(T + SUDO_WINDOW_MS + 1000);
    expect(await outcome(createToken(await again(s), ws.id, { name: "outside", kind: "workspace", role: "owner" }))).toBe("REAUTH_REQUIRED");
    // A wrong password: refused, audited, the window stays closed.
    expect(await outcome(reauthenticate(await again(s), { password: "not my password at all" }))).toBe("UNAUTHORIZED");
    expect(await outcome(deleteWorkspace(await again(s), ws.id, { confirmName: ws.name }))).toBe("REAUTH_REQUIRED");
    expect(await reauthenticate(await again(s), { password: PASSWORD })).toEqual({ method: "password" });
    expect((await sessionRow(s.id)).reauthAt.getTime()).toBe(T + SUDO_WINDOW_MS + 1000);
    expect(await outcome(deleteWorkspace(await again(s), ws.id, { confirmName: ws.name }))).toBe("OK");
    // The clock stands still here: both events have the same time, so they are compared sorted.
    const events = await db().auditEvent.findMany({ where: { action: "user.reauthenticate", targetId: owner.userId } });
    expect(events.map((e) => [e.result, JSON.parse(e.metadata!)]).sort()).toEqual([
      ["denied", { method: "password" }],
      ["success", { method: "password" }],
    ]);
    // Never the password: not in the audit rows, not in the session row.
    const rows = JSON.stringify([events, await sessionRow(s.id)]);
    expect(rows).not.toContain(PASSWORD);
    expect(rows).not.toContain("not my password at all");
  });

  it("SES-07: a TOTP code confirms once (the same code cannot confirm twice)", async () => {
    const { owner, ws, s, actor } = await staleOwner();
    const key = newTotpKey();
    await db().user.update({ where: { id: owner.userId }, data: { totpSecret: sealTotpKey(owner.userId, key), totpEnabledAt: new Date() } });
    const code = generateTOTP(key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
    expect(await outcome(reauthenticate(actor, { code: "000000" === code ? "111111" : "000000" }))).toBe("UNAUTHORIZED");
    expect(await reauthenticate(actor, { code })).toEqual({ method: "totp" });
    expect(await outcome(reauthenticate(actor, { code }))).toBe("UNAUTHORIZED");
    expect(await outcome(createToken(await again(s), ws.id, { name: "after totp", kind: "workspace", role: "owner" }))).toBe("OK");
    const events = await db().auditEvent.findMany({ where: { action: "user.reauthenticate", targetId: owner.userId } });
    expect(JSON.stringify(events)).not.toContain(code);
  });

  it(`SES-07: confirmations are limited: after ${REAUTH_FAILURE_LIMIT} failures even the right password gets 429 with Retry-After; each failure is audited`, async () => {
    const { owner, s, actor } = await staleOwner();
    for (let i = 0; i < REAUTH_FAILURE_LIMIT; i++) expect(await outcome(reauthenticate(actor, { password: `wrong guess ${i}` }))).toBe("UNAUTHORIZED");
    const limited = await reauthenticate(actor, { password: PASSWORD }).then(
      () => null,
      (e: unknown) => e as AppError,
    );
    expect(limited?.code).toBe("RATE_LIMITED");
    expect(limited?.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited?.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect((await sessionRow(s.id)).reauthAt.getTime()).toBeLessThan(Date.now() - 10 * MINUTE);
    expect(await db().auditEvent.count({ where: { action: "user.reauthenticate", targetId: owner.userId, result: "denied" } })).toBe(REAUTH_FAILURE_LIMIT);
    const rows = JSON.stringify(await db().auditEvent.findMany({ where: { targetId: owner.userId } }));
    for (let i = 0; i < REAUTH_FAILURE_LIMIT; i++) expect(rows).not.toContain(`wrong guess ${i}`);
  });

  it("SES-07: claiming an SSO domain needs the window; changing the role alone does not", async () => {
    const owner = await makeUser("sso");
    const domain = `corp-${uniq()}.example`;
    await db().user.update({ where: { id: owner.userId }, data: { email: `ada@${domain}` } });
    const ws = await createWorkspace(owner, { name: `Corp ${uniq()}` });
    const s = await signIn(owner, { method: "oidc" });
    await db().session.update({ where: { id: s.id }, data: { reauthAt: new Date(Date.now() - 11 * MINUTE) } });
    const stale = await again(s);
    const claim = { ssoDomain: domain, ssoDefaultRole: "member" as const, ssoRequired: false };
    expect(await outcome(updateSsoSettings(stale, ws.id, claim))).toBe("REAUTH_REQUIRED");
    expect((await db().workspace.findUniqueOrThrow({ where: { id: ws.id } })).ssoDomain).toBeNull();
    const [denied] = await db().auditEvent.findMany({ where: { workspaceId: ws.id, action: "workspace.sso.update", result: "denied" } });
    expect(JSON.parse(denied!.metadata!)).toEqual({ domain, reauth: "required" });
    expect(await outcome(updateSsoSettings(stale, ws.id, { ssoDomain: null, ssoDefaultRole: "viewer", ssoRequired: false }))).toBe("OK");
    // An SSO session confirms with a new SSO sign-in: a new session starts inside the window.
    const fresh = await signIn(owner, { method: "oidc" });
    expect(await outcome(updateSsoSettings(fresh.actor, ws.id, claim))).toBe("OK");
    // Keeping the claimed domain (other settings changed) is no new claim.
    expect(await outcome(updateSsoSettings(stale, ws.id, { ...claim, ssoDefaultRole: "viewer" }))).toBe("OK");
  });

  it("SES-07: API tokens are never asked, whatever the owner's session", async () => {
    const { owner, ws, actor } = await staleOwner(60);
    const ownerToken = await makeToken(owner, ws.id, { kind: "workspace", role: "owner" });
    expect(await outcome(createToken(actor, ws.id, { name: "stale", kind: "workspace", role: "owner" }))).toBe("REAUTH_REQUIRED");
    expect(await outcome(createToken(ownerToken.actor, ws.id, { name: "by token", kind: "workspace", role: "owner" }))).toBe("OK");
    const userToken = await makeToken(owner, ws.id);
    expect(await outcome(createToken(userToken.actor, ws.id, { name: "by user token", kind: "workspace", role: "admin" }))).toBe("OK");
    expect(await outcome(deleteWorkspace(ownerToken.actor, ws.id, { confirmName: ws.name }))).toBe("OK");
    // Confirming is a dashboard matter: a token cannot.
    expect(await outcome(reauthenticate(userToken.actor, { password: PASSWORD }))).toBe("FORBIDDEN");
  });
});

describe("device summaries of user agents", () => {
  it("names common browsers and systems, and falls back to the agent's first word", () => {
    const cases: [string | null, string][] = [
      [CHROME_MAC, "Chrome 131 on macOS"],
      [SAFARI_IPHONE, "Safari 17 on iOS 17"],
      [FIREFOX_WIN, "Firefox 133 on Windows"],
      ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge 131 on Windows"],
      ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.39 Mobile Safari/537.36", "Chrome 131 on Android 14"],
      ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", "Headless Chrome 131 on Linux"],
      ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari 18 on macOS"],
      ["Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1", "Chrome 131 on iPadOS 17"],
      ["Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome 131 on ChromeOS"],
      ["curl/8.5.0", "curl/8.5.0"],
      ["\u202Eevil\u0000agent", "evilagent"],
      ["", "Unknown device"],
      [null, "Unknown device"],
    ];
    for (const [ua, label] of cases) expect(describeUserAgent(ua).label, String(ua)).toBe(label);
  });
});
