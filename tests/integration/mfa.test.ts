// The TOTP second factor at the service boundary, on SQLite and PostgreSQL: enrolment with codes
// computed from the key (@oslojs/otp, as an authenticator app does), replay refused, recovery codes
// single use (also under concurrency), keys sealed and codes hashed at rest, wrong codes at sign-in
// limited like passwords (RL-01, RL-02) up to a 429 with Retry-After from the sign-in route, turning
// it off (sudo window + a fresh code, SES-07), a workspace's "require a second factor", key
// rotation, notification mail over a real SMTP server, and canaries: no key or code in the audit
// log, the database, an error message or a mail.
//
// Codes depend on the time step, so Date is faked (only Date: timers and the database run as
// usual) and moved on by whole steps where a test needs a code after one it already used.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { generateHOTP } from "@oslojs/otp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RequestMeta } from "@/lib/auth/actor";
import { createSession, resolveSession, type SessionActor } from "@/lib/auth/session";
import { decodeTotpKey, openTotpKey, recoveryCodeHashes, RECOVERY_CODE_COUNT, TOTP_PERIOD_SECONDS, totpKeyNeedsRewrap } from "@/lib/auth/totp";
import { resetConfig } from "@/lib/config";
import { db, dbProvider } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { reauthenticate, REAUTH_FAILURE_LIMIT } from "@/lib/services/reauth";
import {
  confirmMfaEnrolment,
  disableMfa,
  mfaStatus,
  prepareMfaDisable,
  regenerateRecoveryCodes,
  rewrapTotpKeys,
  startMfaEnrolment,
  totpKeysUnderOlderKeys,
} from "@/lib/services/mfa";
import { PAIR_FAILURE_LIMIT, SLOWDOWN_AFTER, signInBlocked, signInWithPassword, signUpWithPassword } from "@/lib/services/users";
import { getWorkspace, membersWithoutSecondFactor, updateMfaPolicy } from "@/lib/services/workspaces";
import { listSecrets } from "@/lib/services/secrets";
import { POST as AUTH_POST } from "@/app/api/auth/[...nextauth]/route";
import { PUT as MFA_POLICY_PUT } from "@/app/api/v1/workspaces/[workspaceId]/mfa-policy/route";
import { makeToken, makeWorkspace, meta } from "../helpers/fixtures";
import { checkResponse } from "../helpers/openapi-check";
import { startMailbox, type Mailbox, type ReceivedMail } from "../helpers/mailbox";

const PASSWORD = "correct horse battery staple";
const noSleep = () => Promise.resolve();
const uniq = () => randomBytes(4).toString("hex");
const outcome = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : `THREW ${(e as Error)?.message}`));

// ---- a real SMTP server for the notices (the one the invitation tests use) -------------------
let mailbox: Mailbox;
/** A mail's subject and both its parts, decoded. */
const body = (m: ReceivedMail) => `${m.subject}\n${m.text}\n${m.html ?? ""}`;

// ---- secrets seen by the test, checked against every sink at the end ------------------------
const canaries = { keys: [] as string[], recovery: [] as string[], codes: [] as string[] };

beforeAll(async () => {
  mailbox = await startMailbox();
  process.env.TESSERA_SMTP_URL = mailbox.url;
  process.env.TESSERA_PUBLIC_URL = "https://tessera.example.test";
  resetConfig();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date());
});

afterAll(async () => {
  vi.useRealTimers();
  await mailbox.close();
});

// ---- helpers --------------------------------------------------------------------------------
const currentStep = () => Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS);
const advanceSteps = (n = 1) => vi.setSystemTime(new Date(Date.now() + n * TOTP_PERIOD_SECONDS * 1000));

/** A code the server accepts now and has not used: the current step, or the one after the last used (moving the clock on when that is too far ahead). */
async function freshCode(userId: string, key: Uint8Array): Promise<string> {
  const { totpLastStep: last } = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { totpLastStep: true } });
  while (last !== null && last >= currentStep() + 1) advanceSteps();
  const code = generateHOTP(key, BigInt(Math.max((last ?? -1) + 1, currentStep())), 6);
  canaries.codes.push(code);
  return code;
}

