// Email verification (issue 15) against a real SMTP server (smtp-server, in process) on SQLite and
// PostgreSQL: the link is stored as an HMAC only, works once, for 24 hours, for the signed-in owner
// of the account only; an unverified account cannot accept an invitation sent to its address nor
// join a workspace that claimed its domain; platform admins mark addresses verified (audited, also
// through the admin API); resending and changing the address are limited (429 with Retry-After);
// and the link never reaches a log, an error, the audit log or the database.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";
import type { UserActor } from "@/lib/auth/actor";
import { startMailbox, linkIn, type Mailbox, type ReceivedMail } from "../helpers/mailbox";

let mailbox: Mailbox;

beforeAll(async () => {
  mailbox = await startMailbox();
  // Read by lib/config on first use (no module has loaded the configuration yet).
  process.env.TESSERA_SMTP_URL = mailbox.url;
  process.env.TESSERA_PUBLIC_URL = "https://tessera.example.test";
});

afterAll(() => mailbox.close());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const uniq = () => randomBytes(4).toString("hex");
const PASSWORD = "correct horse battery";
const verifyMailTo = (email: string) => (m: ReceivedMail) => m.to.includes(email) && m.subject === "Verify your email address for Tessera";
const secretOf = (mail: ReceivedMail) => linkIn(mail, "/verify-email/").split("/verify-email/")[1]!;

async function code(p: Promise<unknown>): Promise<string> {
  const { AppError } = await import("@/lib/errors");
  return p.then(
    () => "OK",
    (e: unknown) => (e instanceof AppError ? e.code : `THREW ${(e as Error)?.message}`),
  );
}

