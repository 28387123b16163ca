// Token lifecycle through the service and the REST API, and the verify endpoint.
import { describe, expect, it } from "vitest";
import { POST as VERIFY } from "@/app/api/v1/tokens/verify/route";
import { DELETE, GET as GET_ONE, PATCH } from "@/app/api/v1/workspaces/[workspaceId]/tokens/[tokenId]/route";
import { GET as LIST, POST as CREATE } from "@/app/api/v1/workspaces/[workspaceId]/tokens/route";
import { GET as GET_WS } from "@/app/api/v1/workspaces/[workspaceId]/route";
import { POST as INVITE } from "@/app/api/v1/workspaces/[workspaceId]/invitations/route";
import { POST as REISSUE } from "@/app/api/v1/workspaces/[workspaceId]/invitations/[invitationId]/reissue/route";
import { POST as CREDENTIALS } from "@/app/api/v1/workspaces/[workspaceId]/workloads/[workloadId]/credentials/route";
import { GET as ENV } from "@/app/api/v1/workspaces/[workspaceId]/workloads/[workloadId]/env/route";
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
    // "Expires soon" is relative to the lifetime: a fresh 1-day token is not soon (tests/unit/token-expires-soon.test.ts).
    expect(t1).toMatchObject({ kind: "user", status: "active", expiresSoon: false, scopes: ["full"] });
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

  it("LOG-01: renews, reassigns, cancels and deletes, each audited, taking effect on the next request", async () => {
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
    expect(tokenActionsFor(member, "member", mineRow)).toEqual(["rename", "renew", "cancel", "delete"]);
    expect(tokenActionsFor(owner, "owner", mineRow)).toEqual(["rename", "renew", "cancel", "delete"]);
    expect(tokenActionsFor(owner, "owner", { ...mineRow, kind: "workload", createdById: owner.userId })).toEqual(["rename", "renew", "reassign", "cancel", "delete"]);
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
  it("TOK-08: returns the value once, at creation, and never its hash", async () => {
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

describe("REST: a member's own tokens through their user token", () => {
  it("lists, reads, cancels and deletes the creator's own tokens, never another member's; a read-only token only reads", async () => {
    const { workspace, members } = await activeWorkspace(["admin", "member"]);
    const member = members.member!;
    const auth = await makeToken(member, workspace.id);
    const sibling = await makeToken(member, workspace.id, { name: "laptop" });
    const readOnly = await makeToken(member, workspace.id, { name: "ro", scopes: ["read"] });
    const othersToken = await makeToken(members.admin!, workspace.id);
    const ws = { workspaceId: workspace.id };
    const on = (id: string) => ({ params: Promise.resolve({ ...ws, tokenId: id }) });
    const list = async (value: string) => (await (await LIST(new Request("http://localhost/x", { headers: bearer(value) }), { params: Promise.resolve(ws) })).json()).data.map((t: { id: string }) => t.id).sort();
    const cancel = (value: string, id: string) => PATCH(new Request("http://localhost/x", { ...json({ action: "cancel" }, bearer(value)), method: "PATCH" }), on(id));
    const remove = (value: string, id: string) => DELETE(new Request("http://localhost/x", { method: "DELETE", headers: bearer(value) }), on(id));

    const own = [auth.id, sibling.id, readOnly.id].sort();
    expect(await list(auth.value)).toEqual(own);
    expect(await list(readOnly.value)).toEqual(own);
    const one = await GET_ONE(new Request("http://localhost/x", { headers: bearer(auth.value) }), on(auth.id));
    expect(one.status).toBe(200);
    expect((await one.json()).id).toBe(auth.id);
    // Another member's token stays invisible.
    expect((await GET_ONE(new Request("http://localhost/x", { headers: bearer(auth.value) }), on(othersToken.id))).status).toBe(404);
    expect((await cancel(auth.value, othersToken.id)).status).toBe(404);
    expect((await remove(auth.value, othersToken.id)).status).toBe(404);
    // A read-only token sees its creator's tokens but cannot revoke them.
    expect((await cancel(readOnly.value, sibling.id)).status).toBe(403);
    expect((await remove(readOnly.value, sibling.id)).status).toBe(403);
    expect((await cancel(readOnly.value, readOnly.id)).status).toBe(403);
    expect((await db().token.findUniqueOrThrow({ where: { id: sibling.id } })).status).toBe("active");
    // A full token cancels and deletes its creator's tokens, itself included.
    expect((await cancel(auth.value, sibling.id)).status).toBe(200);
    expect((await db().token.findUniqueOrThrow({ where: { id: sibling.id } })).status).toBe("cancelled");
    expect((await remove(auth.value, sibling.id)).status).toBe(200);
    expect((await cancel(auth.value, auth.id)).status).toBe(200);
    expect((await GET_WS(new Request(`http://localhost/x`, { headers: bearer(auth.value) }), { params: Promise.resolve(ws) })).status).toBe(401);
    expect((await db().token.findUniqueOrThrow({ where: { id: othersToken.id } })).status).toBe("active");
    // The read-only token's three refusals, each audited.
    const denied = await db().auditEvent.count({ where: { workspaceId: workspace.id, result: "denied", actorId: readOnly.id, action: { in: ["token.cancel", "token.delete"] } } });
    expect(denied).toBe(3);
  });
});

describe("Cache-Control: no-store on API responses", () => {
  it("is on every response that carries a secret (token, invitation link, credential, env) and on the others", async () => {
    const { workspace, owner, workloadId } = await activeWorkspace();
    const { value: auth } = await makeToken(owner, workspace.id);
    const ws = { workspaceId: workspace.id };
    const at = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
    const responses: [string, Response][] = [];
    const token = await CREATE(new Request("http://localhost/x", json({ kind: "workload", name: "wl", workloadId }, bearer(auth))), at(ws));
    responses.push(["token create", token]);
    const wlValue = (await token.clone().json()).value as string;
    const invite = await INVITE(new Request("http://localhost/x", json({ role: "viewer", anyoneWithLink: true }, bearer(auth))), at(ws));
    responses.push(["invitation create", invite]);
    const invitationId = (await invite.clone().json()).invitation.id as string;
    responses.push(["invitation re-issue", await REISSUE(new Request("http://localhost/x", json({}, bearer(auth))), at({ ...ws, invitationId }))]);
    const credentials = await CREDENTIALS(new Request("http://localhost/x", { method: "POST", headers: bearer(wlValue) }), at({ ...ws, workloadId }));
    responses.push(["credentials", credentials]);
    const credential = (await credentials.clone().json()).credential as string;
    responses.push(["env", await ENV(new Request("http://localhost/x", { headers: bearer(credential) }), at({ ...ws, workloadId }))]);
    responses.push(["verify", await VERIFY(new Request("http://localhost/api/v1/tokens/verify", json({ token: wlValue })))]);
    responses.push(["list", await LIST(new Request("http://localhost/x", { headers: bearer(auth) }), at(ws))]);
    responses.push(["401", await GET_WS(new Request("http://localhost/x", { headers: bearer("tsr_usr_nope") }), at(ws))]);
    for (const [what, res] of responses) {
      expect(res.status, what).toBeLessThan(500);
      expect(res.headers.get("cache-control"), what).toBe("no-store");
    }
    expect(responses.slice(0, 5).map(([, r]) => r.status)).toEqual([201, 201, 201, 201, 200]);
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

  it("agrees with the API in a workspace that is not active: user tokens work (setup) and say so, workspace and workload tokens stop", async () => {
    const { workspace, owner, workloadId } = await activeWorkspace();
    const wsToken = await createToken(owner, workspace.id, { kind: "workspace", name: "ci" });
    const wlToken = await createToken(owner, workspace.id, { kind: "workload", name: "serve", workloadId });
    const user = await makeToken(owner, workspace.id);
    const api = async (value: string) => (await GET_WS(new Request("http://localhost/x", { headers: bearer(value) }), { params: Promise.resolve({ workspaceId: workspace.id }) })).status;
    expect((await verify({ token: user.value })).body).toMatchObject({ valid: true, kind: "user", workspaceStatus: "active" });
    for (const status of ["pending", "requested", "rejected"]) {
      await db().workspace.update({ where: { id: workspace.id }, data: { status } });
      expect(await api(user.value)).toBe(200);
      expect((await verify({ token: user.value })).body).toMatchObject({ valid: true, kind: "user", workspaceId: workspace.id, workspaceStatus: status });
      expect(await api(wsToken.value)).toBe(403); // workload tokens are not for the workspace API at all
      for (const t of [wsToken, wlToken]) expect((await verify({ token: t.value })).body).toEqual({ valid: false, reason: "inactive_workspace" });
    }
  });
});