/** Six digits that no step around now accepts (a wrong code, never a right one by chance). */
function wrongCode(key: Uint8Array, n = 0): string {
  const valid = new Set([-1, 0, 1].map((d) => generateHOTP(key, BigInt(currentStep() + d), 6)));
  let i = 100000 + n * 7;
  while (valid.has(String(i))) i++;
  return String(i);
}

/** A client address of its own (sign-up and sign-in limits are per address). */
const addr = () => `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

type Person = { email: string; userId: string; actor: SessionActor; session: string; key?: Uint8Array; recovery?: string[] };

/** A password user signed in to the dashboard (a real Session row), as the dashboard resolves it. */
async function person(name = "ada", method: "password" | "oidc" = "password"): Promise<Person> {
  const email = `${name}-${uniq()}@example.com`;
  const user = (await signUpWithPassword({ name, email, password: PASSWORD }, meta({ ip: addr() })))!;
  const { value } = await createSession(user.id, meta(), method);
  return { email, userId: user.id, session: value, actor: (await resolveSession(value, meta()))! };
}

/** The actor of the person's session now (after a change: hasMfa, reauthAt). */
async function again(p: Person): Promise<SessionActor> {
  p.actor = (await resolveSession(p.session, meta()))!;
  return p.actor;
}

/** Enrols the person with a code computed from the key the enrolment shows. */
async function enrol(p: Person): Promise<Person> {
  const e = await startMfaEnrolment(p.actor);
  canaries.keys.push(e.keyText.replace(/\s+/g, ""));
  p.key = decodeTotpKey(e.keyText);
  canaries.keys.push(Buffer.from(p.key).toString("base64"), Buffer.from(p.key).toString("hex"));
  const code = await freshCode(p.userId, p.key);
  p.recovery = (await confirmMfaEnrolment(p.actor, { code })).recoveryCodes;
  canaries.recovery.push(...p.recovery);
  await again(p);
  return p;
}


describe("enrolment", () => {
  it("turns the second factor on with a code computed from the shown key; the key is sealed and recovery codes are HMACs at rest", async () => {
    const p = await person();
    const e = await startMfaEnrolment(p.actor);
    expect(e.keyText).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{4})+$/);
    expect(e.uri).toMatch(/^otpauth:\/\/totp\/Tessera:/);
    expect(e.qr.size).toBeGreaterThan(20);
    expect(e.qr.path).toMatch(/^M\d+ \d+h\d+v1h-\d+z/);
    const key = decodeTotpKey(e.keyText);
    canaries.keys.push(e.keyText.replace(/\s+/g, ""), Buffer.from(key).toString("base64"), Buffer.from(key).toString("hex"));

    // Nothing is on until the code confirms it; a wrong code changes nothing.
    let row = await db().user.findUniqueOrThrow({ where: { id: p.userId } });
    expect(row.totpEnabledAt).toBeNull();
    expect(row.totpSecret).toBeNull();
    expect(row.totpPendingSecret).toMatch(/^t1\.[\w-]+\.[\w-]+$/);
    expect(await outcome(confirmMfaEnrolment(p.actor, { code: wrongCode(key) }))).toBe("UNAUTHORIZED");
    expect(await db().auditEvent.count({ where: { action: "user.mfa_enable", actorId: p.userId, result: "denied" } })).toBe(1);

    const code = await freshCode(p.userId, key);
    const { recoveryCodes } = await confirmMfaEnrolment(p.actor, { code });
    canaries.recovery.push(...recoveryCodes);
    expect(recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(recoveryCodes).size).toBe(RECOVERY_CODE_COUNT);
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);

    row = await db().user.findUniqueOrThrow({ where: { id: p.userId } });
    expect(row.totpEnabledAt).not.toBeNull();
    expect(row.totpPendingSecret).toBeNull();
    expect(row.totpLastStep).toBe(currentStep());
    // Sealed: not the key in any encoding, and it opens to the key only for its own user.
    for (const enc of [e.keyText.replace(/\s+/g, ""), Buffer.from(key).toString("base64"), Buffer.from(key).toString("base64url"), Buffer.from(key).toString("hex")]) {
      expect(row.totpSecret).not.toContain(enc);
    }
    expect(Buffer.from(openTotpKey(p.userId, row.totpSecret!)).equals(Buffer.from(key))).toBe(true);
    expect(() => openTotpKey(`${p.userId}x`, row.totpSecret!)).toThrow();
    // Recovery codes: ten HMACs, none of them a code.
    const rows = await db().recoveryCode.findMany({ where: { userId: p.userId } });
    expect(rows.map((r) => r.hash).sort()).toEqual(recoveryCodes.map((c) => recoveryCodeHashes(c)[0]!).sort());
    for (const r of rows) expect(r.hash).toMatch(/^[0-9a-f]{64}$/);

    const events = await db().auditEvent.findMany({ where: { action: "user.mfa_enable", actorId: p.userId, result: "success" } });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.metadata!)).toEqual({ method: "totp", recoveryCodes: 10 });

    // The code that confirmed the enrolment is used up: it does not confirm "it's you" again.
    expect(await outcome(reauthenticate(await again(p), { code }))).toBe("UNAUTHORIZED");
    expect(p.actor.hasMfa).toBe(true);
    expect(await mfaStatus(p.actor)).toMatchObject({ enabled: true, recoveryCodesLeft: 10, hasPassword: true });
    // A second enrolment while it is on: 409, nothing changed.
    expect(await outcome(startMfaEnrolment(p.actor))).toBe("CONFLICT");

    // The notice, over SMTP: a link back to the account page, and no key or code.
    const mail = await mailbox.waitFor((m) => m.to.includes(p.email) && body(m).includes("A second factor was added"));
    expect(body(mail)).toContain("https://tessera.example.test/account");
    expect(mail.html).toContain("https://tessera.example.test/account");
  });

  it("needs the sudo window to start, so that a stolen session cannot put its own app on the account", async () => {
    const p = await person();
    await db().session.updateMany({ where: { userId: p.userId }, data: { reauthAt: new Date(Date.now() - 11 * 60 * 1000) } });
    expect(await outcome(startMfaEnrolment(await again(p)))).toBe("REAUTH_REQUIRED");
    expect((await db().user.findUniqueOrThrow({ where: { id: p.userId } })).totpPendingSecret).toBeNull();
    await reauthenticate(p.actor, { password: PASSWORD });
    expect(await outcome(startMfaEnrolment(await again(p)))).toBe("OK");
  });

  it("limits wrong confirmation codes per user (429 with a retry time)", async () => {
    const p = await person();
    await startMfaEnrolment(p.actor);
    for (let i = 0; i < REAUTH_FAILURE_LIMIT; i++) expect(await outcome(confirmMfaEnrolment(p.actor, { code: "12345x" }))).toBe("UNAUTHORIZED");
    const err = await confirmMfaEnrolment(p.actor, { code: "123456" }).catch((e: AppError) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("RATE_LIMITED");
    expect((err as AppError).retryAfterSeconds).toBeGreaterThan(0);
  });

  it("is for signed-in people only: API tokens get 403", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const { actor } = await makeToken(owner, workspace.id);
    expect(await outcome(startMfaEnrolment(actor))).toBe("FORBIDDEN");
    expect(await outcome(disableMfa(actor, { code: "123456" }))).toBe("FORBIDDEN");
  });
});

describe("sign-in with a second factor", () => {
  it("asks for a code only after the right password, and accepts each TOTP code once", async () => {
    const p = await enrol(await person());
    const m = meta({ ip: addr() });
    // A wrong password answers as for any account: nothing tells that it has a second factor.
    expect(await signInWithPassword(p.email, "wrong password!!", m, noSleep)).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword(p.email, "wrong password!!", m, noSleep, "123456")).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword(p.email, PASSWORD, m, noSleep)).toEqual({ ok: false, reason: "mfa_required" });
    const code = await freshCode(p.userId, p.key!);
    expect(await signInWithPassword(p.email, PASSWORD, m, noSleep, code)).toMatchObject({ ok: true });
    // Replay: the same code again is a failed sign-in, audited with its method.
    expect(await signInWithPassword(p.email, PASSWORD, m, noSleep, code)).toEqual({ ok: false, reason: "invalid_code" });
    const failed = await db().auditEvent.findMany({ where: { action: "user.signin_failed", targetId: p.userId } });
    expect(failed.map((e) => JSON.parse(e.metadata!).method).sort()).toEqual(["password", "password", "totp"]);
    // The same code at once from two requests: exactly one signs in.
    const next = await freshCode(p.userId, p.key!);
    const both = await Promise.all([0, 1].map(() => signInWithPassword(p.email, PASSWORD, meta({ ip: addr() }), noSleep, next)));
    expect(both.filter((r) => r.ok)).toHaveLength(1);
  });

  it("accepts a recovery code once (atomically, even at the same moment), audits the use with the number left, and tells the user", async () => {
    const p = await enrol(await person());
    const [first, second] = p.recovery!;
    // Typed as people type them: upper case, spaces instead of dashes.
    expect(await signInWithPassword(p.email, PASSWORD, meta({ ip: addr() }), noSleep, first!.toUpperCase().replace(/-/g, " "))).toMatchObject({ ok: true });
    expect(await signInWithPassword(p.email, PASSWORD, meta({ ip: addr() }), noSleep, first!)).toEqual({ ok: false, reason: "invalid_code" });
    const use = await db().auditEvent.findMany({ where: { action: "user.recovery_code_use", targetId: p.userId } });
    expect(use.map((e) => JSON.parse(e.metadata!))).toEqual([{ remaining: 9 }]);
    const failed = await db().auditEvent.findFirst({ where: { action: "user.signin_failed", targetId: p.userId }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(failed!.metadata!)).toEqual({ method: "recovery_code" });
    const racing = await Promise.all([0, 1, 2].map(() => signInWithPassword(p.email, PASSWORD, meta({ ip: addr() }), noSleep, second!)));
    expect(racing.filter((r) => r.ok)).toHaveLength(1);
    expect(await db().recoveryCode.count({ where: { userId: p.userId, usedAt: null } })).toBe(8);
    expect((await mfaStatus(p.actor)).recoveryCodesLeft).toBe(8);
    const mail = await mailbox.waitFor((m) => m.to.includes(p.email) && body(m).includes("A recovery code was used"));
    expect(body(mail)).toContain("https://tessera.example.test/account");
  });

  it("RL-01: counts wrong codes as failed sign-ins per account and address, then answers 429 with Retry-After", async () => {
    const p = await enrol(await person());
    const attacker = meta({ ip: addr() });
    const sleep = vi.fn(noSleep);
    for (let i = 0; i < PAIR_FAILURE_LIMIT; i++) {
      expect(await signInWithPassword(p.email, PASSWORD, attacker, sleep, wrongCode(p.key!, i))).toEqual({ ok: false, reason: "invalid_code" });
    }
    // Slowed down after a few, like wrong passwords.
    expect(sleep.mock.calls.length).toBe(PAIR_FAILURE_LIMIT - SLOWDOWN_AFTER);
    // The pair is refused now, even with a right code...
    expect(await signInWithPassword(p.email, PASSWORD, attacker, sleep, await freshCode(p.userId, p.key!))).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(await signInBlocked(p.email, attacker.ip)).toBeGreaterThan(0);
    // ...and the sign-in route answers 429 with Retry-After before NextAuth runs.
    const res = await AUTH_POST(
      new Request("http://localhost/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-tessera-client-ip": attacker.ip! },
        body: new URLSearchParams({ email: p.email, password: PASSWORD, code: "123456", csrfToken: "x", json: "true" }),
      }),
      { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) },
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await res.json()).error.code).toBe("RATE_LIMITED");
    expect(await db().auditEvent.count({ where: { action: "user.signin_failed", targetId: p.userId, metadata: { contains: "totp" } } })).toBe(PAIR_FAILURE_LIMIT);
  });

  it("RL-02: wrong codes (only someone with the password can try them) hit the account's code limit, and the owner still has a way in: a recovery code", async () => {
    const p = await enrol(await person());
    const attacker = meta({ ip: addr() });
    for (let i = 0; i < PAIR_FAILURE_LIMIT + 2; i++) await signInWithPassword(p.email, PASSWORD, attacker, noSleep, wrongCode(p.key!, i));
    expect(await signInBlocked(p.email, attacker.ip)).toBeGreaterThan(0);
    const owner: RequestMeta = meta({ ip: addr() });
    expect(await signInBlocked(p.email, owner.ip)).toBe(0);
    // The password is known to the attacker: app codes are held back for the account, from every address.
    expect(await signInWithPassword(p.email, PASSWORD, owner, noSleep, await freshCode(p.userId, p.key!))).toMatchObject({ ok: false, reason: "rate_limited" });
    // A recovery code is not guessable, and still lets the owner in.
    expect(await signInWithPassword(p.email, PASSWORD, owner, noSleep, p.recovery![0]!)).toMatchObject({ ok: true });
  });

  it("does not ask users without a second factor for a code", async () => {
    const p = await person();
    expect(await signInWithPassword(p.email, PASSWORD, meta({ ip: addr() }), noSleep)).toMatchObject({ ok: true });
  });
});

describe("recovery codes and turning it off", () => {
  it("makes new recovery codes with a fresh app code (not a recovery code); the old ones stop working", async () => {
    const p = await enrol(await person());
    const old = p.recovery!;
    expect(await outcome(regenerateRecoveryCodes(p.actor, { code: old[0]! }))).toBe("UNAUTHORIZED");
    const { recoveryCodes } = await regenerateRecoveryCodes(p.actor, { code: await freshCode(p.userId, p.key!) });
    canaries.recovery.push(...recoveryCodes);
    expect(recoveryCodes).toHaveLength(10);
    expect(recoveryCodes.some((c) => old.includes(c))).toBe(false);
    expect(await signInWithPassword(p.email, PASSWORD, meta({ ip: addr() }), noSleep, old[1]!)).toEqual({ ok: false, reason: "invalid_code" });
    expect(await signInWithPassword(p.email, PASSWORD, meta({ ip: addr() }), noSleep, recoveryCodes[0]!)).toMatchObject({ ok: true });
    expect(await db().auditEvent.count({ where: { action: "user.recovery_codes_regenerate", actorId: p.userId, result: "success" } })).toBe(1);
  });

  it("SES-07: turning it off needs the sudo window and a fresh code; a used code is refused", async () => {
    const p = await enrol(await person());
    // Outside the window: REAUTH_REQUIRED, before any code is looked at or spent.
    await db().session.updateMany({ where: { userId: p.userId }, data: { reauthAt: new Date(Date.now() - 11 * 60 * 1000) } });
    await again(p);
    const code = await freshCode(p.userId, p.key!);
    expect(await outcome(prepareMfaDisable(p.actor))).toBe("REAUTH_REQUIRED");
    expect(await outcome(disableMfa(p.actor, { code }))).toBe("REAUTH_REQUIRED");
    // Confirm it's you with the password (the code stays unspent), then the code turns it off...
    await reauthenticate(p.actor, { password: PASSWORD });
    await again(p);
    expect(await prepareMfaDisable(p.actor)).toEqual({ requiredBy: [] });
    // ...but not a wrong one, nor one already used (the enrolment's), and nothing changes.
    expect(await outcome(disableMfa(p.actor, { code: wrongCode(p.key!) }))).toBe("UNAUTHORIZED");
    const used = generateHOTP(p.key!, BigInt((await db().user.findUniqueOrThrow({ where: { id: p.userId } })).totpLastStep!), 6);
    expect(await outcome(disableMfa(p.actor, { code: used }))).toBe("UNAUTHORIZED");
    expect((await db().user.findUniqueOrThrow({ where: { id: p.userId } })).totpEnabledAt).not.toBeNull();
    expect(await db().auditEvent.count({ where: { action: "user.mfa_disable", actorId: p.userId, result: "denied" } })).toBe(2);

    expect(await disableMfa(p.actor, { code })).toEqual({ requiredBy: [] });
    const row = await db().user.findUniqueOrThrow({ where: { id: p.userId } });
    expect(row).toMatchObject({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null });
    expect(await db().recoveryCode.count({ where: { userId: p.userId } })).toBe(0);
    const ev = await db().auditEvent.findFirst({ where: { action: "user.mfa_disable", actorId: p.userId, result: "success" } });
    expect(JSON.parse(ev!.metadata!)).toEqual({ method: "totp", workspacesRequiringMfa: 0 });
    expect(await signInWithPassword(p.email, PASSWORD, meta({ ip: addr() }), noSleep)).toMatchObject({ ok: true });
    const mail = await mailbox.waitFor((m) => m.to.includes(p.email) && body(m).includes("was turned off"));
    expect(body(mail)).toContain("https://tessera.example.test/account");
  });

  it("can be turned off with a recovery code (a lost phone), naming the workspaces that require one", async () => {
    const p = await enrol(await person());
    const { workspace } = await makeWorkspace({ name: `Strict ${uniq()}`, active: true });
    await db().membership.create({ data: { workspaceId: workspace.id, userId: p.userId, role: "member" } });
    await db().workspace.update({ where: { id: workspace.id }, data: { requireMfa: true } });
    expect(await prepareMfaDisable(p.actor)).toEqual({ requiredBy: [{ id: workspace.id, name: workspace.name }] });
    expect(await disableMfa(p.actor, { code: p.recovery![3]! })).toEqual({ requiredBy: [{ id: workspace.id, name: workspace.name }] });
    const ev = await db().auditEvent.findFirst({ where: { action: "user.mfa_disable", actorId: p.userId, result: "success" } });
    expect(JSON.parse(ev!.metadata!)).toEqual({ method: "recovery_code", workspacesRequiringMfa: 1 });
    // Still a member, now refused in the dashboard until a factor is set up again.
    expect(await outcome(getWorkspace(await again(p), workspace.id))).toBe("FORBIDDEN");
    expect((await mfaStatus(p.actor)).requiredBy).toEqual([{ id: workspace.id, name: workspace.name }]);
  });
});

describe("a workspace that requires a second factor", () => {
  it("refuses a password member without one (403, audited), lets them in once enrolled (their user tokens too), and never asks SSO members", async () => {
    const { workspace } = await makeWorkspace({ name: `MFA ${uniq()}`, active: true });
    const pw = await person("pat");
    const sso = await person("sam", "oidc");
    for (const u of [pw, sso]) await db().membership.create({ data: { workspaceId: workspace.id, userId: u.userId, role: "member" } });
    const { actor: patToken } = await makeToken(pw.actor, workspace.id);

    const admin = await enrol(await person("olga"));
    await db().membership.create({ data: { workspaceId: workspace.id, userId: admin.userId, role: "admin" } });
    expect(await membersWithoutSecondFactor(admin.actor, workspace.id)).toEqual(expect.arrayContaining([pw.userId, sso.userId]));
    expect(await updateMfaPolicy(admin.actor, workspace.id, { requireMfa: true })).toMatchObject({ requireMfa: true });
    expect(await db().auditEvent.count({ where: { workspaceId: workspace.id, action: "workspace.mfa_policy.update", result: "success" } })).toBe(1);

    const denied = () => db().auditEvent.count({ where: { workspaceId: workspace.id, actorId: pw.userId, result: "denied" } });
    const before = await denied();
    expect(await outcome(getWorkspace(pw.actor, workspace.id))).toBe("FORBIDDEN");
    expect(await outcome(listSecrets(pw.actor, workspace.id))).toBe("FORBIDDEN");
    expect(await denied()).toBe(before + 2);
    const err = await getWorkspace(pw.actor, workspace.id).catch((e: AppError) => e);
    expect((err as AppError).message).toMatch(/requires a second factor/);
    // SSO sessions are trusted to the identity provider. The member's user token acts as them: held
    // to the same rule (a token made before the rule would otherwise keep full access).
    expect(await outcome(getWorkspace(sso.actor, workspace.id))).toBe("OK");
    expect(await outcome(getWorkspace(patToken, workspace.id))).toBe("FORBIDDEN");
    // Enrolled: the same session, and the same token, get in.
    await enrol(pw);
    expect(await outcome(getWorkspace(pw.actor, workspace.id))).toBe("OK");
    expect(await outcome(getWorkspace(patToken, workspace.id))).toBe("OK");
    expect(await membersWithoutSecondFactor(admin.actor, workspace.id)).not.toContain(pw.userId);
    // Only owners and admins see who has no second factor.
    expect(await membersWithoutSecondFactor(pw.actor, workspace.id)).toEqual([]);
  });

  it("cannot be turned on from a password session without a second factor (400, nothing changed); an SSO session can", async () => {
    const { workspace } = await makeWorkspace({ name: `Own ${uniq()}`, active: true });
    const me = await person("owen");
    const sso = await person("sia", "oidc");
    await db().membership.create({ data: { workspaceId: workspace.id, userId: me.userId, role: "owner" } });
    await db().membership.create({ data: { workspaceId: workspace.id, userId: sso.userId, role: "admin" } });
    const err = await updateMfaPolicy(me.actor, workspace.id, { requireMfa: true }).catch((e: AppError) => e);
    expect((err as AppError).code).toBe("BAD_REQUEST");
    expect((err as AppError).message).toMatch(/second factor for your own account first/);
    expect((await db().workspace.findUniqueOrThrow({ where: { id: workspace.id } })).requireMfa).toBe(false);
    expect(await outcome(updateMfaPolicy(me.actor, workspace.id, { requireMfa: "yes" as never }))).toBe("VALIDATION_FAILED");
    expect(await updateMfaPolicy(sso.actor, workspace.id, { requireMfa: true })).toMatchObject({ requireMfa: true });
    // Now the owner without a second factor is kept out too, turning it off included (403, audited).
    expect(await outcome(updateMfaPolicy(me.actor, workspace.id, { requireMfa: false }))).toBe("FORBIDDEN");
    expect(await updateMfaPolicy(sso.actor, workspace.id, { requireMfa: false })).toMatchObject({ requireMfa: false });
    // Unchanged: nothing to audit.
    expect(await updateMfaPolicy(sso.actor, workspace.id, { requireMfa: false })).toMatchObject({ requireMfa: false });
    const events = await db().auditEvent.findMany({ where: { workspaceId: workspace.id, action: "workspace.mfa_policy.update", result: "success" } });
    expect(events.map((e) => JSON.parse(e.metadata!))).toEqual(expect.arrayContaining([{ from: false, to: true }, { from: true, to: false }]));
    expect(events).toHaveLength(2);
    expect(await db().auditEvent.count({ where: { workspaceId: workspace.id, action: "workspace.mfa_policy.update", result: "denied", actorId: me.userId } })).toBe(1);
  });
});

describe("PUT /api/v1/workspaces/{workspaceId}/mfa-policy", () => {
  it("sets the policy with a full token of an admin (audited), refuses bad input with 422 and changes nothing", async () => {
    const { workspace, owner, members } = await makeWorkspace({ name: `Api ${uniq()}`, active: true, roles: ["member"] });
    const full = await makeToken(owner, workspace.id);
    const member = await makeToken(members.member!, workspace.id);
    const put = async (token: string, body: string) => {
      const url = `http://localhost/api/v1/workspaces/${workspace.id}/mfa-policy`;
      const res = await MFA_POLICY_PUT(
        new Request(url, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-tessera-client-ip": addr() }, body }),
        { params: Promise.resolve({ workspaceId: workspace.id }) },
      );
      await checkResponse("PUT", url, res);
      return { status: res.status, json: await res.json() };
    };
    for (const bad of ['{"requireMfa":"yes"}', "{}", '{"requireMfa":true,"extra":1}']) {
      const r = await put(full.value, bad);
      expect(r.status, bad).toBe(422);
      expect(r.json.error.code).toBe("VALIDATION_FAILED");
    }
    expect((await put(member.value, '{"requireMfa":true}')).status).toBe(403);
    expect((await db().workspace.findUniqueOrThrow({ where: { id: workspace.id } })).requireMfa).toBe(false);
    const ok = await put(full.value, '{"requireMfa":true}');
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ id: workspace.id, requireMfa: true });
    const ev = await db().auditEvent.findFirst({ where: { workspaceId: workspace.id, action: "workspace.mfa_policy.update", result: "success" } });
    expect(ev).toMatchObject({ actorType: "token", actorId: full.id });
  });
});