async function failure(p: Promise<unknown>) {
  const { AppError } = await import("@/lib/errors");
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

/** A dashboard session of the user, inside its sudo window. */
const session = (u: UserActor): UserActor => ({ ...u, sessionId: `session-${uniq()}`, authMethod: "password", reauthAt: new Date() });

/** Signs up with a password (the real service) and returns the user's session actor and the link's secret from the mail. */
async function signUp(name = "user") {
  const { signUpWithPassword, userActor } = await import("@/lib/services/users");
  const { meta } = await import("../helpers/fixtures");
  const email = `${name}-${uniq()}@example.test`;
  const user = await signUpWithPassword({ name, email, password: PASSWORD }, meta({ ip: `192.0.2.${Math.floor(Math.random() * 250)}` }));
  expect(user).not.toBeNull();
  const mail = await mailbox.waitFor(verifyMailTo(email));
  return { user: session(userActor(user!, meta())), email, mail, secret: secretOf(mail) };
}

describe("the verification link", () => {
  it("is mailed at sign-up (text and escaped HTML, 24 hours said), stored only as its HMAC, and verifies the signed-in owner once", async () => {
    const { db } = await import("@/lib/db/client");
    const { credentialHashKeys, hmacHex } = await import("@/lib/auth/keys");
    const { verifyEmail, previewVerification, changeEmail, VERIFY_LINK_TTL_MS } = await import("@/lib/services/verification");
    const { user, email, mail, secret } = await signUp("ada");

    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(linkIn(mail, "/verify-email/")).toBe(`https://tessera.example.test/verify-email/${secret}`);
    expect(mail.text).toContain("expires in 24 hours");
    expect(mail.html).toContain(`href="https://tessera.example.test/verify-email/${secret}"`);
    expect(mail.html).toContain("expires in 24 hours");
    expect((await db().user.findUniqueOrThrow({ where: { id: user.userId } })).emailVerifiedAt).toBeNull();

    // At rest: the HMAC under the active "account" key, the address it went to, and nothing else.
    const rows = await db().accountToken.findMany({ where: { userId: user.userId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ purpose: "email_verify", email, usedAt: null, hash: hmacHex(credentialHashKeys("account")[0]!.key, secret) });
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(Math.abs(rows[0]!.expiresAt.getTime() - (Date.now() + VERIFY_LINK_TTL_MS))).toBeLessThan(60_000);

    expect(await previewVerification(secret, user.userId)).toMatchObject({ state: "ready", email, viewerIsOwner: true });
    expect(await previewVerification(secret, null)).toMatchObject({ state: "ready", viewerIsOwner: null });
    const verified = await verifyEmail(user, secret);
    expect(verified.email).toBe(email);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.userId } })).emailVerifiedAt).not.toBeNull();
    expect((await db().accountToken.findFirstOrThrow({ where: { userId: user.userId } })).usedAt).not.toBeNull();
    const audit = await db().auditEvent.findMany({ where: { targetId: user.userId, action: "user.email_verify" } });
    expect(audit.map((e) => [e.result, JSON.parse(e.metadata!)])).toEqual([["success", { email, by: "link" }]]);
    expect(await previewVerification(secret, user.userId)).toMatchObject({ state: "verified" });

    // Single use: once the address is unverified again (changed away and back), the used link does not verify it.
    await changeEmail(user, { email: `elsewhere-${uniq()}@example.test` });
    await changeEmail(user, { email });
    expect(await previewVerification(secret, user.userId)).toMatchObject({ state: "used" });
    const reused = await failure(verifyEmail(user, secret));
    expect([reused.code, reused.message]).toEqual(["CONFLICT", "This link has already been used. Send a new one from your account page."]);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.userId } })).emailVerifiedAt).toBeNull();
  });

  it("expires after 24 hours (by clock)", async () => {
    const { db } = await import("@/lib/db/client");
    const { verifyEmail, previewVerification } = await import("@/lib/services/verification");
    const { user, secret } = await signUp("late");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 24 * 60 * 60 * 1000 - 60_000);
    expect(await previewVerification(secret, user.userId)).toMatchObject({ state: "ready" });
    vi.setSystemTime(Date.now() + 61_000);
    expect(await previewVerification(secret, user.userId)).toMatchObject({ state: "expired" });
    const expired = await failure(verifyEmail(user, secret));
    expect([expired.code, expired.message]).toEqual(["CONFLICT", "This link has expired. Send a new one from your account page."]);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.userId } })).emailVerifiedAt).toBeNull();
  });

  it("RL-01: works only for the account it was sent for; unknown links are refused, audited, and limited per client address", async () => {
    const { db } = await import("@/lib/db/client");
    const { verifyEmail, VERIFY_FAILURE_LIMIT } = await import("@/lib/services/verification");
    const { makeUser, meta } = await import("../helpers/fixtures");
    const { user, email, secret } = await signUp("owner");
    // Somebody else (who got hold of the mail) cannot verify the account with it.
    const other = session(await makeUser("other"));
    const foreign = await failure(verifyEmail(other, secret));
    expect(foreign.code).toBe("FORBIDDEN");
    expect(foreign.message).toContain(email);
    expect(foreign.message).not.toContain(secret);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.userId } })).emailVerifiedAt).toBeNull();
    expect(await db().auditEvent.count({ where: { actorId: other.userId, action: "user.email_verify", result: "denied" } })).toBe(1);

    const prober = { ...other, meta: meta({ ip: `198.18.${Math.floor(Math.random() * 250)}.9` }) };
    for (let i = 0; i < VERIFY_FAILURE_LIMIT; i++) expect(await code(verifyEmail(prober, randomBytes(32).toString("base64url")))).toBe("NOT_FOUND");
    expect(await db().auditEvent.count({ where: { actorId: other.userId, action: "user.email_verify", result: "denied" } })).toBe(1 + VERIFY_FAILURE_LIMIT);
    const limited = await failure(verifyEmail(prober, randomBytes(32).toString("base64url")));
    expect([limited.code, limited.status]).toEqual(["RATE_LIMITED", 429]);
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);
    // The owner still verifies with the real link.
    expect((await verifyEmail(user, secret)).email).toBe(email);
  });
});

