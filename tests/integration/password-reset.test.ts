// The password lifecycle through its real entry points (the /api/password-reset routes and the
// Account page's server action), on SQLite and PostgreSQL, with a real SMTP server (smtp-server,
// in process) receiving the mails:
// - RL-03: "send me a link" answers the same status and body, in about the same time, for an
//   account, an unknown address, an SSO-only and a disabled account;
// - RL-01: limits per client address and per account for requests (429 with Retry-After), per
//   address for redemptions, per user for wrong current passwords;
// - the link is stored as an HMAC only, works once, expires after 30 minutes (the clock moved),
//   and a newer link replaces it; a reset ends every session, a change every other one;
// - canary: no link, secret or password in what the code logs, answers or audits.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startMailbox, type Mailbox, type ReceivedMail as Mail } from "../helpers/mailbox";

let mailbox: Mailbox;

/** Everything the code under test logged, answered or returned as an error: the canary looks for secrets in it. */
const logSpies: { mock: { calls: unknown[][] } }[] = [];
const answered: string[] = [];
/** Every link secret mailed and every password typed in this file. */
const secrets = new Set<string>();
const OLD_PASSWORD = "old horse battery staple";
const NEW_PASSWORD = "new horse battery staple";
const passwords = new Set([OLD_PASSWORD, NEW_PASSWORD]);

beforeAll(async () => {
  mailbox = await startMailbox();
  // Read by lib/config on first use (no module has loaded the configuration yet).
  process.env.TESSERA_SMTP_URL = mailbox.url;
  process.env.TESSERA_PUBLIC_URL = "https://tessera.example.test";
  // Every call to the logger, at every level (even those not printed): watched, not replaced.
  const { log } = await import("@/lib/log");
  for (const level of ["fatal", "error", "warn", "info", "debug", "trace"] as const) logSpies.push(vi.spyOn(log, level));
  const { hashPassword } = await import("@/lib/auth/password");
  oldHash = await hashPassword(OLD_PASSWORD);
});

afterAll(() => mailbox.close());

let oldHash: string;
const uniq = () => randomBytes(4).toString("hex");
let ipCounter = 0;
/** A client address of its own for each caller, so that one test's counts never limit another's. */
const nextIp = () => `10.${(++ipCounter >> 8) & 255}.${ipCounter & 255}.${Math.floor(Math.random() * 250) + 1}`;

/** The next mail to this address whose subject matches. */
const nextMail = (to: string, subject: RegExp) => mailbox.next((m) => m.to.includes(to) && subject.test(m.subject));

function linkIn(mail: Mail): { link: string; secret: string } {
  const m = /https:\/\/tessera\.example\.test\/reset-password#([A-Za-z0-9_-]{43})/.exec(mail.text);
  expect(m, "the mail holds a reset link").not.toBeNull();
  secrets.add(m![1]!);
  return { link: m![0], secret: m![1]! };
}

type Answer = { status: number; body: Record<string, unknown> & { error?: { code: string; message: string; details?: { path: string }[] } }; retryAfter: string | null; ms: number; requestId: string };

const ROUTES = {
  request: () => import("@/app/api/password-reset/route"),
  check: () => import("@/app/api/password-reset/check/route"),
  complete: () => import("@/app/api/password-reset/complete/route"),
};

