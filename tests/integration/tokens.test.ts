// Token lifecycle through the service and the REST API, and the verify endpoint.
import { describe, expect, it } from "vitest";
import { POST as VERIFY } from "@/app/api/v1/tokens/verify/route";
import { DELETE, GET as GET_ONE, PATCH } from "@/app/api/v1/workspaces/[workspaceId]/tokens/[tokenId]/route";
import { GET as LIST, POST as CREATE } from "@/app/api/v1/workspaces/[workspaceId]/tokens/route";
import { GET as GET_WS } from "@/app/api/v1/workspaces/[workspaceId]/route";
import { authenticateBearer } from "@/lib/auth/bearer";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createToken, deleteToken, getToken, listTokens, tokenActionsFor, updateToken, verifyToken } from "@/lib/services/tokens";
import { bearer, makeToken, makeWorkspace, meta } from "../helpers/fixtures";

const DAY = 24 * 60 * 60 * 1000;
const code = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : (e as Error).name));
const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

async function activeWorkspace(roles: ("admin" | "member" | "viewer")[] = []) {
  const w = await makeWorkspace({ active: true, roles });
  const workload = await db().workload.create({ data: { workspaceId: w.workspace.id, name: "llama-serve", kind: "endpoint" } });
  return { ...w, workloadId: workload.id };
}