describe("what an unverified address cannot do", () => {
  it("cannot accept an invitation sent to that address, and can once verified", async () => {
    const { db } = await import("@/lib/db/client");
    const { createInvitation, acceptInvitation } = await import("@/lib/services/invitations");
    const { resendVerification, verifyEmail } = await import("@/lib/services/verification");
    const { makeUser, makeWorkspace } = await import("../helpers/fixtures");
    const { workspace, owner } = await makeWorkspace({ name: "GPU Lab" });
    const invitee = session(await makeUser("invitee", { verified: false }));
    const created = await createInvitation(owner, workspace.id, { email: invitee.email, role: "member" });
    const inviteCode = created.link.split("/invite/")[1]!;

    const refused = await failure(acceptInvitation(invitee, inviteCode));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toBe(`Verify your email address first: we sent a link to ${invitee.email}; resend from your account page (/account).`);
    expect(await db().membership.count({ where: { workspaceId: workspace.id, userId: invitee.userId } })).toBe(0);
    expect(await db().auditEvent.count({ where: { workspaceId: workspace.id, actorId: invitee.userId, action: "member.invitation.accept", result: "denied" } })).toBe(1);

    const resent = await resendVerification(invitee);
    expect(resent.delivery).toBe("sent");
    const mail = await mailbox.waitFor(verifyMailTo(invitee.email));
    await verifyEmail(invitee, secretOf(mail));
    expect(await acceptInvitation(invitee, inviteCode)).toEqual({ workspaceId: workspace.id, role: "member" });

    // "Anyone with the link" does not depend on the address: an unverified account may use it.
    const open = await createInvitation(owner, workspace.id, { role: "viewer", anyoneWithLink: true });
    const stranger = session(await makeUser("stranger", { verified: false }));
    expect(await acceptInvitation(stranger, open.link.split("/invite/")[1]!)).toEqual({ workspaceId: workspace.id, role: "viewer" });
  });

  it("is never matched to a workspace's SSO domain claim; verified, it is", async () => {
    const { db } = await import("@/lib/db/client");
    const { signInWithOidc, signInWithPassword, signUpWithPassword } = await import("@/lib/services/users");
    const { markEmailVerified } = await import("@/lib/services/verification");
    const { updateSsoSettings } = await import("@/lib/services/workspaces");
    const { makeUser, makeWorkspace, meta } = await import("../helpers/fixtures");
    const domain = `claimed-${uniq()}.example`;
    const { workspace, owner } = await makeWorkspace({ name: "Corp" });
    await updateSsoSettings({ ...owner, email: `boss@${domain}`, authMethod: "oidc" }, workspace.id, { ssoDomain: domain, ssoDefaultRole: "member", ssoRequired: false });
    const memberOf = (userId: string) => db().membership.count({ where: { workspaceId: workspace.id, userId } });

    // A password account of the domain: unverified, it signs in and joins nothing.
    const email = `pat@${domain}`;
    const pat = (await signUpWithPassword({ name: "Pat", email, password: PASSWORD }, meta({ ip: "192.0.2.77" })))!;
    expect((await signInWithPassword(email, PASSWORD, meta({ ip: "192.0.2.77" }))).ok).toBe(true);
    expect(await memberOf(pat.id)).toBe(0);

    // An SSO user whose provider does not vouch for the address (no email_verified): not verified, not matched.
    const sub = `s-${uniq()}`;
    const sso = await signInWithOidc("oidc", { sub, email: `sam@${domain}` }, meta());
    expect(sso.emailVerifiedAt).toBeNull();
    expect(await memberOf(sso.id)).toBe(0);
    // Once a platform admin verifies it, the next SSO sign-in joins.
    const admin = { ...(await makeUser("root")), isPlatformAdmin: true };
    await db().user.update({ where: { id: admin.userId }, data: { isPlatformAdmin: true } });
    await markEmailVerified(admin, sso.id);
    await signInWithOidc("oidc", { sub, email: `sam@${domain}` }, meta());
    expect(await memberOf(sso.id)).toBe(1);

    // A provider that vouches (email_verified: true): verified at provisioning (audited, by the idp), and joins.
    const vouched = await signInWithOidc("oidc", { sub: `s-${uniq()}`, email: `val@${domain}`, email_verified: true }, meta());
    expect(vouched.emailVerifiedAt).not.toBeNull();
    expect(await memberOf(vouched.id)).toBe(1);
    const idp = await db().auditEvent.findFirstOrThrow({ where: { targetId: vouched.id, action: "user.email_verify" } });
    expect(JSON.parse(idp.metadata!)).toEqual({ email: `val@${domain}`, by: "idp" });

    // A verified password account is still never matched: only SSO sign-ins join claimed domains.
    await markEmailVerified(admin, pat.id);
    expect((await signInWithPassword(email, PASSWORD, meta({ ip: "192.0.2.77" }))).ok).toBe(true);
    expect(await memberOf(pat.id)).toBe(0);
  });
});

