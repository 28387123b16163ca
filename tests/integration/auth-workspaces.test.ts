// Sign-in services, activation and SSO binding, at the service boundary.
import { describe, expect, it, vi } from "vitest";
import { createSession, resolveSession } from "@/lib/auth/session";
import { signOutEverywhere } from "@/lib/services/account";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createToken } from "@/lib/services/tokens";
import { hit, purgeStaleRateLimits, STALE_AFTER_MS } from "@/lib/services/rate-limit";
import {
  ACCOUNT_FAILURE_LIMIT,
  PAIR_FAILURE_LIMIT,
  SIGN_IN_WINDOW_MS,
  setUserDisabled,
  signInBlocked,
  signInWithOidc,
  signInWithPassword,
  signUpWithPassword,
  userActor,
} from "@/lib/services/users";
import {
  approveOwnWorkspace,
  countActivationRequests,
  deleteWorkspace,
  getWorkspace,
  listWorkspaces,
  requestActivation,
  reviewActivation,
  updateSsoSettings,
} from "@/lib/services/workspaces";
import { makeToken, makeUser, makeWorkspace, meta } from "../helpers/fixtures";

const noSleep = () => Promise.resolve();
const code = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : (e as Error).name));
const uniq = () => Math.random().toString(36).slice(2, 8);

