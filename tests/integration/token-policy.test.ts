// The workspace token policy (maximum token lifetime, default expiry): who may change it, what it
// accepts, its audit event, and that new tokens obey it while existing ones keep their expiry.
import { describe, expect, it } from "vitest";
import { updateTokenPolicyAction } from "@/app/(dashboard)/actions";
import { PUT as PUT_POLICY } from "@/app/api/v1/workspaces/[workspaceId]/token-policy/route";
import { POST as CREATE } from "@/app/api/v1/workspaces/[workspaceId]/tokens/route";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createToken, getToken, updateToken } from "@/lib/services/tokens";
import { getWorkspace, updateTokenPolicy } from "@/lib/services/workspaces";
import { bearer, makeToken, makeWorkspace } from "../helpers/fixtures";

const DAY = 24 * 60 * 60 * 1000;
const code = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : (e as Error).name));

async function events(workspaceId: string, result?: "success" | "denied") {
  return db().auditEvent.findMany({
    where: { workspaceId, action: "workspace.token_policy.update", ...(result ? { result } : {}) },
    orderBy: { createdAt: "asc" },
  });
}

describe("updateTokenPolicy", () => {
  it("lets owners and admins set the maximum, with an audit event in the same transaction", async () => {
    const { workspace, owner, members } = await makeWorkspace({ roles: ["admin"] });
    expect((await getWorkspace(owner, workspace.id)).maxTokenLifetimeDays).toBe(90);

    const byOwner = await updateTokenPolicy(owner, workspace.id, { maxTokenLifetimeDays: 30 });
    expect(byOwner).toMatchObject({ id: workspace.id, maxTokenLifetimeDays: 30, role: "owner" });
    const byAdmin = await updateTokenPolicy(members.admin!, workspace.id, { maxTokenLifetimeDays: 365 });
    expect(byAdmin).toMatchObject({ maxTokenLifetimeDays: 365, role: "admin" });
    expect((await getWorkspace(owner, workspace.id)).maxTokenLifetimeDays).toBe(365);

    const audit = await events(workspace.id, "success");
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actorType: "user", actorId: owner.userId, targetType: "workspace", targetId: workspace.id, ip: owner.meta.ip });
    expect(JSON.parse(audit[0]!.metadata!)).toEqual({ from: 90, to: 30 });
    expect(audit[1]).toMatchObject({ actorId: members.admin!.userId });
    expect(JSON.parse(audit[1]!.metadata!)).toEqual({ from: 30, to: 365 });

    // Setting the same value again changes nothing and records nothing.
    await updateTokenPolicy(owner, workspace.id, { maxTokenLifetimeDays: 365 });
    expect(await events(workspace.id, "success")).toHaveLength(2);
  });

  it("forbids members and viewers (403), records the denials, and changes nothing", async () => {
    const { workspace, owner, members } = await makeWorkspace({ roles: ["member", "viewer"] });
    for (const role of ["member", "viewer"] as const) {
      expect(await code(updateTokenPolicy(members[role]!, workspace.id, { maxTokenLifetimeDays: 7 }))).toBe("FORBIDDEN");
    }
    expect((await getWorkspace(owner, workspace.id)).maxTokenLifetimeDays).toBe(90);
    expect(await events(workspace.id, "success")).toHaveLength(0);
    expect((await events(workspace.id, "denied")).map((e) => e.actorId).sort()).toEqual([members.member!.userId, members.viewer!.userId].sort());
  });

  it("answers 404 for another workspace, and for one that does not exist", async () => {
    const a = await makeWorkspace({ name: "A" });
    const b = await makeWorkspace({ name: "B" });
    expect(await code(updateTokenPolicy(a.owner, b.workspace.id, { maxTokenLifetimeDays: 7 }))).toBe("NOT_FOUND");
    expect(await code(updateTokenPolicy(a.owner, "c000000000000000000000000", { maxTokenLifetimeDays: 7 }))).toBe("NOT_FOUND");
    expect((await getWorkspace(b.owner, b.workspace.id)).maxTokenLifetimeDays).toBe(90);
    expect(await events(b.workspace.id, "success")).toHaveLength(0);
  });

  it.each([
    ["zero", 0],
    ["366", 366],
    ["a string", "abc"],
    ["a numeric string", "30"],
    ["a fraction", 1.5],
    ["negative", -1],
    ["NaN", Number.NaN],
    ["null", null],
    ["missing", undefined],
  ])("rejects %s as a validation error and changes nothing", async (_label, value) => {
    const { workspace, owner } = await makeWorkspace();
    const err = await updateTokenPolicy(owner, workspace.id, { maxTokenLifetimeDays: value } as never).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("VALIDATION_FAILED");
    expect((err as AppError).status).toBe(422);
    expect((err as AppError).details?.[0]?.path).toBe("maxTokenLifetimeDays");
    expect((await getWorkspace(owner, workspace.id)).maxTokenLifetimeDays).toBe(90);
    expect(await events(workspace.id)).toHaveLength(0);
  });

  it("rejects unknown fields", async () => {
    const { workspace, owner } = await makeWorkspace();
    expect(await code(updateTokenPolicy(owner, workspace.id, { maxTokenLifetimeDays: 30, extra: 1 } as never))).toBe("VALIDATION_FAILED");
    expect((await getWorkspace(owner, workspace.id)).maxTokenLifetimeDays).toBe(90);
  });

  it("bounds new tokens and renewals by the new maximum; existing tokens keep their expiry", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const long = await createToken(owner, workspace.id, { name: "before", expiresInDays: 90 });
    await updateTokenPolicy(owner, workspace.id, { maxTokenLifetimeDays: 7 });

    expect(await code(createToken(owner, workspace.id, { name: "8 days", expiresInDays: 8 }))).toBe("VALIDATION_FAILED");
    expect(await code(createToken(owner, workspace.id, { name: "30 days", expiresInDays: 30 }))).toBe("VALIDATION_FAILED");
    const at = new Date(Date.now() + 10 * DAY).toISOString();
    expect(await code(createToken(owner, workspace.id, { name: "dated", expiresAt: at }))).toBe("VALIDATION_FAILED");
    expect(await code(createToken(owner, workspace.id, { kind: "workspace", name: "ws", expiresInDays: 30 }))).toBe("VALIDATION_FAILED");
    expect(await code(updateToken(owner, workspace.id, long.id, { action: "renew", expiresInDays: 30 }))).toBe("VALIDATION_FAILED");
    expect(await code(createToken(owner, workspace.id, { name: "7 days", expiresInDays: 7 }))).toBe("OK");

    // Lowering the maximum does not shorten the token created before.
    expect((await getToken(owner, workspace.id, long.id)).expiresAt).toEqual(long.expiresAt);
    expect(await db().token.count({ where: { workspaceId: workspace.id } })).toBe(2);

    await updateTokenPolicy(owner, workspace.id, { maxTokenLifetimeDays: 365 });
    expect(await code(createToken(owner, workspace.id, { name: "a year", expiresInDays: 365 }))).toBe("OK");
    expect(await code(createToken(owner, workspace.id, { name: "too long", expiresInDays: 366 }))).toBe("VALIDATION_FAILED");
  });
});