describe("platform admins", () => {
  it("mark an address verified (audited {by: admin}), their own too, in the dashboard and through the admin API; others cannot", async () => {
    const { db } = await import("@/lib/db/client");
    const { markEmailVerified } = await import("@/lib/services/verification");
    const { makeToken, makeUser, makeWorkspace } = await import("../helpers/fixtures");
    const { checkResponse } = await import("../helpers/openapi-check");
    const { PATCH } = await import("@/app/api/v1/admin/users/[userId]/route");
    const actions = await import("@/app/(dashboard)/actions");
    const admin = { ...(await makeUser("root", { verified: false })), isPlatformAdmin: true };
    await db().user.update({ where: { id: admin.userId }, data: { isPlatformAdmin: true } });
    const target = await makeUser("target", { verified: false });
    const verifiedAt = async (id: string) => (await db().user.findUniqueOrThrow({ where: { id } })).emailVerifiedAt;

    // Not an admin: refused and audited, nothing changes.
    const plain = await makeUser("plain");
    expect(await actions.markEmailVerifiedAction.run(plain, { userId: target.userId })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await verifiedAt(target.userId)).toBeNull();
    expect(await db().auditEvent.count({ where: { actorId: plain.userId, action: "user.email_verify", result: "denied" } })).toBe(1);

    expect(await actions.markEmailVerifiedAction.run(admin, { userId: target.userId })).toEqual({ ok: true, data: { ok: true } });
    expect(await verifiedAt(target.userId)).not.toBeNull();
    // An admin's own address (the first account of a server without mail).
    await markEmailVerified(admin, admin.userId);
    expect(await verifiedAt(admin.userId)).not.toBeNull();
    const events = await db().auditEvent.findMany({ where: { action: "user.email_verify", actorId: admin.userId }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => [e.targetId, e.result, JSON.parse(e.metadata!).by])).toEqual([
      [target.userId, "success", "admin"],
      [admin.userId, "success", "admin"],
    ]);
    // Already verified: unchanged, not audited again.
    await markEmailVerified(admin, target.userId);
    expect(await db().auditEvent.count({ where: { action: "user.email_verify", targetId: target.userId } })).toBe(1);

    // The admin API: PATCH /api/v1/admin/users/{userId} {"emailVerified": true}, with a platform token.
    const home = await makeWorkspace({ active: true });
    await db().membership.create({ data: { workspaceId: home.workspace.id, userId: admin.userId, role: "member" } });
    const token = await makeToken(admin, home.workspace.id, { scopes: ["full", "platform"] });
    const other = await makeUser("api-target", { verified: false });
    const patch = async (body: unknown) => {
      const url = `http://localhost/api/v1/admin/users/${other.userId}`;
      const res = await PATCH(
        new Request(url, { method: "PATCH", headers: { authorization: `Bearer ${token.value}`, "content-type": "application/json", "x-tessera-client-ip": "198.51.100.40" }, body: JSON.stringify(body) }),
        { params: Promise.resolve({ userId: other.userId }) },
      );
      await checkResponse("PATCH", url, res.clone());
      return { status: res.status, json: await res.json() };
    };
    for (const bad of [{}, { emailVerified: false }, { emailVerified: "yes" }]) {
      const res = await patch(bad);
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(res.json.error.code).toBe("VALIDATION_FAILED");
    }
    expect(await verifiedAt(other.userId)).toBeNull();
    const ok = await patch({ emailVerified: true });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ id: other.userId, emailVerifiedAt: expect.any(String), disabledAt: null });
    const apiEvent = await db().auditEvent.findFirstOrThrow({ where: { action: "user.email_verify", targetId: other.userId } });
    expect([apiEvent.actorType, apiEvent.actorId, JSON.parse(apiEvent.metadata!)]).toEqual(["token", token.id, { email: other.email, by: "admin" }]);
  });
});