/** POSTs to a password-reset route as the server would hand the request over (client address set by our server). */
async function post(route: keyof typeof ROUTES, body: unknown, ip: string): Promise<Answer> {
  const { POST } = await ROUTES[route]();
  const requestId = `req-${randomBytes(6).toString("hex")}`;
  const started = performance.now();
  const res = await POST(
    new Request(`http://localhost:3000/api/password-reset${route === "request" ? "" : `/${route}`}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-tessera-client-ip": ip, "x-request-id": requestId },
      body: JSON.stringify(body),
    }),
  );
  const ms = performance.now() - started;
  const text = await res.text();
  answered.push(text);
  return { status: res.status, body: JSON.parse(text), retryAfter: res.headers.get("retry-after"), ms, requestId };
}

async function passwordUser(name: string, extra: { disabledAt?: Date } = {}) {
  const { db } = await import("@/lib/db/client");
  return db().user.create({ data: { email: `${name}-${uniq()}@example.test`, name, passwordHash: oldHash, ...extra } });
}

async function ssoUser(name: string) {
  const { db } = await import("@/lib/db/client");
  const email = `${name}-${uniq()}@example.test`;
  return db().user.create({ data: { email, name, emailVerifiedAt: new Date(), identities: { create: { provider: "oidc", subject: `sub-${uniq()}`, email } } } });
}

/** Waits until the background part of a link request is done: its audit event is written. */
async function settled(requestId: string) {
  const { db } = await import("@/lib/db/client");
  await expect.poll(() => db().auditEvent.findFirst({ where: { requestId, action: "user.password_reset_request" } })).not.toBeNull();
}

/** Asks for a link for a password user and returns it from the mail. */
async function requestLink(email: string, ip = nextIp()) {
  const mail = nextMail(email, /^Reset your Tessera password$/);
  const r = await post("request", { email }, ip);
  expect(r.status).toBe(202);
  return linkIn(await mail);
}

async function signedIn(userId: string) {
  const { createSession, resolveSession } = await import("@/lib/auth/session");
  const { meta } = await import("../helpers/fixtures");
  const m = meta({ ip: nextIp() });
  const { value } = await createSession(userId, m);
  const actor = await resolveSession(value, m);
  expect(actor).not.toBeNull();
  return { value, actor: actor!, alive: async () => (await resolveSession(value, m)) !== null };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

describe("RL-03 password reset requests tell nothing about the account", () => {
  it("RL-03: answers the same status and body for an account, an unknown address, an SSO-only and a disabled account", async () => {
    const { db } = await import("@/lib/db/client");
    const [account, sso, disabled] = [await passwordUser("known"), await ssoUser("sso"), await passwordUser("off", { disabledAt: new Date() })];
    const unknown = `nobody-${uniq()}@example.test`;
    const ssoMail = nextMail(sso.email, /^About your Tessera password$/);
    const answers: Answer[] = [];
    for (const email of [unknown, sso.email, disabled.email.toUpperCase()]) {
      const r = await post("request", { email }, nextIp());
      answers.push(r);
      await settled(r.requestId);
    }
    const resetMail = nextMail(account.email, /^Reset your Tessera password$/);
    answers.push(await post("request", { email: ` ${account.email} ` }, nextIp()));

    for (const r of answers) {
      expect(r.status).toBe(202);
      expect(r.body).toEqual(answers[0]!.body);
    }
    expect(answers[0]!.body.message).not.toMatch(/exist|unknown|not found/i);
    linkIn(await resetMail);
    // The SSO-only owner is told why no link came; nothing was sent to the unknown or the disabled address.
    expect((await ssoMail).text).toContain("signs in with single sign-on");
    expect(mailbox.received.filter((m) => m.to.includes(unknown) || m.to.includes(disabled.email))).toEqual([]);
    expect(await db().accountToken.count({ where: { userId: { in: [sso.id, disabled.id] } } })).toBe(0);
    const reasons = await db().auditEvent.findMany({ where: { requestId: { in: answers.slice(0, 3).map((a) => a.requestId) } }, orderBy: { createdAt: "asc" } });
    expect(reasons.map((e) => [e.result, JSON.parse(e.metadata!).reason])).toEqual([
      ["denied", "unknown_account"],
      ["denied", "sso_only"],
      ["denied", "disabled"],
    ]);
  });

  it("RL-03: answers as fast for an unknown address as for an account (medians within 50 ms over 15 tries each)", async () => {
    const N = 15;
    const accounts = await Promise.all(Array.from({ length: N }, (_, i) => passwordUser(`timed${i}`)));
    // Warm-up: the first calls load modules and prepare statements.
    await settled((await post("request", { email: `warm-${uniq()}@example.test` }, nextIp())).requestId);
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < N; i++) {
      // Alternating which goes first; each waits for the other's background work (its mail or audit event).
      const one = async () => {
        const mail = nextMail(accounts[i]!.email, /^Reset your Tessera password$/);
        const r = await post("request", { email: accounts[i]!.email }, nextIp());
        expect(r.status).toBe(202);
        known.push(r.ms);
        linkIn(await mail);
      };
      const other = async () => {
        const r = await post("request", { email: `nobody-${i}-${uniq()}@example.test` }, nextIp());
        expect(r.status).toBe(202);
        unknown.push(r.ms);
        await settled(r.requestId);
      };
      if (i % 2) await other().then(one);
      else await one().then(other);
    }
    expect(Math.abs(median(known) - median(unknown)), `medians: account ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`).toBeLessThan(50);
  });
});

describe("RL-01 password reset limits", () => {
  it("RL-01: limits link requests per client address (5 per 15 minutes), for accounts and unknown addresses alike", async () => {
    const { RESET_REQUEST_ADDRESS_LIMIT } = await import("@/lib/services/password");
    expect(RESET_REQUEST_ADDRESS_LIMIT).toBe(5);
    const ip = nextIp();
    const account = await passwordUser("busy");
    for (let i = 0; i < RESET_REQUEST_ADDRESS_LIMIT; i++) {
      const r = await post("request", { email: i === 0 ? account.email : `n${i}-${uniq()}@example.test` }, ip);
      expect(r.status, `request ${i + 1}`).toBe(202);
    }
    for (const email of [account.email, `late-${uniq()}@example.test`]) {
      const limited = await post("request", { email }, ip);
      expect(limited.status).toBe(429);
      expect(limited.body.error!.code).toBe("RATE_LIMITED");
      expect(Number(limited.retryAfter)).toBeGreaterThan(0);
      expect(Number(limited.retryAfter)).toBeLessThanOrEqual(15 * 60);
    }
    // Another address is not affected; invalid input is answered (422) and not counted.
    expect((await post("request", { email: `free-${uniq()}@example.test` }, nextIp())).status).toBe(202);
    const invalid = await post("request", { email: "not-an-email" }, nextIp());
    expect(invalid.status).toBe(422);
    expect(invalid.body.error!.details![0]!.path).toBe("email");
  });

  it("RL-01: limits link requests per account (3 per hour), counted for unknown addresses too; only the newest link works", async () => {
    const { RESET_REQUEST_ACCOUNT_LIMIT } = await import("@/lib/services/password");
    expect(RESET_REQUEST_ACCOUNT_LIMIT).toBe(3);
    const account = await passwordUser("wanted");
    const unknown = `ghost-${uniq()}@example.test`;
    const links: string[] = [];
    for (let i = 0; i < RESET_REQUEST_ACCOUNT_LIMIT; i++) {
      links.push((await requestLink(account.email)).secret);
      expect((await post("request", { email: unknown }, nextIp())).status).toBe(202);
    }
    for (const email of [account.email, unknown.toUpperCase()]) {
      const limited = await post("request", { email }, nextIp());
      expect(limited.status).toBe(429);
      expect(Number(limited.retryAfter)).toBeGreaterThan(15 * 60);
      expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60 * 60);
      // The same answer whether or not the account exists.
      expect(limited.body.error!.message).toBe("Too many reset requests for this address. Try again in 60 min.");
    }
    // A new request made the older links stop working: the owner's latest mail holds the one that works.
    const ip = nextIp();
    expect((await post("check", { token: links[0] }, ip)).status).toBe(422);
    expect((await post("check", { token: links[1] }, ip)).status).toBe(422);
    expect(await post("check", { token: links[2] }, ip)).toMatchObject({ status: 200, body: { email: account.email } });
  });

  it("RL-01: limits failed link redemptions per client address (10 per 15 minutes); a good link gives its attempt back", async () => {
    const { RESET_REDEEM_FAILURE_LIMIT } = await import("@/lib/services/password");
    expect(RESET_REDEEM_FAILURE_LIMIT).toBe(10);
    const account = await passwordUser("redeem");
    const { secret } = await requestLink(account.email);
    const ip = nextIp();
    for (let i = 0; i < 5; i++) expect((await post("check", { token: secret }, ip)).status).toBe(200);
    for (let i = 0; i < RESET_REDEEM_FAILURE_LIMIT; i++) {
      const guess = i % 2 ? randomBytes(32).toString("base64url") : `short-${i}`;
      const r = await post(i % 3 ? "check" : "complete", { token: guess, password: NEW_PASSWORD }, ip);
      expect(r.status, `guess ${i + 1}`).toBe(422);
      expect(r.body.error!.message).toBe("This link is invalid or has expired. Ask for a new one.");
    }
    const limited = await post("complete", { token: secret, password: NEW_PASSWORD }, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    // From another address the link still works.
    expect((await post("complete", { token: secret, password: NEW_PASSWORD }, nextIp())).status).toBe(200);
  });
});

describe("the reset link", () => {
  it("is stored as an HMAC only; the new password as a bcrypt hash; neither reaches the audit log", async () => {
    const { db } = await import("@/lib/db/client");
    const { credentialHashKeys, hmacHex } = await import("@/lib/auth/keys");
    const { verifyPassword } = await import("@/lib/auth/password");
    const account = await passwordUser("atrest");
    const { link, secret } = await requestLink(account.email);
    const row = await db().accountToken.findFirstOrThrow({ where: { userId: account.id } });
    expect(row).toMatchObject({ purpose: "password_reset", email: account.email, usedAt: null });
    expect(row.hash).toBe(hmacHex(credentialHashKeys("account")[0]!.key, secret));
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(30 * 60 * 1000);
    const password = `at rest ${uniq()} battery`;
    passwords.add(password);
    expect((await post("complete", { token: secret, password }, nextIp())).status).toBe(200);

    const user = await db().user.findUniqueOrThrow({ where: { id: account.id } });
    expect(user.passwordHash).toMatch(/^\$2[aby]\$12\$/);
    expect(await verifyPassword(password, user.passwordHash)).toBe(true);
    const rows = JSON.stringify([
      await db().accountToken.findMany(),
      await db().user.findMany(),
      await db().auditEvent.findMany(),
      await db().rateLimit.findMany(),
      await db().session.findMany(),
    ]);
    for (const s of [secret, link, password, OLD_PASSWORD]) expect(rows).not.toContain(s);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "user.password_reset", targetId: account.id, result: "success" } });
    expect(event).toMatchObject({ actorType: "system", actorLabel: "password-reset" });
  });

  it("works once: a used link is refused with one clear message, and the password stays", async () => {
    const { db } = await import("@/lib/db/client");
    const { verifyPassword } = await import("@/lib/auth/password");
    const account = await passwordUser("once");
    const { secret } = await requestLink(account.email);
    expect((await post("complete", { token: secret, password: NEW_PASSWORD }, nextIp())).status).toBe(200);
    for (const route of ["check", "complete"] as const) {
      const again = await post(route, { token: secret, password: "third horse battery staple" }, nextIp());
      expect(again.status).toBe(422);
      expect(again.body.error).toMatchObject({ code: "VALIDATION_FAILED", message: "This link is invalid or has expired. Ask for a new one." });
    }
    expect(await verifyPassword(NEW_PASSWORD, (await db().user.findUniqueOrThrow({ where: { id: account.id } })).passwordHash)).toBe(true);
    const denied = await db().auditEvent.findFirstOrThrow({ where: { action: "user.password_reset", targetId: account.id, result: "denied" } });
    expect(JSON.parse(denied.metadata!)).toEqual({ reason: "used" });
  });

  it("expires after 30 minutes (the clock moved)", async () => {
    const { db } = await import("@/lib/db/client");
    const account = await passwordUser("late");
    const { secret } = await requestLink(account.email);
    const ip = nextIp();
    try {
      vi.setSystemTime(Date.now() + 29 * 60 * 1000);
      expect((await post("check", { token: secret }, ip)).status).toBe(200);
      vi.setSystemTime(Date.now() + 2 * 60 * 1000);
      const expired = await post("complete", { token: secret, password: NEW_PASSWORD }, ip);
      expect(expired.status).toBe(422);
      expect(expired.body.error!.message).toBe("This link is invalid or has expired. Ask for a new one.");
    } finally {
      vi.useRealTimers();
    }
    expect((await db().user.findUniqueOrThrow({ where: { id: account.id } })).passwordHash).toBe(oldHash);
  });

  it("refuses a password that breaks the rule without using the link up", async () => {
    const account = await passwordUser("rule");
    const { secret } = await requestLink(account.email);
    const ip = nextIp();
    for (const password of ["short", account.email, "aaaaaaaaaaaa"]) {
      const r = await post("complete", { token: secret, password }, ip);
      expect(r.status).toBe(422);
      expect(r.body.error!.details![0]!.path).toBe("password");
    }
    expect((await post("check", { token: secret }, ip)).status).toBe(200);
  });

  it("a reset ends every session of the user, proves the address, and mails a notice", async () => {
    const { db } = await import("@/lib/db/client");
    const account = await passwordUser("everywhere");
    const [a, b] = [await signedIn(account.id), await signedIn(account.id)];
    const { secret } = await requestLink(account.email);
    const notice = nextMail(account.email, /^Your Tessera password was reset$/);
    const done = await post("complete", { token: secret, password: NEW_PASSWORD }, nextIp());
    expect(done).toMatchObject({ status: 200, body: { status: "reset", sessionsEnded: 2 } });
    expect([await a.alive(), await b.alive()]).toEqual([false, false]);
    expect((await db().user.findUniqueOrThrow({ where: { id: account.id } })).emailVerifiedAt).not.toBeNull();
    const mail = await notice;
    expect(mail.text).toContain("https://tessera.example.test/account");
    expect(mail.text).toContain("https://tessera.example.test/forgot-password");
    expect(`${mail.text}${mail.html ?? ""}${mail.raw}`).not.toContain(secret);
  });

  it("stops working when the account's address changed or the account was disabled", async () => {
    const { db } = await import("@/lib/db/client");
    const moved = await passwordUser("moved");
    const first = await requestLink(moved.email);
    await db().user.update({ where: { id: moved.id }, data: { email: `elsewhere-${uniq()}@example.test` } });
    expect((await post("check", { token: first.secret }, nextIp())).status).toBe(422);
    const off = await passwordUser("disabled-later");
    const second = await requestLink(off.email);
    await db().user.update({ where: { id: off.id }, data: { disabledAt: new Date() } });
    expect((await post("complete", { token: second.secret, password: NEW_PASSWORD }, nextIp())).status).toBe(422);
  });
});

describe("password change (Account page)", () => {
  it("SES-07: asks to confirm it's you outside the 10-minute window, then changes", async () => {
    const { db } = await import("@/lib/db/client");
    const { changePasswordAction } = await import("@/app/(dashboard)/account/password-actions");
    const { reauthenticate } = await import("@/lib/services/reauth");
    const { resolveSession } = await import("@/lib/auth/session");
    const account = await passwordUser("sudo");
    const s = await signedIn(account.id);
    await db().session.update({ where: { id: s.actor.sessionId! }, data: { reauthAt: new Date(Date.now() - 11 * 60 * 1000) } });
    const stale = (await resolveSession(s.value, s.actor.meta))!;
    const refused = await changePasswordAction.run(stale, { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD });
    expect(refused).toMatchObject({ ok: false, error: { code: "REAUTH_REQUIRED" } });
    expect((await db().user.findUniqueOrThrow({ where: { id: account.id } })).passwordHash).toBe(oldHash);
    await reauthenticate(stale, { password: OLD_PASSWORD });
    const fresh = (await resolveSession(s.value, s.actor.meta))!;
    expect(await changePasswordAction.run(fresh, { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD })).toEqual({ ok: true, data: { otherSessionsEnded: 0 } });
  });

  it("ends every other session (this one stays), is audited, voids reset links and mails the user", async () => {
    const { db } = await import("@/lib/db/client");
    const { verifyPassword } = await import("@/lib/auth/password");
    const { changePasswordAction } = await import("@/app/(dashboard)/account/password-actions");
    const account = await passwordUser("change");
    const [me, other, third] = [await signedIn(account.id), await signedIn(account.id), await signedIn(account.id)];
    const pending = await requestLink(account.email);
    const notice = nextMail(account.email, /^Your Tessera password was changed$/);
    const r = await changePasswordAction.run(me.actor, { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD });
    expect(r).toEqual({ ok: true, data: { otherSessionsEnded: 2 } });
    expect([await me.alive(), await other.alive(), await third.alive()]).toEqual([true, false, false]);
    const user = await db().user.findUniqueOrThrow({ where: { id: account.id } });
    expect(await verifyPassword(NEW_PASSWORD, user.passwordHash)).toBe(true);
    expect(user.passwordChangedAt).not.toBeNull();
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "user.password_change", targetId: account.id, result: "success" } });
    expect(event).toMatchObject({ actorType: "user", actorId: account.id });
    expect(JSON.parse(event.metadata!)).toEqual({ otherSessionsEnded: 2 });
    // A link mailed before the change would undo it: it no longer works.
    expect((await post("check", { token: pending.secret }, nextIp())).status).toBe(422);
    const mail = await notice;
    expect(mail.text).toContain("https://tessera.example.test/account");
    expect(mail.text).toContain("If this was not you, reset your password now at https://tessera.example.test/forgot-password");
  });

  it("RL-01: refuses a wrong current password (audited as denied) and limits failures per user (10 per 15 minutes)", async () => {
    const { db } = await import("@/lib/db/client");
    const { changePassword, PASSWORD_CHANGE_FAILURE_LIMIT } = await import("@/lib/services/password");
    const { changePasswordAction } = await import("@/app/(dashboard)/account/password-actions");
    expect(PASSWORD_CHANGE_FAILURE_LIMIT).toBe(10);
    const account = await passwordUser("guess");
    const s = await signedIn(account.id);
    // A new password that breaks the rule is refused first, and costs no attempt.
    const weak = await changePasswordAction.run(s.actor, { currentPassword: "wrong horse battery", newPassword: "short" });
    expect(weak).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", details: [{ path: "newPassword" }] } });
    for (let i = 0; i < PASSWORD_CHANGE_FAILURE_LIMIT; i++) {
      const r = await changePasswordAction.run(s.actor, { currentPassword: `wrong guess ${i} battery`, newPassword: NEW_PASSWORD });
      expect(r, `attempt ${i + 1}`).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", message: "Your current password is not right.", details: [{ path: "currentPassword" }] } });
      if (!r.ok) answered.push(r.error.message);
    }
    await expect(changePassword(s.actor, { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD })).rejects.toMatchObject({
      code: "RATE_LIMITED",
      retryAfterSeconds: expect.any(Number),
    });
    expect((await db().user.findUniqueOrThrow({ where: { id: account.id } })).passwordHash).toBe(oldHash);
    const denied = await db().auditEvent.findMany({ where: { action: "user.password_change", targetId: account.id, result: "denied" } });
    expect(denied).toHaveLength(PASSWORD_CHANGE_FAILURE_LIMIT);
    expect(JSON.parse(denied[0]!.metadata!)).toEqual({ reason: "wrong_current_password" });
    // Another user is not affected.
    const other = await passwordUser("calm");
    expect((await changePasswordAction.run((await signedIn(other.id)).actor, { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD })).ok).toBe(true);
  });

  it("has nothing to change for an SSO-only user", async () => {
    const { changePasswordAction } = await import("@/app/(dashboard)/account/password-actions");
    const user = await ssoUser("sso-change");
    const r = await changePasswordAction.run((await signedIn(user.id)).actor, { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD });
    expect(r).toMatchObject({ ok: false, error: { code: "BAD_REQUEST", message: "You sign in with single sign-on: your password is managed by your identity provider." } });
  });
});

describe("canary", () => {
  it("LOG-03: no link secret or password reached the logs, an answer, an error or an audit event", async () => {
    const { db } = await import("@/lib/db/client");
    expect(secrets.size).toBeGreaterThan(20);
    const logged = logSpies.flatMap((s) => s.mock.calls);
    expect(logged.length).toBeGreaterThan(0); // the mails were logged as sent
    const audit = JSON.stringify(await db().auditEvent.findMany());
    const haystacks = { logs: JSON.stringify(logged), answers: answered.join("\n"), audit };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const s of [...secrets, ...passwords]) expect(text.includes(s), `${where} holds a secret or password`).toBe(false);
    }
  });
});
