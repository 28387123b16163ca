// Attacks on the account-security features of issue 15 (a review by a helper playing the
// attacker), on SQLite and PostgreSQL, at the service boundary with real sessions (createSession +
// resolveSession, as every request), real tokens (authenticateBearer) and real TOTP keys. Each test
// states a property the feature promises and fails while a path around it exists:
// - SES-07: a session outside the sudo window must not reach what the window guards (deleting the
//   workspace, an owner-level token) by first minting itself a user token or approving a device
//   login, whose API calls are never asked to confirm;
// - a workspace that requires a second factor must refuse its password members without one also
//   when they come with their user tokens (which could otherwise also turn the policy off);
// - the TOTP code step must be limited per account, whatever the number of client addresses the
//   password holder uses (10^6 codes, 3 accepted at any time);
// - a password member with a second factor approving a device login into a workspace that
//   requires one gets the token (today the minting actor forgets the second factor).
import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import { generateHOTP } from "@oslojs/otp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TokenActor } from "@/lib/auth/actor";
import { authenticateBearer } from "@/lib/auth/bearer";
import { createSession, resolveSession, type SessionActor } from "@/lib/auth/session";
import { decodeTotpKey, TOTP_PERIOD_SECONDS } from "@/lib/auth/totp";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { approveDevice, pollDevice, startDevice } from "@/lib/services/device";
import { confirmMfaEnrolment, startMfaEnrolment } from "@/lib/services/mfa";
import { listSecrets } from "@/lib/services/secrets";
import { createToken } from "@/lib/services/tokens";
import { ACCOUNT_FAILURE_LIMIT, CODE_FAILURE_LIMIT, signInWithPassword } from "@/lib/services/users";
import { createWorkspace, deleteWorkspace, updateMfaPolicy } from "@/lib/services/workspaces";
import { makeUser, meta } from "../helpers/fixtures";

const PASSWORD = "correct horse battery staple";
const MINUTE = 60_000;
const uniq = () => randomBytes(4).toString("hex");
const outcome = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : `THREW ${(e as Error)?.message}`));
const noSleep = () => Promise.resolve();

beforeAll(() => {
  // TOTP codes depend on the time step: only Date is faked (timers and the database run as usual).
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date());
});
afterAll(() => vi.useRealTimers());

const currentStep = () => Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS);

type Person = { userId: string; email: string; session: string; actor: SessionActor; key?: Uint8Array };

/**
 * A user with a password (bcrypt cost 4 here, so that many sign-in attempts stay quick: the cost
 * is not what is tested), signed in to the dashboard, `reauthMinutesAgo` after the last sign-in or
 * confirmation.
 */
async function person(name: string, reauthMinutesAgo = 0): Promise<Person> {
  const u = await makeUser(name);
  await db().user.update({ where: { id: u.userId }, data: { passwordHash: await bcrypt.hash(PASSWORD, 4) } });
  const { value, id } = await createSession(u.userId, meta(), "password");
  if (reauthMinutesAgo) await db().session.update({ where: { id }, data: { reauthAt: new Date(Date.now() - reauthMinutesAgo * MINUTE) } });
  return { userId: u.userId, email: u.email, session: value, actor: (await resolveSession(value, meta()))! };
}

async function again(p: Person): Promise<SessionActor> {
  p.actor = (await resolveSession(p.session, meta()))!;
  return p.actor;
}

/** Turns the TOTP second factor on with a code computed from the shown key (as an app does). */
async function enrol(p: Person): Promise<Person> {
  const e = await startMfaEnrolment(p.actor);
  p.key = decodeTotpKey(e.keyText);
  await confirmMfaEnrolment(p.actor, { code: generateHOTP(p.key, BigInt(currentStep()), 6) });
  await again(p);
  return p;
}

/** Six digits that no step around now accepts. */
function wrongCode(key: Uint8Array, n: number): string {
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => generateHOTP(key, BigInt(currentStep() + d), 6)));
  let i = 100000 + n * 7;
  while (valid.has(String(i))) i++;
  return String(i);
}