describe("RL-01 resending and changing the address are limited", () => {
  it("per user: 429 with retryAfterSeconds past VERIFY_MAIL_LIMIT mails an hour", async () => {
    const { resendVerification, changeEmail, VERIFY_MAIL_LIMIT } = await import("@/lib/services/verification");
    const { resendVerificationAction } = await import("@/app/(dashboard)/account/profile-actions");
    const { makeUser } = await import("../helpers/fixtures");
    const user = session(await makeUser("eager", { verified: false }));
    // Mails to two addresses, so that only the user's count can be what refuses the last one.
    for (let i = 0; i < 2; i++) await resendVerification(user);
    const next = `eager-new-${uniq()}@example.test`;
    await changeEmail(user, { email: next });
    const moved = { ...user, email: next };
    for (let i = 3; i < VERIFY_MAIL_LIMIT; i++) await resendVerification(moved);
    const refused = await failure(resendVerification(moved));
    expect([refused.code, refused.status]).toEqual(["RATE_LIMITED", 429]);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(3600);
    expect(refused.message).toMatch(/^Too many verification mails\. Try again in \d+ min\.$/);
    // The dashboard gets the same refusal.
    expect(await resendVerificationAction.run(moved, {})).toMatchObject({ ok: false, error: { code: "RATE_LIMITED" } });
  });

  it("per address: mails to one address are limited whichever accounts ask", async () => {
    const { db } = await import("@/lib/db/client");
    const { changeEmail, VERIFY_MAIL_LIMIT } = await import("@/lib/services/verification");
    const { makeUser } = await import("../helpers/fixtures");
    const target = `popular-${uniq()}@example.test`;
    for (let i = 0; i < VERIFY_MAIL_LIMIT; i++) {
      const u = session(await makeUser(`hop${i}`));
      await changeEmail(u, { email: target });
      await changeEmail({ ...u, email: target }, { email: `away-${i}-${uniq()}@example.test` });
    }
    const late = session(await makeUser("late"));
    const refused = await failure(changeEmail(late, { email: target }));
    expect([refused.code, refused.status]).toEqual(["RATE_LIMITED", 429]);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect((await db().user.findUniqueOrThrow({ where: { id: late.userId } })).email).toBe(late.email);
  });
});