describe("token lifecycle", () => {
  it("creates with expiry presets or a date, within the workspace's maximum", async () => {
    const { workspace, owner } = await activeWorkspace();
    const t1 = await createToken(owner, workspace.id, { name: "default" });
    expect(new Date(t1.expiresAt).getTime() - Date.now()).toBeGreaterThan(DAY - 60_000);
    expect(new Date(t1.expiresAt).getTime() - Date.now()).toBeLessThan(DAY + 60_000);
    expect(t1).toMatchObject({ kind: "user", status: "active", expiresSoon: true, scopes: ["full"] });
    for (const days of [7, 30, 90]) expect(await code(createToken(owner, workspace.id, { name: `d${days}`, expiresInDays: days }))).toBe("OK");
    const at = new Date(Date.now() + 10 * DAY).toISOString();
    expect((await createToken(owner, workspace.id, { name: "dated", expiresAt: at })).expiresAt).toEqual(new Date(at));
    expect(await code(createToken(owner, workspace.id, { name: "too long", expiresInDays: 91 }))).toBe("VALIDATION_FAILED");
    expect(await code(createToken(owner, workspace.id, { name: "past", expiresAt: new Date(Date.now() - DAY).toISOString() }))).toBe("VALIDATION_FAILED");
    expect(await code(createToken(owner, workspace.id, { name: "both", expiresInDays: 1, expiresAt: at }))).toBe("VALIDATION_FAILED");
    expect(await code(createToken(owner, workspace.id, { name: "bad", expiresInDays: 1.5 }))).toBe("VALIDATION_FAILED");
    expect(await code(createToken(owner, workspace.id, { name: "bad", scopes: ["root" as never] }))).toBe("VALIDATION_FAILED");
  });

  it("shows users their own tokens; admins see and manage all; others get 404", async () => {
    const { workspace, owner, members, workloadId } = await activeWorkspace(["admin", "member", "viewer"]);
    const mine = await createToken(members.member!, workspace.id, { name: "member's" });
    const ws = await createToken(members.admin!, workspace.id, { kind: "workspace", name: "ci", role: "member" });
    const wl = await createToken(members.admin!, workspace.id, { kind: "workload", name: "serve", workloadId });
    expect((await listTokens(members.member!, workspace.id)).map((t) => t.id)).toEqual([mine.id]);
    expect((await listTokens(members.viewer!, workspace.id))).toEqual([]);
    expect((await listTokens(members.admin!, workspace.id)).map((t) => t.id).sort()).toEqual([mine.id, ws.id, wl.id].sort());
    expect(await code(getToken(members.member!, workspace.id, ws.id))).toBe("NOT_FOUND");
    expect(await code(updateToken(members.member!, workspace.id, ws.id, { action: "cancel" }))).toBe("NOT_FOUND");
    expect(await code(createToken(members.member!, workspace.id, { kind: "workspace", name: "x" }))).toBe("FORBIDDEN");
    expect(await code(createToken(members.admin!, workspace.id, { kind: "workspace", name: "x", role: "owner" }))).toBe("FORBIDDEN");
    expect(await code(updateToken(members.admin!, workspace.id, mine.id, { action: "cancel" }))).toBe("OK");
    const other = await activeWorkspace();
    expect(await code(getToken(other.owner, workspace.id, mine.id))).toBe("NOT_FOUND");
    expect(await code(getToken(owner, other.workspace.id, mine.id))).toBe("NOT_FOUND");
  });

  it("renews, reassigns, cancels and deletes, each audited, taking effect on the next request", async () => {
    const { workspace, owner, workloadId } = await activeWorkspace();
    const t = await makeToken(owner, workspace.id, { expiresInDays: 1 });
    const renewed = await updateToken(owner, workspace.id, t.id, { action: "renew", expiresInDays: 30 });
    expect(renewed.expiresSoon).toBe(false);

    const wl = await createToken(owner, workspace.id, { kind: "workload", name: "unassigned" });
    expect(wl.workloadId).toBeNull();
    expect((await updateToken(owner, workspace.id, wl.id, { action: "reassign", workloadId })).workloadId).toBe(workloadId);
    expect((await updateToken(owner, workspace.id, wl.id, { action: "reassign", workloadId: null })).workloadId).toBeNull();
    const foreign = await activeWorkspace();
    expect(await code(updateToken(owner, workspace.id, wl.id, { action: "reassign", workloadId: foreign.workloadId }))).toBe("NOT_FOUND");
    expect(await code(updateToken(owner, workspace.id, t.id, { action: "reassign", workloadId }))).toBe("BAD_REQUEST");

    await updateToken(owner, workspace.id, t.id, { action: "cancel" });
    await expect(authenticateBearer(`Bearer ${t.value}`, meta())).rejects.toThrow(/cancelled/);
    expect(await code(updateToken(owner, workspace.id, t.id, { action: "renew", expiresInDays: 7 }))).toBe("CONFLICT");
    await deleteToken(owner, workspace.id, t.id);
    await expect(authenticateBearer(`Bearer ${t.value}`, meta())).rejects.toThrow(/not recognised/);

    const actions = (await db().auditEvent.findMany({ where: { workspaceId: workspace.id, result: "success" } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["token.create", "token.renew", "token.reassign", "token.cancel", "token.delete"]));
  });

  it("lets anyone give up their own token, even after a demotion; others' tokens need token.manage", async () => {
    const { workspace, owner, members, workloadId } = await activeWorkspace(["member"]);
    const member = members.member!;
    const mine = await makeToken(member, workspace.id);
    const second = await makeToken(member, workspace.id);
    const ownersToken = await makeToken(owner, workspace.id);
    await db().membership.update({ where: { workspaceId_userId: { workspaceId: workspace.id, userId: member.userId } }, data: { role: "viewer" } });
    // What pages offer comes from the same rules.
    const mineRow = await db().token.findUniqueOrThrow({ where: { id: mine.id } });
    expect(tokenActionsFor(member, "viewer", mineRow)).toEqual(["cancel", "delete"]);
    expect(tokenActionsFor(member, "member", mineRow)).toEqual(["renew", "cancel", "delete"]);
    expect(tokenActionsFor(owner, "owner", mineRow)).toEqual(["renew", "cancel", "delete"]);
    expect(tokenActionsFor(owner, "owner", { ...mineRow, kind: "workload", createdById: owner.userId })).toEqual(["renew", "reassign", "cancel", "delete"]);
    expect(tokenActionsFor(owner, "owner", { ...mineRow, status: "cancelled" })).toEqual(["delete"]);
    expect(await code(updateToken(member, workspace.id, mine.id, { action: "renew", expiresInDays: 7 }))).toBe("FORBIDDEN");
    expect(await code(updateToken(member, workspace.id, mine.id, { action: "cancel" }))).toBe("OK");
    expect(await code(deleteToken(member, workspace.id, second.id))).toBe("OK");
    // Another's token stays invisible (404) to a viewer, whatever the action.
    expect(await code(updateToken(member, workspace.id, ownersToken.id, { action: "cancel" }))).toBe("NOT_FOUND");
    expect(await code(deleteToken(member, workspace.id, ownersToken.id))).toBe("NOT_FOUND");
    // A read-only admin token sees every token but cannot cancel any.
    const readOnly = await makeToken(owner, workspace.id, { kind: "workspace", role: "admin", scopes: ["read"] });
    expect(await code(updateToken(readOnly.actor, workspace.id, ownersToken.id, { action: "cancel" }))).toBe("FORBIDDEN");
    expect((await db().token.findUniqueOrThrow({ where: { id: ownersToken.id } })).status).toBe("active");
    // A cancelled workload token cannot be reassigned.
    const wl = await createToken(owner, workspace.id, { kind: "workload", name: "old" });
    await updateToken(owner, workspace.id, wl.id, { action: "cancel" });
    expect(await code(updateToken(owner, workspace.id, wl.id, { action: "reassign", workloadId }))).toBe("CONFLICT");
  });

  it("stops workspace tokens when the workspace is no longer active", async () => {
    const { workspace, owner } = await activeWorkspace();
    const t = await makeToken(owner, workspace.id, { kind: "workspace", role: "admin" });
    const call = () => GET_WS(new Request(`http://localhost/api/v1/workspaces/${workspace.id}`, { headers: bearer(t.value) }), { params: Promise.resolve({ workspaceId: workspace.id }) });
    expect((await call()).status).toBe(200);
    await db().workspace.update({ where: { id: workspace.id }, data: { status: "rejected" } });
    expect((await call()).status).toBe(403);
  });
});

describe("REST: /api/v1/workspaces/{id}/tokens", () => {
  it("returns the value once, at creation, and never its hash", async () => {
    const { workspace, owner } = await activeWorkspace();
    const { value: auth } = await makeToken(owner, workspace.id);
    const params = { params: Promise.resolve({ workspaceId: workspace.id }) };
    const created = await CREATE(new Request(`http://localhost/x`, json({ kind: "workspace", name: "ci", expiresInDays: 7, scopes: ["read"] }, bearer(auth))), params);
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body.value).toMatch(/^tsr_wsp_[0-9A-Za-z]{38}$/);
    expect(body.partialKey).toBe(`tsr_wsp_…${body.value.slice(-4)}`);
    // A user token cannot mint user tokens: those are made by people, in the dashboard or CLI login.
    const userKind = await CREATE(new Request(`http://localhost/x`, json({ name: "cli" }, bearer(auth))), params);
    expect(userKind.status).toBe(403);
    const row = await db().token.findUniqueOrThrow({ where: { id: body.id } });

    const list = await (await LIST(new Request(`http://localhost/x`, { headers: bearer(auth) }), params)).text();
    const one = await (await GET_ONE(new Request(`http://localhost/x`, { headers: bearer(auth) }), { params: Promise.resolve({ workspaceId: workspace.id, tokenId: body.id }) })).text();
    for (const text of [list, one]) {
      expect(text).toContain(body.id);
      expect(text).not.toContain(body.value.slice(8, 40));
      expect(text).not.toContain(row.hash);
    }
    const tokenParams = { params: Promise.resolve({ workspaceId: workspace.id, tokenId: body.id }) };
    const bad = await PATCH(new Request(`http://localhost/x`, { ...json({ action: "explode" }, bearer(auth)), method: "PATCH" }), tokenParams);
    expect(bad.status).toBe(422);
    const renamed = await PATCH(new Request(`http://localhost/x`, { ...json({ action: "rename", name: "ci runner" }, bearer(auth)), method: "PATCH" }), tokenParams);
    expect((await renamed.json()).name).toBe("ci runner");
    expect((await DELETE(new Request(`http://localhost/x`, { method: "DELETE", headers: bearer(auth) }), tokenParams)).status).toBe(200);
    expect((await DELETE(new Request(`http://localhost/x`, { method: "DELETE", headers: bearer(auth) }), tokenParams)).status).toBe(404);
  });
});