describe("updateTokenPolicyAction", () => {
  it("returns validation errors as a result, not a crash, and needs a session", async () => {
    const { workspace, owner } = await makeWorkspace();
    const bad = await updateTokenPolicyAction.run(owner, { workspaceId: workspace.id, maxTokenLifetimeDays: "abc" });
    expect(bad).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", details: [{ path: "maxTokenLifetimeDays" }] } });
    const good = await updateTokenPolicyAction.run(owner, { workspaceId: workspace.id, maxTokenLifetimeDays: 14 });
    expect(good).toMatchObject({ ok: true, data: { maxTokenLifetimeDays: 14 } });
    const anonymous = await updateTokenPolicyAction.run(null, { workspaceId: workspace.id, maxTokenLifetimeDays: 14 });
    expect(anonymous).toMatchObject({ ok: false, error: { code: "UNAUTHORIZED" } });
  });
});

describe("default token expiry", () => {
  const json = (method: string, body: unknown, token: string) => ({
    method,
    headers: bearer(token, { "content-type": "application/json" }),
    body: JSON.stringify(body),
  });
  const lifetimeDays = (t: { expiresAt: string | Date; createdAt: string | Date }) =>
    Math.round((new Date(t.expiresAt).getTime() - new Date(t.createdAt).getTime()) / DAY);

  it("is 1 day until set; the API uses the workspace default when the expiry is omitted", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const params = { params: Promise.resolve({ workspaceId: workspace.id }) };
    const { value } = await makeToken(owner, workspace.id, { kind: "workspace", role: "admin", expiresInDays: 7 });
    expect((await getWorkspace(owner, workspace.id)).defaultTokenExpiryDays).toBe(1);

    const before = await CREATE(new Request("http://localhost/x", json("POST", { kind: "workspace", name: "no expiry" }, value)), params);
    expect(before.status).toBe(201);
    expect(lifetimeDays(await before.json())).toBe(1);

    const put = await PUT_POLICY(new Request("http://localhost/x", json("PUT", { maxTokenLifetimeDays: 90, defaultTokenExpiryDays: 30 }, value)), params);
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ maxTokenLifetimeDays: 90, defaultTokenExpiryDays: 30 });

    const after = await CREATE(new Request("http://localhost/x", json("POST", { kind: "workspace", name: "default 30" }, value)), params);
    expect(after.status).toBe(201);
    const created = await after.json();
    expect(lifetimeDays(created)).toBe(30);
    // A fresh 30-day token is not "expiring soon".
    expect(created.expiresSoon).toBe(false);
    // An explicit expiry still wins.
    const explicit = await CREATE(new Request("http://localhost/x", json("POST", { kind: "workspace", name: "two", expiresInDays: 2 }, value)), params);
    expect(lifetimeDays(await explicit.json())).toBe(2);
    // A renewal without an expiry uses the default too.
    const renewed = await updateToken(owner, workspace.id, created.id, { action: "renew" });
    expect(Math.round((new Date(renewed.expiresAt).getTime() - Date.now()) / DAY)).toBe(30);

    const audit = await events(workspace.id, "success");
    expect(JSON.parse(audit.at(-1)!.metadata!)).toEqual({ from: 90, to: 90, defaultFrom: 1, defaultTo: 30 });
  });

  it("refuses a default above the maximum or out of bounds (422) and changes nothing", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const params = { params: Promise.resolve({ workspaceId: workspace.id }) };
    const { value } = await makeToken(owner, workspace.id, { kind: "workspace", role: "admin", expiresInDays: 7 });
    for (const body of [
      { maxTokenLifetimeDays: 30, defaultTokenExpiryDays: 31 },
      { maxTokenLifetimeDays: 90, defaultTokenExpiryDays: 0 },
      { maxTokenLifetimeDays: 90, defaultTokenExpiryDays: 366 },
      { maxTokenLifetimeDays: 90, defaultTokenExpiryDays: 1.5 },
      { maxTokenLifetimeDays: 90, defaultTokenExpiryDays: "30" },
    ]) {
      const res = await PUT_POLICY(new Request("http://localhost/x", json("PUT", body, value)), params);
      expect(res.status, JSON.stringify(body)).toBe(422);
      const err = await res.json();
      expect(err.error.code).toBe("VALIDATION_FAILED");
      expect(err.error.details[0].path).toBe("defaultTokenExpiryDays");
    }
    expect(await getWorkspace(owner, workspace.id)).toMatchObject({ maxTokenLifetimeDays: 90, defaultTokenExpiryDays: 1 });
    expect(await events(workspace.id, "success")).toHaveLength(0);
  });

  it("keeps the default when omitted, lowering it to a new maximum below it", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    await updateTokenPolicy(owner, workspace.id, { maxTokenLifetimeDays: 90, defaultTokenExpiryDays: 30 });
    expect(await updateTokenPolicy(owner, workspace.id, { maxTokenLifetimeDays: 60 })).toMatchObject({ maxTokenLifetimeDays: 60, defaultTokenExpiryDays: 30 });
    expect(await updateTokenPolicy(owner, workspace.id, { maxTokenLifetimeDays: 7 })).toMatchObject({ maxTokenLifetimeDays: 7, defaultTokenExpiryDays: 7 });
    const audit = await events(workspace.id, "success");
    expect(JSON.parse(audit.at(-1)!.metadata!)).toEqual({ from: 60, to: 7, defaultFrom: 30, defaultTo: 7 });
    const t = await createToken(owner, workspace.id, { name: "default" });
    expect(Math.round((new Date(t.expiresAt).getTime() - Date.now()) / DAY)).toBe(7);
  });
});