describe("changing the address", () => {
  it("SES-07: needs the sudo window; the new address is unverified, gets a link, the old one a notice; audited with both", async () => {
    const { db } = await import("@/lib/db/client");
    const { changeEmail, verifyEmail } = await import("@/lib/services/verification");
    const { makeUser } = await import("../helpers/fixtures");
    const user = await makeUser("mover");
    const next = `moved-${uniq()}@example.test`;
    // Outside the sudo window (signed in 11 minutes ago): REAUTH_REQUIRED, nothing changes.
    const stale = { ...session(user), reauthAt: new Date(Date.now() - 11 * 60_000) };
    expect(await code(changeEmail(stale, { email: next }))).toBe("REAUTH_REQUIRED");
    // Bad input is answered first, without asking to confirm.
    expect(await code(changeEmail(stale, { email: "not an address" }))).toBe("VALIDATION_FAILED");
    expect((await db().user.findUniqueOrThrow({ where: { id: user.userId } })).email).toBe(user.email);

    const r = await changeEmail(session(user), { email: next.toUpperCase() });
    expect(r).toEqual({ email: next, delivery: "sent" });
    const row = await db().user.findUniqueOrThrow({ where: { id: user.userId } });
    expect([row.email, row.emailVerifiedAt]).toEqual([next, null]);
    const link = await mailbox.waitFor(verifyMailTo(next));
    expect(link.text).toContain(`changed to this address (${next})`);
    const notice = await mailbox.waitFor((m) => m.to.includes(user.email) && m.subject === "The email address of your Tessera account was changed");
    expect(notice.text).toContain(`from ${user.email} to ${next}`);
    expect(notice.text).toContain("https://tessera.example.test/account");
    expect(notice.html).toContain('href="https://tessera.example.test/account"');
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.userId, action: "user.email_change" } });
    expect(JSON.parse(audit.metadata!)).toEqual({ from: user.email, to: next });
    await verifyEmail({ ...session(user), email: next }, secretOf(link));
    expect((await db().user.findUniqueOrThrow({ where: { id: user.userId } })).emailVerifiedAt).not.toBeNull();
  });

  it("refuses an address another account has (409, audited as denied), and SSO accounts (their provider owns the address)", async () => {
    const { db } = await import("@/lib/db/client");
    const { changeEmail } = await import("@/lib/services/verification");
    const { signInWithOidc, userActor } = await import("@/lib/services/users");
    const { makeUser, meta } = await import("../helpers/fixtures");
    const taken = await makeUser("taken");
    const user = session(await makeUser("copycat"));
    const refused = await failure(changeEmail(user, { email: taken.email }));
    expect([refused.code, refused.message]).toEqual(["CONFLICT", "That address belongs to another Tessera account."]);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.userId } })).email).toBe(user.email);
    const denied = await db().auditEvent.findFirstOrThrow({ where: { actorId: user.userId, action: "user.email_change", result: "denied" } });
    expect(JSON.parse(denied.metadata!)).toEqual({ from: user.email, to: taken.email });

    const sso = await signInWithOidc("oidc", { sub: `s-${uniq()}`, email: `sso-${uniq()}@corp.example`, email_verified: true }, meta());
    expect(await code(changeEmail(session(userActor(sso, meta())), { email: `new-${uniq()}@example.test` }))).toBe("BAD_REQUEST");
  });
});

describe("canary: the link never leaves the mail", () => {
  it("LOG-03: is in no log line, error message, audit event or database row", async () => {
    const { db } = await import("@/lib/db/client");
    const { log } = await import("@/lib/log");
    const { verifyEmail, resendVerification } = await import("@/lib/services/verification");
    const logged: unknown[] = [];
    for (const level of ["trace", "debug", "info", "warn", "error", "fatal"] as const) {
      vi.spyOn(log, level).mockImplementation(((...args: unknown[]) => void logged.push(args)) as never);
    }
    const { user, secret } = await signUp("canary");
    await resendVerification(user);
    const second = secretOf(await mailbox.waitFor((m) => verifyMailTo(user.email)(m) && !m.text.includes(secret)));
    const errors: string[] = [];
    const { makeUser } = await import("../helpers/fixtures");
    const stranger = session(await makeUser("stranger"));
    // One at a time: a second promise made up front could reject before anything awaits it (an unhandled rejection).
    for (const link of [secret, second]) errors.push(JSON.stringify(await failure(verifyEmail(stranger, link))));
    await verifyEmail(user, second);
    errors.push(JSON.stringify(await failure(verifyEmail(stranger, second))));

    const audit = JSON.stringify(await db().auditEvent.findMany({ where: { OR: [{ actorId: user.userId }, { targetId: user.userId }, { actorId: stranger.userId }] } }));
    const rows = JSON.stringify(await Promise.all([db().accountToken.findMany(), db().user.findMany(), db().rateLimit.findMany()]));
    expect(logged.length).toBeGreaterThan(0);
    for (const s of [secret, second]) {
      expect(JSON.stringify(logged)).not.toContain(s);
      expect(errors.join("\n")).not.toContain(s);
      expect(audit).not.toContain(s);
      expect(rows).not.toContain(s);
    }
  });
});