async function tokenActor(value: string): Promise<TokenActor> {
  const { access: _requestScoped, ...actor } = await authenticateBearer(`Bearer ${value}`, meta());
  return actor;
}

async function activeWorkspace(owner: Person) {
  const ws = await createWorkspace(owner.actor, { name: `Team ${uniq()}` });
  await db().workspace.update({ where: { id: ws.id }, data: { status: "active" } });
  return ws;
}

describe("SES-07: no way around the sudo window for a stale (stolen) session", () => {
  it("SES-07: a stale owner session cannot mint a user token and then delete the workspace or mint an owner token with it", async () => {
    const owner = await person("owner");
    const ws = await activeWorkspace(owner);
    // The session is stolen, or left open: its last sign-in or confirmation is an hour old.
    await db().session.updateMany({ where: { userId: owner.userId }, data: { reauthAt: new Date(Date.now() - 60 * MINUTE) } });
    const stale = await again(owner);
    expect(await outcome(deleteWorkspace(stale, ws.id, { confirmName: ws.name }))).toBe("REAUTH_REQUIRED");
    expect(await outcome(createToken(stale, ws.id, { name: "owner", kind: "workspace", role: "owner" }))).toBe("REAUTH_REQUIRED");

    // The way around: a user token (full scope, no confirmation asked) acts as the owner on the API.
    let minted: Awaited<ReturnType<typeof createToken>> | null = null;
    try {
      minted = await createToken(stale, ws.id, { name: "cli", kind: "user" });
    } catch (err) {
      // Refusing it is one fix (a user token of an admin or owner is as strong as an owner token).
      expect((err as AppError).code).toBe("REAUTH_REQUIRED");
    }
    let ownerTokens = 0;
    if (minted) {
      const t = await tokenActor(minted.value);
      await outcome(createToken(t, ws.id, { name: "owner by token", kind: "workspace", role: "owner" }));
      ownerTokens = await db().token.count({ where: { workspaceId: ws.id, kind: "workspace", role: { in: ["owner", "admin"] } } });
      await outcome(deleteWorkspace(t, ws.id, { confirmName: ws.name }));
    }
    const survived = await db().workspace.count({ where: { id: ws.id } });
    expect({ ownerTokens, survived }).toEqual({ ownerTokens: 0, survived: 1 });
  });

  it("SES-07: a stale owner session cannot approve a device login and delete the workspace with the token it yields", async () => {
    const owner = await person("owner", 60);
    const fresh = await person("helper");
    const ws = await createWorkspace(fresh.actor, { name: `Team ${uniq()}` });
    await db().workspace.update({ where: { id: ws.id }, data: { status: "active" } });
    await db().membership.create({ data: { workspaceId: ws.id, userId: owner.userId, role: "owner" } });
    const stale = await again(owner);
    expect(await outcome(deleteWorkspace(stale, ws.id, { confirmName: ws.name }))).toBe("REAUTH_REQUIRED");

    const device = await startDevice({ machineName: "attacker-laptop", workspaceId: ws.id }, meta({ ip: "198.51.100.66" }));
    const approved = await outcome(approveDevice(stale, { userCode: device.userCode }));
    if (approved === "OK") {
      const got = await pollDevice({ deviceCode: device.deviceCode }, meta({ ip: "198.51.100.66" })).then(
        (r) => r.token,
        () => null,
      );
      if (got) await outcome(deleteWorkspace(await tokenActor(got), ws.id, { confirmName: ws.name }));
    } else {
      expect(approved).toBe("REAUTH_REQUIRED");
    }
    expect(await db().workspace.count({ where: { id: ws.id } })).toBe(1);
  });
});