describe("key rotation", () => {
  it("re-seals second-factor keys under the new master key: app codes keep working once the old key is gone (recovery codes need it)", async () => {
    const p = await enrol(await person());
    const pending = await person();
    await startMfaEnrolment(pending.actor);
    const oldKey = process.env.TESSERA_MASTER_KEY!;
    try {
      process.env.TESSERA_MASTER_KEY = `t2:${Buffer.alloc(32, 9).toString("base64")},${oldKey}`;
      resetConfig();
      const before = await db().user.findUniqueOrThrow({ where: { id: p.userId } });
      expect(totpKeyNeedsRewrap(before.totpSecret!)).toBe(true);
      expect(await totpKeysUnderOlderKeys()).toBeGreaterThanOrEqual(2);
      const r = await rewrapTotpKeys();
      expect(r.failed).toEqual([]);
      expect(r.rewrapped).toBe(r.total);
      expect(await totpKeysUnderOlderKeys()).toBe(0);
      const after = await db().user.findUniqueOrThrow({ where: { id: p.userId } });
      expect(after.totpSecret).toMatch(/^t2\./);
      expect((await db().user.findUniqueOrThrow({ where: { id: pending.userId } })).totpPendingSecret).toMatch(/^t2\./);
      expect(Buffer.from(openTotpKey(p.userId, after.totpSecret!)).equals(Buffer.from(p.key!))).toBe(true);
      // Running it again finds nothing to do.
      expect((await rewrapTotpKeys()).total).toBe(0);
      // Both keys configured: recovery codes made under the old one still work.
      expect(await signInWithPassword(p.email, PASSWORD, meta({ ip: addr() }), noSleep, p.recovery![1]!)).toMatchObject({ ok: true });
      // Only the new key now (the old one removed): the app's codes still work; recovery codes made
      // under the old key would not (their HMACs cannot be re-made), which the rotation command says.
      process.env.TESSERA_MASTER_KEY = `t2:${Buffer.alloc(32, 9).toString("base64")}`;
      resetConfig();
      expect(await signInWithPassword(p.email, PASSWORD, meta({ ip: addr() }), noSleep, await freshCode(p.userId, p.key!))).toMatchObject({ ok: true });
      expect(await signInWithPassword(p.email, PASSWORD, meta({ ip: addr() }), noSleep, p.recovery![0]!)).toEqual({ ok: false, reason: "invalid_code" });
    } finally {
      process.env.TESSERA_MASTER_KEY = oldKey;
      resetConfig();
    }
  });
});