describe("password sign-up and sign-in", () => {
  it("creates a user with a bcrypt hash (cost ≥ 10) and a personal workspace they own", async () => {
    const email = `ada-${uniq()}@example.com`;
    const user = (await signUpWithPassword({ name: "Ada", email: email.toUpperCase(), password: "correct horse battery" }, meta()))!;
    expect(user.email).toBe(email);
    expect(user.passwordHash).toMatch(/^\$2[aby]\$(1[0-9]|[2-9][0-9])\$/);
    expect(user.passwordHash).not.toContain("correct horse");
    const [ws] = await listWorkspaces(userActor(user, meta()));
    expect(ws).toMatchObject({ name: "Ada's workspace", role: "owner", personal: true, status: "pending" });
    const audit = JSON.stringify(await db().auditEvent.findMany({ where: { actorId: user.id } }));
    expect(audit).not.toContain("correct horse");
    expect(audit).not.toContain(user.passwordHash!);
  });

  it.each([
    ["short", /at least 10/],
    ["aaaaaaaaaaaaaaa", /repeated/],
    ["é".repeat(40), /72 bytes/],
  ])("enforces the readable password rule (%s)", async (password, message) => {
    const err = await signUpWithPassword({ name: "X", email: `x-${uniq()}@example.com`, password }, meta()).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe("VALIDATION_FAILED");
    expect(err.message).toMatch(message);
  });

  it("refuses bad names and emails, and creates nothing for an existing account", async () => {
    const before = await db().user.count();
    expect(await code(signUpWithPassword({ name: "a\nb", email: `y-${uniq()}@example.com`, password: "correct horse battery" }, meta()))).toBe("VALIDATION_FAILED");
    expect(await code(signUpWithPassword({ name: "Y", email: "not-an-email", password: "correct horse battery" }, meta()))).toBe("VALIDATION_FAILED");
    const email = `dup-${uniq()}@example.com`;
    const first = await signUpWithPassword({ name: "Y", email, password: "correct horse battery" }, meta());
    // The same address again: no error (the answer must not tell), nothing created or changed.
    expect(await signUpWithPassword({ name: "Z", email, password: "another horse battery" }, meta())).toBeNull();
    expect(await db().user.count()).toBe(before + 1);
    const after = await db().user.findUniqueOrThrow({ where: { email } });
    expect(after).toMatchObject({ id: first!.id, name: "Y", passwordHash: first!.passwordHash });
    expect(await db().auditEvent.count({ where: { action: "user.signup_existing", targetId: first!.id, result: "denied" } })).toBe(1);
  });

  it("RL-03: answers the same for an unknown account and a wrong password", async () => {
    const email = `b-${uniq()}@example.com`;
    await signUpWithPassword({ name: "B", email, password: "correct horse battery" }, meta());
    const m = meta({ ip: `198.51.100.${Math.floor(Math.random() * 200)}` });
    expect(await signInWithPassword(email, "wrong password!", m, noSleep)).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword(`nobody-${uniq()}@example.com`, "wrong password!", m, noSleep)).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword(email, "correct horse battery", m, noSleep)).toMatchObject({ ok: true });
  });

  it("RL-01 RL-02: slows down repeated failures and refuses them per account and address, but never locks the owner out", async () => {
    const email = `c-${uniq()}@example.com`;
    await signUpWithPassword({ name: "C", email, password: "correct horse battery" }, meta());
    const sleep = vi.fn(() => Promise.resolve());
    const attacker = meta({ ip: `192.0.2.${Math.floor(Math.random() * 200)}` });
    for (let i = 0; i < PAIR_FAILURE_LIMIT; i++) {
      expect(await signInWithPassword(email, "nope nope nope", attacker, sleep)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(sleep).toHaveBeenCalled();
    expect(Math.max(...sleep.mock.calls.map((c) => (c as unknown as [number])[0]))).toBeLessThanOrEqual(2000);
    // The attacker's address is refused for this account, even with the right password...
    expect(await signInWithPassword(email, "correct horse battery", attacker, sleep)).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(await signInBlocked(email, attacker.ip)).toBeGreaterThan(0);
    // ...but the owner, from an address without failures, is not (security.md RL-02).
    expect(await signInBlocked(email, "198.51.100.250")).toBe(0);
    expect(await signInWithPassword(email, "correct horse battery", meta({ ip: "198.51.100.250" }), sleep)).toMatchObject({ ok: true });
    // Another account from the attacker's address still has its own budget.
    expect(await signInBlocked(`other-${uniq()}@example.com`, attacker.ip)).toBe(0);
  });

  it("RL-02: refuses every address that already failed once an account is under attack from many; a fresh address still gets its attempt", async () => {
    const email = `e-${uniq()}@example.com`;
    await signUpWithPassword({ name: "E", email, password: "correct horse battery" }, meta());
    const net = `10.${Math.floor(Math.random() * 250)}`;
    // Two addresses fail once each; then the account's count reaches the limit (as if from many
    // more addresses: seeded directly, 100 bcrypt comparisons would only make the test slow).
    for (const host of ["0.1", "0.2"]) {
      expect(await signInWithPassword(email, "nope nope nope", meta({ ip: `${net}.${host}` }), noSleep)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await signInBlocked(email, `${net}.0.1`)).toBe(0);
    for (let i = 2; i < ACCOUNT_FAILURE_LIMIT; i++) await hit(`signin:account:${email}`, SIGN_IN_WINDOW_MS);
    expect(await signInWithPassword(email, "nope nope nope", meta({ ip: `${net}.0.1` }), noSleep)).toMatchObject({ reason: "rate_limited" });
    expect(await signInBlocked(email, `${net}.0.2`)).toBeGreaterThan(0);
    // A fresh address: one attempt. The owner's correct password gets through...
    expect(await signInWithPassword(email, "correct horse battery", meta({ ip: `${net}.0.3` }), noSleep)).toMatchObject({ ok: true });
    // ...a guesser's fails, and that address is refused from then on.
    expect(await signInWithPassword(email, "nope nope nope", meta({ ip: `${net}.0.4` }), noSleep)).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword(email, "correct horse battery", meta({ ip: `${net}.0.4` }), noSleep)).toMatchObject({ reason: "rate_limited" });
  });

  it("deletes expired counters (the hourly job), keeping live ones", async () => {
    const [stale, live] = [`signin:pair:test:stale-${uniq()}`, `signin:pair:test:live-${uniq()}`];
    await hit(stale, SIGN_IN_WINDOW_MS);
    await hit(live, SIGN_IN_WINDOW_MS);
    await db().rateLimit.update({ where: { key: stale }, data: { windowStart: new Date(Date.now() - STALE_AFTER_MS - 1000) } });
    expect(await purgeStaleRateLimits()).toBeGreaterThanOrEqual(1);
    expect(await db().rateLimit.findUnique({ where: { key: stale } })).toBeNull();
    expect(await db().rateLimit.findUnique({ where: { key: live } })).not.toBeNull();
    // A day later the live one has expired too.
    await purgeStaleRateLimits(new Date(Date.now() + STALE_AFTER_MS + 60_000));
    expect(await db().rateLimit.findUnique({ where: { key: live } })).toBeNull();
  });

  // 31 bcrypt comparisons (cost 12): seconds each on a busy machine; only the hang guard limits it.
  it("refuses sign-in from an address with too many failures, whatever the account", async () => {
    const ip = `198.18.0.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 30; i++) await signInWithPassword(`spray-${i}-${uniq()}@example.com`, "guess guess guess", meta({ ip }), noSleep);
    expect(await signInWithPassword(`fresh-${uniq()}@example.com`, "guess guess guess", meta({ ip }), noSleep)).toMatchObject({ reason: "rate_limited" });
    expect(await signInBlocked(`other-${uniq()}@example.com`, "198.18.1.1")).toBe(0);
  });

  it("SES-05: refuses a disabled user and ends their sessions at once", async () => {
    const email = `d-${uniq()}@example.com`;
    const user = (await signUpWithPassword({ name: "D", email, password: "correct horse battery" }, meta()))!;
    const { value } = await createSession(user.id, meta());
    expect(await resolveSession(value, meta())).not.toBeNull();
    const admin = { ...(await makeUser("admin")), isPlatformAdmin: true };
    await setUserDisabled(admin, user.id, true);
    expect(await resolveSession(value, meta())).toBeNull();
    expect(await signInWithPassword(email, "correct horse battery", meta({ ip: "203.0.113.99" }), noSleep)).toEqual({ ok: false, reason: "invalid" });
    expect(await code(setUserDisabled({ ...admin, isPlatformAdmin: false }, user.id, false))).toBe("FORBIDDEN");
  });

  it("SES-05: stops a disabled creator's user tokens", async () => {
    const { workspace, members } = await makeWorkspace({ roles: ["member"] });
    const { actor } = await makeToken(members.member!, workspace.id);
    expect(await code(getWorkspace(actor, workspace.id))).toBe("OK");
    await setUserDisabled({ ...(await makeUser("root")), isPlatformAdmin: true }, members.member!.userId, true);
    expect(await code(getWorkspace(actor, workspace.id))).toBe("NOT_FOUND");
  });

  it("signs out everywhere", async () => {
    const user = await makeUser("many");
    const a = await createSession(user.userId, meta());
    const b = await createSession(user.userId, meta());
    expect(await signOutEverywhere(user)).toBe(2);
    expect(await resolveSession(a.value, meta())).toBeNull();
    expect(await resolveSession(b.value, meta())).toBeNull();
  });
});

describe("SSO provisioning", () => {
  it("provisions just in time, then finds the same user by subject", async () => {
    const sub = `sub-${uniq()}`;
    const first = await signInWithOidc("oidc", { sub, email: `${sub}@corp.example`, email_verified: true, name: "Grace" }, meta());
    const again = await signInWithOidc("oidc", { sub, email: "changed@corp.example", name: "Grace" }, meta());
    expect(again.id).toBe(first.id);
    expect(await db().identity.count({ where: { userId: first.id } })).toBe(1);
    expect((await listWorkspaces(userActor(first, meta())))[0]).toMatchObject({ personal: true, role: "owner" });
  });

  it("refuses unverified or missing emails", async () => {
    expect(await code(signInWithOidc("oidc", { sub: `s-${uniq()}`, email: "x@corp.example", email_verified: false }, meta()))).toBe("FORBIDDEN");
    expect(await code(signInWithOidc("oidc", { sub: `s-${uniq()}`, email: "" }, meta()))).toBe("BAD_REQUEST");
    expect(await code(signInWithOidc("oidc", { sub: "", email: "x@corp.example" }, meta()))).toBe("BAD_REQUEST");
  });

  it("joins the workspace that claimed the email domain, with its default role", async () => {
    const domain = `corp-${uniq()}.example`;
    const { workspace, owner } = await makeWorkspace({ name: "Corp" });
    const claimer = { ...owner, email: `boss@${domain}`, authMethod: "oidc" as const };
    await updateSsoSettings(claimer, workspace.id, { ssoDomain: domain, ssoDefaultRole: "viewer", ssoRequired: false });
    const user = await signInWithOidc("oidc", { sub: `s-${uniq()}`, email: `lin@${domain}`, email_verified: true }, meta());
    const m = await db().membership.findUnique({ where: { workspaceId_userId: { workspaceId: workspace.id, userId: user.id } } });
    expect(m?.role).toBe("viewer");
    const other = await makeWorkspace();
    const otherClaimer = { ...other.owner, email: `rival@${domain}`, authMethod: "oidc" as const };
    expect(await code(updateSsoSettings(otherClaimer, other.workspace.id, { ssoDomain: domain, ssoDefaultRole: "member", ssoRequired: false }))).toBe("CONFLICT");
    expect(await code(updateSsoSettings(claimer, workspace.id, { ssoDomain: "*.evil", ssoDefaultRole: "member", ssoRequired: false }))).toBe("VALIDATION_FAILED");
    expect(await code(updateSsoSettings(claimer, workspace.id, { ssoDomain: domain, ssoDefaultRole: "owner" as never, ssoRequired: false }))).toBe("VALIDATION_FAILED");
  });

  it("needs proof of the domain to claim it, and never on a personal workspace", async () => {
    const domain = `proof-${uniq()}.example`;
    const { workspace, owner } = await makeWorkspace();
    const input = { ssoDomain: domain, ssoDefaultRole: "member" as const, ssoRequired: false };
    // A password session, or an SSO session of another domain, proves nothing.
    expect(await code(updateSsoSettings({ ...owner, email: `a@${domain}`, authMethod: "password" }, workspace.id, input))).toBe("FORBIDDEN");
    expect(await code(updateSsoSettings({ ...owner, email: "a@elsewhere.example", authMethod: "oidc" }, workspace.id, input))).toBe("FORBIDDEN");
    const sso = await signInWithOidc("oidc", { sub: `s-${uniq()}`, email: `me@${domain}`, email_verified: true }, meta());
    const [personal] = await listWorkspaces(userActor(sso, meta()));
    expect(await code(updateSsoSettings({ ...userActor(sso, meta()), authMethod: "oidc" }, personal!.id, input))).toBe("FORBIDDEN");
    expect((await getWorkspace(owner, workspace.id)).sso.domain).toBeNull();
  });

  it("never links SSO to an account someone could have registered with a password", async () => {
    const email = `taken-${uniq()}@corp.example`;
    await signUpWithPassword({ name: "Squatter", email, password: "correct horse battery" }, meta());
    expect(await code(signInWithOidc("oidc", { sub: `s-${uniq()}`, email, email_verified: true }, meta()))).toBe("FORBIDDEN");
    const ssoOnly = await signInWithOidc("oidc", { sub: `s-${uniq()}`, email: `solo-${uniq()}@corp.example`, email_verified: true }, meta());
    // Another provider subject with the same email links only when the email is verified.
    expect(await code(signInWithOidc("oidc", { sub: `s-${uniq()}`, email: ssoOnly.email }, meta()))).toBe("FORBIDDEN");
    expect((await signInWithOidc("oidc", { sub: `s-${uniq()}`, email: ssoOnly.email, email_verified: true }, meta())).id).toBe(ssoOnly.id);
  });

  it("keeps password sessions out of a workspace that requires SSO", async () => {
    const { workspace, owner } = await makeWorkspace();
    const viaPassword = { ...owner, authMethod: "password" as const };
    expect(await code(updateSsoSettings(viaPassword, workspace.id, { ssoDomain: null, ssoDefaultRole: "member", ssoRequired: true }))).toBe("BAD_REQUEST");
    await updateSsoSettings({ ...owner, authMethod: "oidc" }, workspace.id, { ssoDomain: null, ssoDefaultRole: "member", ssoRequired: true });
    expect(await code(getWorkspace(viaPassword, workspace.id))).toBe("FORBIDDEN");
    expect(await code(getWorkspace({ ...owner, authMethod: "oidc" }, workspace.id))).toBe("OK");
  });
});

describe("activation", () => {
  it("goes pending → requested → active, or rejected with a reason, and gates workspace tokens", async () => {
    const { workspace, owner, members } = await makeWorkspace({ roles: ["member"] });
    const admin = { ...(await makeUser("platform")), isPlatformAdmin: true };
    expect(await code(createToken(owner, workspace.id, { kind: "workspace", name: "ci" }))).toBe("FORBIDDEN");
    expect(await code(requestActivation(members.member!, workspace.id, { organisation: "Acme", useCase: "Training models on GPUs" }))).toBe("FORBIDDEN");
    expect(await code(requestActivation(owner, workspace.id, { organisation: "A", useCase: "short" }))).toBe("VALIDATION_FAILED");

    await requestActivation(owner, workspace.id, { organisation: "Acme Labs", useCase: "Training models on GPUs" });
    expect((await getWorkspace(owner, workspace.id)).status).toBe("requested");
    expect(await code(requestActivation(owner, workspace.id, { organisation: "Acme Labs", useCase: "Training models on GPUs" }))).toBe("CONFLICT");

    expect(await code(reviewActivation(owner, workspace.id, { decision: "approve" }))).toBe("FORBIDDEN");
    expect(await code(reviewActivation(admin, workspace.id, { decision: "reject", reason: "" }))).toBe("VALIDATION_FAILED");
    await reviewActivation(admin, workspace.id, { decision: "reject", reason: "Tell us more about the workload" });
    expect(await getWorkspace(owner, workspace.id)).toMatchObject({ status: "rejected", activation: { rejectionReason: "Tell us more about the workload" } });

    await requestActivation(owner, workspace.id, { organisation: "Acme Labs", useCase: "Serving Llama for support" });
    await reviewActivation(admin, workspace.id, { decision: "approve" });
    expect((await getWorkspace(owner, workspace.id)).status).toBe("active");
    expect(await code(createToken(owner, workspace.id, { kind: "workspace", name: "ci" }))).toBe("OK");

    const actions = (await db().auditEvent.findMany({ where: { workspaceId: workspace.id }, orderBy: { createdAt: "asc" } })).map((e) => `${e.action}:${e.result}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        "workspace.activation.request:success",
        "workspace.activation.reject:success",
        "workspace.activation.approve:success",
        "workspace.activation.request:denied",
      ]),
    );
  });
});

