// The skeleton proven end to end on one slice: reading and renaming a workspace through the
// service, the REST API (route handlers with Bearer tokens) and the server action.
import { describe, expect, it } from "vitest";
import { GET, PATCH } from "@/app/api/v1/workspaces/[workspaceId]/route";
import { GET as LIST } from "@/app/api/v1/workspaces/route";
import { renameWorkspaceAction } from "@/app/(dashboard)/actions";
import { createSession, resolveSession } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { AppError, errorEnvelopeSchema } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit";
import { inTransaction } from "@/lib/services/authorize";
import { createSecret } from "@/lib/services/secrets";
import { createWorkload } from "@/lib/services/workloads";
import { deleteWorkspace, getWorkspace, listWorkspaces, renameWorkspace } from "@/lib/services/workspaces";
import { bearer, makeToken, makeUser, makeWorkspace, meta } from "../helpers/fixtures";

const URL_BASE = "http://localhost/api/v1/workspaces";

function call(
  handler: typeof GET,
  workspaceId: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return handler(new Request(`${URL_BASE}/${workspaceId}`, init), {
    params: Promise.resolve({ workspaceId }),
  });
}

function patchJson(workspaceId: string, token: string, body: unknown) {
  return call(PATCH, workspaceId, {
    method: "PATCH",
    headers: bearer(token, { "content-type": "application/json" }),
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function expectCode(err: Promise<unknown>, code: AppError["code"]) {
  // Services throw AppErrors only: bad input is VALIDATION_FAILED, never a raw ZodError.
  await expect(err).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === code);
}

async function events(workspaceId: string, action?: string) {
  return db().auditEvent.findMany({ where: { workspaceId, ...(action ? { action } : {}) }, orderBy: { createdAt: "asc" } });
}

describe("workspace service", () => {
  it("lets the owner read and rename, and audits the change in the same transaction", async () => {
    const { workspace, owner } = await makeWorkspace({ name: "Acme" });
    expect(await getWorkspace(owner, workspace.id)).toMatchObject({ name: "Acme", role: "owner", status: "pending" });

    const renamed = await renameWorkspace(owner, workspace.id, { name: "  Acme Research  " });
    expect(renamed.name).toBe("Acme Research");
    const [evt] = await events(workspace.id, "workspace.update");
    expect(evt).toMatchObject({
      actorType: "user",
      actorId: owner.userId,
      result: "success",
      targetType: "workspace",
      targetId: workspace.id,
      ip: owner.meta.ip,
      userAgent: "vitest",
      requestId: owner.meta.requestId,
    });
    expect(JSON.parse(evt!.metadata!)).toEqual({ changed: ["name"], from: "Acme", to: "Acme Research" });
    expect(await listWorkspaces(owner)).toEqual([expect.objectContaining({ id: workspace.id, role: "owner" })]);
  });

  it("does not audit a rename that changes nothing", async () => {
    const { workspace, owner } = await makeWorkspace({ name: "Same" });
    await renameWorkspace(owner, workspace.id, { name: "Same" });
    expect(await events(workspace.id, "workspace.update")).toHaveLength(0);
  });

  it("LOG-01: forbids roles without workspace.update and records the denied attempt", async () => {
    const { workspace, members } = await makeWorkspace({ roles: ["admin", "member", "viewer"] });
    await renameWorkspace(members.admin!, workspace.id, { name: "By admin" });
    for (const role of ["member", "viewer"] as const) {
      await expectCode(renameWorkspace(members[role]!, workspace.id, { name: "Nope" }), "FORBIDDEN");
      expect((await getWorkspace(members[role]!, workspace.id)).name).toBe("By admin");
    }
    const denied = (await events(workspace.id, "workspace.update")).filter((e) => e.result === "denied");
    expect(denied.map((e) => e.actorId).sort()).toEqual([members.member!.userId, members.viewer!.userId].sort());
  });

  it("AUTHZ-02: answers 404 for another workspace's id, never 403", async () => {
    const a = await makeWorkspace({ name: "A" });
    const b = await makeWorkspace({ name: "B" });
    await expectCode(getWorkspace(a.owner, b.workspace.id), "NOT_FOUND");
    await expectCode(renameWorkspace(a.owner, b.workspace.id, { name: "Taken over" }), "NOT_FOUND");
    await expectCode(getWorkspace(a.owner, "c000000000000000000000000"), "NOT_FOUND");
    expect((await getWorkspace(b.owner, b.workspace.id)).name).toBe("B");
  });

  it.each([
    ["empty", ""],
    ["blank", "   "],
    ["too long", "x".repeat(65)],
    ["line break", "evil\r\nname"],
    ["NUL byte", "a\u0000b"],
    ["not a string", 42],
    ["null", null],
  ])("rejects a %s name and changes nothing", async (_label, name) => {
    const { workspace, owner } = await makeWorkspace({ name: "Keep" });
    await expectCode(renameWorkspace(owner, workspace.id, { name } as never), "VALIDATION_FAILED");
    expect((await getWorkspace(owner, workspace.id)).name).toBe("Keep");
    expect(await events(workspace.id, "workspace.update")).toHaveLength(0);
  });

  it("rolls the change back when its audit event cannot be written", async () => {
    const { workspace, owner } = await makeWorkspace({ name: "Before" });
    await expect(
      inTransaction(owner, async (tx) => {
        await tx.workspace.update({ where: { id: workspace.id }, data: { name: "After" } });
        await recordAudit(tx, owner, { workspaceId: workspace.id, action: "not a dotted name" });
      }),
    ).rejects.toThrow(/dotted name/);
    expect((await getWorkspace(owner, workspace.id)).name).toBe("Before");
  });

  it("deletes a workspace whose workload binds one of its secrets (with everything in it)", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const { secret } = await createSecret(owner, workspace.id, { name: "bound", value: "v-123456", visibility: "public" });
    await createWorkload(owner, workspace.id, { name: "serve", kind: "job", bindings: [{ envName: "BOUND", secretId: secret.id }] });
    const token = await makeToken(owner, workspace.id);
    await expect(deleteWorkspace(token.actor, workspace.id, { confirmName: workspace.name })).resolves.toEqual({ id: workspace.id });
    expect(await db().workspace.count({ where: { id: workspace.id } })).toBe(0);
    expect(await db().secret.count({ where: { workspaceId: workspace.id } })).toBe(0);
    expect(await db().workload.count({ where: { workspaceId: workspace.id } })).toBe(0);
  });

  it("keeps every concurrent rename and its audit event", async () => {
    const { workspace, owner } = await makeWorkspace({ name: "Start" });
    const names = Array.from({ length: 8 }, (_, i) => `Name ${i}`);
    await Promise.all(names.map((name) => renameWorkspace(owner, workspace.id, { name })));
    const final = (await getWorkspace(owner, workspace.id)).name;
    expect(names).toContain(final);
    const audited = await events(workspace.id, "workspace.update");
    expect(audited).toHaveLength(8);
    // The last committed event describes the final state.
    expect(JSON.parse(audited.at(-1)!.metadata!).to).toBe(final);
  });
});

describe("REST API: /api/v1/workspaces/{id}", () => {
  it("reads and renames with a user token, returning only schema fields", async () => {
    const { workspace, owner } = await makeWorkspace({ name: "Api" });
    const { value } = await makeToken(owner, workspace.id);

    const res = await call(GET, workspace.id, { headers: bearer(value) });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual([
      "activation",
      "allowedEnvNames",
      "auditRetentionDays",
      "createdAt",
      "defaultTokenExpiryDays",
      "id",
      "maxTokenLifetimeDays",
      "name",
      "personal",
      "requireMfa",
      "role",
      "sso",
      "status",
      "updatedAt",
    ]);
    expect(body).toMatchObject({ id: workspace.id, name: "Api", role: "owner" });

    const patched = await patchJson(workspace.id, value, { name: "Api v2" });
    expect(patched.status).toBe(200);
    expect((await patched.json()).name).toBe("Api v2");
    const [evt] = await events(workspace.id, "workspace.update");
    expect(evt).toMatchObject({ actorType: "token", result: "success" });

    const list = await LIST(new Request(URL_BASE, { headers: bearer(value) }));
    expect((await list.json()).data).toEqual([expect.objectContaining({ id: workspace.id, name: "Api v2" })]);
  });

  it("says which authentication problem applies, and nothing more", async () => {
    const { workspace, owner } = await makeWorkspace();
    const cancelled = await makeToken(owner, workspace.id);
    await db().token.update({ where: { id: cancelled.id }, data: { status: "cancelled" } });
    const expired = await makeToken(owner, workspace.id);
    await db().token.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const good = await makeToken(owner, workspace.id);
    const badChecksum = good.value.slice(0, -1) + (good.value.endsWith("A") ? "B" : "A");
    const unknownButWellFormed = (await import("@/lib/auth/token-format")).generateToken("user");

    const cases: [Record<string, string>, string][] = [
      [{}, "Authentication required"],
      [{ authorization: "Basic dXNlcjpwYXNz" }, "malformed"],
      [{ authorization: "Bearer" }, "malformed"],
      [bearer("not-a-token"), "malformed"],
      [bearer(badChecksum), "malformed"],
      [bearer(unknownButWellFormed), "not recognised"],
      [bearer(expired.value), "expired"],
      [bearer(cancelled.value), "cancelled"],
      // /api/v1 ignores session cookies.
      [{ cookie: "tessera.session=whatever; __Host-tessera.session=whatever" }, "Authentication required"],
    ];
    for (const [headers, message] of cases) {
      const res = await call(GET, workspace.id, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
      const body = errorEnvelopeSchema.parse(await res.json());
      expect(body.error.code).toBe("UNAUTHORIZED");
      expect(body.error.message).toContain(message);
      expect(JSON.stringify(body)).not.toContain(good.value);
    }
  });

  it("keeps a token inside its workspace, its scopes and its creator's current role", async () => {
    const a = await makeWorkspace({ roles: ["admin"] });
    const b = await makeWorkspace();
    const tokenA = await makeToken(a.owner, a.workspace.id);

    const other = await call(GET, b.workspace.id, { headers: bearer(tokenA.value) });
    expect(other.status).toBe(404);
    expect((await other.json()).error.code).toBe("NOT_FOUND");

    const readOnly = await makeToken(a.owner, a.workspace.id, { scopes: ["read"] });
    expect((await call(GET, a.workspace.id, { headers: bearer(readOnly.value) })).status).toBe(200);
    expect((await patchJson(a.workspace.id, readOnly.value, { name: "x" })).status).toBe(403);

    // The admin's token follows the admin's role, on the very next request.
    const adminToken = await makeToken(a.members.admin!, a.workspace.id);
    expect((await patchJson(a.workspace.id, adminToken.value, { name: "By admin" })).status).toBe(200);
    await db().membership.update({
      where: { workspaceId_userId: { workspaceId: a.workspace.id, userId: a.members.admin!.userId } },
      data: { role: "viewer" },
    });
    expect((await patchJson(a.workspace.id, adminToken.value, { name: "Again" })).status).toBe(403);
    await db().membership.delete({
      where: { workspaceId_userId: { workspaceId: a.workspace.id, userId: a.members.admin!.userId } },
    });
    // Its creator left: the token is refused at authentication ("not recognised"), as verify says "unknown".
    const gone = await call(GET, a.workspace.id, { headers: bearer(adminToken.value) });
    expect(gone.status).toBe(401);
    expect((await gone.json()).error.message).toBe("The bearer token is not recognised");
  });

  it("AUTHZ-04: answers bad input with a clear 4xx envelope and changes nothing", async () => {
    const { workspace, owner } = await makeWorkspace({ name: "Stable" });
    const { value } = await makeToken(owner, workspace.id);
    const cases: [unknown, number, Record<string, string>?][] = [
      ["{not json", 400],
      ["", 400],
      [{ name: "" }, 422],
      [{ name: "x".repeat(10_000) }, 422],
      [{ name: "ok", role: "owner" }, 422],
      [{ nom: "typo" }, 422],
      [["array"], 422],
      [null, 422],
      [{ name: { $ne: 1 } }, 422],
      ["x".repeat(1024 * 1024 + 10), 413],
      [{ name: "ok" }, 415, { "content-type": "text/plain" }],
    ];
    for (const [body, status, headers] of cases) {
      const res = await call(PATCH, workspace.id, {
        method: "PATCH",
        headers: bearer(value, { "content-type": "application/json", ...headers }),
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      expect(res.status, String(JSON.stringify(body)).slice(0, 60)).toBe(status);
      const env = errorEnvelopeSchema.parse(await res.json());
      expect(env.error.message.length).toBeGreaterThan(5);
    }
    const details = await (await patchJson(workspace.id, value, { name: "" })).json();
    expect(details.error.details).toEqual([{ path: "name", message: "must not be empty" }]);

    expect((await call(GET, "../../etc/passwd", { headers: bearer(value) })).status).toBe(404);
    expect((await call(GET, "x".repeat(500), { headers: bearer(value) })).status).toBe(404);
    expect((await call(GET, workspace.id, { headers: bearer(value) }).then((r) => r.json())).name).toBe("Stable");
    expect(await events(workspace.id, "workspace.update")).toHaveLength(0);
  });

  it("TOK-04 TOK-13: never stores, logs or returns the token value or its hash after creation", async () => {
    const { workspace, owner } = await makeWorkspace();
    const { value, id } = await makeToken(owner, workspace.id);
    const row = await db().token.findUniqueOrThrow({ where: { id } });
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.values(row).map(String)).not.toContain(value);
    expect(JSON.stringify(row)).not.toContain(value.slice(8, 40));
    const audit = JSON.stringify(await events(workspace.id));
    expect(audit).not.toContain(value.slice(8, 40));
    expect(audit).not.toContain(row.hash);
    const res = await call(GET, workspace.id, { headers: bearer(value) });
    const text = await res.text();
    expect(text).not.toContain(value.slice(8, 40));
    expect(text).not.toContain(row.hash);
  });
});

describe("server action: renameWorkspaceAction", () => {
  const form = (fields: Record<string, string>) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.set(k, v);
    fd.set("$ACTION_ID_abc", "");
    return fd;
  };

  it("renames through the same service, with the same rules", async () => {
    const { workspace, owner, members } = await makeWorkspace({ name: "Form", roles: ["viewer"] });
    const ok = await renameWorkspaceAction.run(owner, form({ workspaceId: workspace.id, name: "Form 2" }));
    expect(ok).toEqual({ ok: true, data: expect.objectContaining({ name: "Form 2", role: "owner" }) });

    const denied = await renameWorkspaceAction.run(members.viewer!, form({ workspaceId: workspace.id, name: "V" }));
    expect(denied).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });

    const invalid = await renameWorkspaceAction.run(owner, form({ workspaceId: workspace.id, name: "a\nb" }));
    expect(invalid).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });

    const anonymous = await renameWorkspaceAction.run(null, form({ workspaceId: workspace.id, name: "Anon" }));
    expect(anonymous).toMatchObject({ ok: false, error: { code: "UNAUTHORIZED" } });

    const other = await makeWorkspace();
    const foreign = await renameWorkspaceAction.run(owner, form({ workspaceId: other.workspace.id, name: "Mine" }));
    expect(foreign).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });

    expect((await getWorkspace(owner, workspace.id)).name).toBe("Form 2");
  });

  it("SES-02 SES-04: resolves its actor from a database session that can be revoked at once", async () => {
    const user = await makeUser("sess");
    const { value, id } = await createSession(user.userId, meta());
    expect(await resolveSession(value, meta())).toMatchObject({ type: "user", userId: user.userId, sessionId: id });
    const tampered = value.slice(0, -1) + (value.endsWith("A") ? "B" : "A");
    expect(await resolveSession(tampered, meta())).toBeNull();
    expect(await resolveSession("../../etc", meta())).toBeNull();
    const stored = await db().session.findUniqueOrThrow({ where: { id } });
    expect(stored.tokenHash).not.toContain(value);

    await db().user.update({ where: { id: user.userId }, data: { disabledAt: new Date() } });
    expect(await resolveSession(value, meta())).toBeNull();
    await db().user.update({ where: { id: user.userId }, data: { disabledAt: null } });
    await db().session.update({ where: { id }, data: { revokedAt: new Date() } });
    expect(await resolveSession(value, meta())).toBeNull();
  });
});