describe("a workspace that requires a second factor", () => {
  it("refuses a password member without one also through their user token, which cannot turn the policy off either", async () => {
    const owner = await enrol(await person("owner"));
    const ws = await activeWorkspace(owner);
    const admin = await person("admin");
    await db().membership.create({ data: { workspaceId: ws.id, userId: admin.userId, role: "admin" } });
    // The admin made a user token before the policy (as the CLI does), and has no second factor.
    const token = await createToken(admin.actor, ws.id, { name: "laptop", kind: "user" });
    await updateMfaPolicy(owner.actor, ws.id, { requireMfa: true });

    // The dashboard session is refused…
    expect(await outcome(listSecrets(await again(admin), ws.id))).toBe("FORBIDDEN");
    // …and so must be the same person through their token.
    const t = await tokenActor(token.value);
    expect(await outcome(listSecrets(t, ws.id))).toBe("FORBIDDEN");
    expect(await outcome(updateMfaPolicy(t, ws.id, { requireMfa: false }))).toBe("FORBIDDEN");
    expect((await db().workspace.findUniqueOrThrow({ where: { id: ws.id } })).requireMfa).toBe(true);
  });

  it("lets a password member who has one finish a device login into it (the minted token's actor knows the second factor)", async () => {
    const owner = await enrol(await person("owner"));
    const ws = await activeWorkspace(owner);
    await updateMfaPolicy(owner.actor, ws.id, { requireMfa: true });
    const device = await startDevice({ machineName: "laptop", workspaceId: ws.id }, meta({ ip: "198.51.100.67" }));
    expect(await outcome(approveDevice(owner.actor, { userCode: device.userCode }))).toBe("OK");
    expect(await outcome(pollDevice({ deviceCode: device.deviceCode }, meta({ ip: "198.51.100.67" })))).toBe("OK");
  });
});

describe("RL-01/RL-02: guessing the second factor", () => {
  it("RL-02: someone who has the password cannot try more codes than the account's limit by spreading them over many addresses", async () => {
    const victim = await enrol(await person("victim"));
    const addresses = Math.ceil(ACCOUNT_FAILURE_LIMIT * 1.5);
    let checked = 0;
    for (let i = 0; i < addresses; i++) {
      // One guess from each address (a botnet, or an IPv6 /64: every address is new).
      const ip = `2001:db8:${(i >> 8).toString(16)}:${(i & 0xff).toString(16)}::${(i % 7) + 1}`;
      const r = await signInWithPassword(victim.email, PASSWORD, meta({ ip }), noSleep, wrongCode(victim.key!, i));
      expect(r.ok).toBe(false);
      if (!r.ok && r.reason === "invalid_code") checked++;
    }
    // Every checked guess has a chance of 3 in 10^6 (the current step ± 1). The password's limits
    // let a new address always try (so the owner is never locked out by strangers); a code is tried
    // only by someone who has the password, so its limit can be per account.
    expect(checked).toBeLessThanOrEqual(ACCOUNT_FAILURE_LIMIT);
  });
});

describe("second-factor codes sent at once", () => {
  it("are held to the account's code limit: a burst (on one instance or spread over several) cannot pass a check made before any is counted", async () => {
    const victim = await enrol(await person("burst"));
    const burst = CODE_FAILURE_LIMIT * 3;
    // From as many addresses: only the account's code limit stands in the way (on PostgreSQL they truly run at once).
    const results = await Promise.all(
      Array.from({ length: burst }, (_, i) => signInWithPassword(victim.email, PASSWORD, meta({ ip: `198.51.100.${i + 1}` }), noSleep, wrongCode(victim.key!, i))),
    );
    const reasons = results.map((r) => (r.ok ? "ok" : r.reason));
    expect(reasons.filter((r) => r === "invalid_code")).toHaveLength(CODE_FAILURE_LIMIT);
    expect(reasons.filter((r) => r === "rate_limited")).toHaveLength(burst - CODE_FAILURE_LIMIT);
    // The owner's right code still gets in once the window has passed.
    vi.setSystemTime(new Date(Date.now() + 16 * MINUTE));
    const ok = await signInWithPassword(victim.email, PASSWORD, meta({ ip: "198.51.100.250" }), noSleep, generateHOTP(victim.key!, BigInt(currentStep()), 6));
    expect(ok.ok).toBe(true);
  }, 120_000);
});