describe("activation review", () => {
  it("approves or rejects only a workspace that applied (requested); anything else is a 409 that changes nothing", async () => {
    const { workspace, owner } = await makeWorkspace();
    const admin = { ...(await makeUser("platform")), isPlatformAdmin: true };
    const status = async () => (await getWorkspace(owner, workspace.id)).status;
    // Pending: never applied.
    const never = reviewActivation(admin, workspace.id, { decision: "reject", reason: "Nobody asked" });
    await expect(never).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/has not applied/) });
    expect(await code(reviewActivation(admin, workspace.id, { decision: "approve" }))).toBe("CONFLICT");
    expect(await status()).toBe("pending");
    // Rejected: must apply again before another review.
    await requestActivation(owner, workspace.id, { organisation: "Acme Labs", useCase: "Training models on GPUs" });
    await reviewActivation(admin, workspace.id, { decision: "reject", reason: "Tell us more" });
    expect(await code(reviewActivation(admin, workspace.id, { decision: "approve" }))).toBe("CONFLICT");
    expect(await code(reviewActivation(admin, workspace.id, { decision: "reject", reason: "Again" }))).toBe("CONFLICT");
    expect(await status()).toBe("rejected");
    await requestActivation(owner, workspace.id, { organisation: "Acme Labs", useCase: "Serving Llama for support" });
    await reviewActivation(admin, workspace.id, { decision: "approve" });
    // Active: neither approved again nor rejected.
    expect(await code(reviewActivation(admin, workspace.id, { decision: "reject", reason: "Changed my mind" }))).toBe("CONFLICT");
    expect(await status()).toBe("active");
    const reviews = await db().auditEvent.findMany({ where: { workspaceId: workspace.id, action: { startsWith: "workspace.activation." } } });
    expect(reviews.map((e) => e.action).sort()).toEqual(["workspace.activation.approve", "workspace.activation.reject", "workspace.activation.request", "workspace.activation.request"]);
  });
});