describe("LOG-03: canaries", () => {
  it("LOG-03: no key, code or recovery code in the audit log, the database, or a mail", async () => {
    expect(canaries.keys.length).toBeGreaterThan(10);
    expect(canaries.recovery.length).toBeGreaterThan(50);
    const stored = canaries.recovery.flatMap((c) => [c, c.replace(/-/g, "")]);
    const audit = JSON.stringify(await db().auditEvent.findMany());
    for (const s of [...canaries.keys, ...stored]) expect(audit).not.toContain(s);
    // Six-digit codes could match any number by chance: checked where a code could only be copied, the audit metadata.
    const metadata = (await db().auditEvent.findMany({ select: { metadata: true } })).map((e) => e.metadata ?? "").join("\n");
    for (const c of canaries.codes) expect(metadata).not.toContain(c);
    for (const m of mailbox.received) for (const s of [...canaries.keys, ...stored, ...canaries.codes]) expect(`${body(m)}${m.raw}`).not.toContain(s);
    if (dbProvider() === "sqlite") {
      const file = process.env.DATABASE_URL!.replace(/^file:/, "");
      for (const f of [file, `${file}-wal`]) {
        if (!existsSync(f)) continue;
        const bytes = readFileSync(f);
        for (const s of [...canaries.keys, ...stored]) expect(bytes.includes(Buffer.from(s)), `${s} in ${f}`).toBe(false);
      }
    } else {
      const url = new URL(process.env.DATABASE_URL!);
      const schema = url.searchParams.get("schema")!;
      url.searchParams.delete("schema");
      const dump = execFileSync("pg_dump", ["--data-only", "--schema", schema, url.toString()], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
      expect(dump).toContain("user.mfa_enable");
      for (const s of [...canaries.keys, ...stored]) expect(dump).not.toContain(s);
    }
  });
});