describe("POST /api/v1/tokens/verify", () => {
  const verify = async (body: unknown) => {
    const res = await VERIFY(new Request("http://localhost/api/v1/tokens/verify", json(body)));
    return { status: res.status, body: await res.json() };
  };

  it("says whether a token is valid and, if so, whose, for which workload and scopes", async () => {
    const { workspace, owner, members, workloadId } = await activeWorkspace(["member"]);
    const wl = await createToken(owner, workspace.id, { kind: "workload", name: "serve", workloadId, scopes: ["read"] });
    const ok = await verify({ token: wl.value });
    expect(ok).toMatchObject({ status: 200, body: { valid: true, workspaceId: workspace.id, kind: "workload", workloadId, scopes: ["read"] } });
    expect((await verify({ token: wl.value, workloadId })).body.valid).toBe(true);
    expect((await verify({ token: wl.value, workloadId: "c0000000000000000000other" })).body).toEqual({ valid: false, reason: "wrong_workload" });
    expect((await verify({ token: "tsr_usr_nope" })).body).toEqual({ valid: false, reason: "malformed" });
    expect((await verify({ token: (await import("@/lib/auth/token-format")).generateToken("user") })).body).toEqual({ valid: false, reason: "unknown" });
    expect((await verify({ nope: 1 })).status).toBe(422);

    const userToken = await makeToken(members.member!, workspace.id);
    expect((await verify({ token: userToken.value })).body.valid).toBe(true);
    await db().membership.delete({ where: { workspaceId_userId: { workspaceId: workspace.id, userId: members.member!.userId } } });
    expect((await verify({ token: userToken.value })).body).toEqual({ valid: false, reason: "unknown" });

    await updateToken(owner, workspace.id, wl.id, { action: "cancel" });
    expect((await verify({ token: wl.value })).body).toEqual({ valid: false, reason: "cancelled" });
    const expiring = await createToken(owner, workspace.id, { kind: "workspace", name: "old" });
    await db().token.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await verify({ token: expiring.value })).body).toEqual({ valid: false, reason: "expired" });
    expect(await verifyToken({ token: wl.value }, meta())).toEqual({ valid: false, reason: "cancelled" });
  });
});