describe("self-approval from the activation banner", () => {
  /** The activation events of a workspace, oldest first: action, result, actor, metadata. */
  const events = async (workspaceId: string) =>
    (await db().auditEvent.findMany({ where: { workspaceId, action: { startsWith: "workspace.activation." } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((e) => ({
      action: e.action,
      result: e.result,
      actorId: e.actorId,
      metadata: e.metadata,
    }));

  it("a platform admin who owns the workspace applies and approves in one step, audited as the two steps of the Admin page", async () => {
    const { workspace, owner } = await makeWorkspace({ name: "Ada's lab" });
    await db().user.update({ where: { id: owner.userId }, data: { isPlatformAdmin: true } });
    const admin = { ...owner, isPlatformAdmin: true };
    const approved = await approveOwnWorkspace(admin, workspace.id);
    expect(approved).toMatchObject({ id: workspace.id, status: "active", role: "owner", activation: { organisation: "Ada's lab" } });
    const row = await db().workspace.findUniqueOrThrow({ where: { id: workspace.id } });
    expect(row).toMatchObject({ status: "active", reviewedById: owner.userId, activationOrg: "Ada's lab" });
    expect(row.requestedAt).not.toBeNull();
    expect(row.reviewedAt).not.toBeNull();

    // The same events as "Apply for access" followed by "Approve" on the Admin page (another workspace, same admin).
    const other = await makeWorkspace({ name: "Other" });
    await requestActivation(other.owner, other.workspace.id, { organisation: "Other Org", useCase: "Serving Llama for support" });
    await reviewActivation(admin, other.workspace.id, { decision: "approve" });
    const shape = (list: Awaited<ReturnType<typeof events>>) => list.map((e) => `${e.action}:${e.result}`);
    expect(shape(await events(workspace.id))).toEqual(["workspace.activation.request:success", "workspace.activation.approve:success"]);
    expect(shape(await events(workspace.id))).toEqual(shape(await events(other.workspace.id)));
    expect((await events(workspace.id)).every((e) => e.actorId === owner.userId)).toBe(true);

    // Once active: a 409 that changes nothing and records nothing more.
    expect(await code(approveOwnWorkspace(admin, workspace.id))).toBe("CONFLICT");
    expect(await events(workspace.id)).toHaveLength(2);
  });

  it("approves a workspace that already applied (one approval event), and re-applies a rejected one", async () => {
    const { workspace, owner } = await makeWorkspace();
    const admin = { ...owner, isPlatformAdmin: true };
    await db().user.update({ where: { id: owner.userId }, data: { isPlatformAdmin: true } });
    await requestActivation(owner, workspace.id, { organisation: "Acme Labs", useCase: "Training models on GPUs" });
    await reviewActivation(admin, workspace.id, { decision: "reject", reason: "Tell us more" });
    await approveOwnWorkspace(admin, workspace.id);
    expect((await events(workspace.id)).map((e) => e.action)).toEqual([
      "workspace.activation.request",
      "workspace.activation.reject",
      "workspace.activation.request",
      "workspace.activation.approve",
    ]);

    const second = await makeWorkspace();
    await db().user.update({ where: { id: second.owner.userId }, data: { isPlatformAdmin: true } });
    await requestActivation(second.owner, second.workspace.id, { organisation: "Acme Labs", useCase: "Training models on GPUs" });
    await approveOwnWorkspace({ ...second.owner, isPlatformAdmin: true }, second.workspace.id);
    expect((await events(second.workspace.id)).map((e) => e.action)).toEqual(["workspace.activation.request", "workspace.activation.approve"]);
  });

  it("refuses an owner who is not a platform admin, a platform admin who is only a member, and another workspace's admin (404); nothing changes", async () => {
    const { workspace, owner, members } = await makeWorkspace({ roles: ["member"] });
    expect(await code(approveOwnWorkspace(owner, workspace.id))).toBe("FORBIDDEN");
    await db().user.update({ where: { id: members.member!.userId }, data: { isPlatformAdmin: true } });
    expect(await code(approveOwnWorkspace({ ...members.member!, isPlatformAdmin: true }, workspace.id))).toBe("FORBIDDEN");
    const outsider = { ...(await makeUser("platform")), isPlatformAdmin: true };
    expect(await code(approveOwnWorkspace(outsider, workspace.id))).toBe("NOT_FOUND");
    const tok = await makeToken(owner, workspace.id);
    expect(await code(approveOwnWorkspace(tok.actor, workspace.id))).toBe("FORBIDDEN");
    expect((await getWorkspace(owner, workspace.id)).status).toBe("pending");
    const list = await events(workspace.id);
    expect(list.filter((e) => e.result === "success")).toEqual([]);
    // The refusals are audited as denied, as on the two separate paths.
    expect(list.some((e) => e.result === "denied")).toBe(true);
  });
});

describe("the Admin link's count of waiting requests", () => {
  it("counts requested workspaces for platform admins, follows requests and reviews, and refuses everyone else", async () => {
    const admin = { ...(await makeUser("platform")), isPlatformAdmin: true };
    const before = await countActivationRequests(admin);
    const a = await makeWorkspace();
    const b = await makeWorkspace();
    await requestActivation(a.owner, a.workspace.id, { organisation: "Acme Labs", useCase: "Training models on GPUs" });
    await requestActivation(b.owner, b.workspace.id, { organisation: "Beta Labs", useCase: "Serving Llama for support" });
    expect(await countActivationRequests(admin)).toBe(before + 2);
    await reviewActivation(admin, a.workspace.id, { decision: "approve" });
    expect(await countActivationRequests(admin)).toBe(before + 1);
    expect(await code(countActivationRequests(a.owner))).toBe("FORBIDDEN");
  });
});

describe("deleting a workspace", () => {
  it("needs the owner and the exact name", async () => {
    const { workspace, owner, members } = await makeWorkspace({ name: "Doomed", roles: ["admin"] });
    expect(await code(deleteWorkspace(members.admin!, workspace.id, { confirmName: "Doomed" }))).toBe("FORBIDDEN");
    expect(await code(deleteWorkspace(owner, workspace.id, { confirmName: "doomed" }))).toBe("VALIDATION_FAILED");
    expect(await code(getWorkspace(owner, workspace.id))).toBe("OK");
    await deleteWorkspace(owner, workspace.id, { confirmName: "Doomed" });
    expect(await code(getWorkspace(owner, workspace.id))).toBe("NOT_FOUND");
    expect(await db().auditEvent.count({ where: { workspaceId: workspace.id, action: "workspace.delete", result: "success" } })).toBe(1);
  });
});
