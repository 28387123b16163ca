// Bearer authentication on the hot path: every change to a token, its creator or its workspace is
// seen by the very next request; 401s say which failure applies; failed checks are limited per
// address; "last used" is written off the request path, at most once a minute per token.
import { describe, expect, it } from "vitest";
import { POST as VERIFY } from "@/app/api/v1/tokens/verify/route";
import { DELETE as DELETE_TOKEN, PATCH as PATCH_TOKEN } from "@/app/api/v1/workspaces/[workspaceId]/tokens/[tokenId]/route";
import { GET as LIST_TOKENS } from "@/app/api/v1/workspaces/[workspaceId]/tokens/route";
import { GET as GET_WS, PATCH as PATCH_WS } from "@/app/api/v1/workspaces/[workspaceId]/route";
import { POST as INVITE } from "@/app/api/v1/workspaces/[workspaceId]/invitations/route";
import { POST as CREDENTIALS } from "@/app/api/v1/workspaces/[workspaceId]/workloads/[workloadId]/credentials/route";
import { GET as ENV } from "@/app/api/v1/workspaces/[workspaceId]/workloads/[workloadId]/env/route";
import { assertNotBlocked, recordFailure } from "@/lib/auth/failure-limit";
import { flushTokenUse, noteTokenUse } from "@/lib/auth/last-used";
import { generateToken } from "@/lib/auth/token-format";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createToken, verifyToken } from "@/lib/services/tokens";
import { setUserDisabled } from "@/lib/services/users";
import { makeToken, makeUser, makeWorkspace, meta } from "../helpers/fixtures";

let ipCounter = 10;
/** A fresh client address per test, so that the per-address failure limit of one does not leak into another. */
const freshIp = () => `198.51.100.${ipCounter++}`;

function call(handler: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>, params: Record<string, string>, opts: { token?: string; header?: string; ip: string; method?: string; body?: unknown; cookie?: string }) {
  const headers: Record<string, string> = { "x-tessera-client-ip": opts.ip };
  if (opts.header !== undefined) headers.authorization = opts.header;
  else if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  return handler(new Request("http://localhost/api/v1/x", { method: opts.method ?? "GET", headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }), {
    params: Promise.resolve(params),
  });
}

async function active(roles: ("admin" | "member" | "viewer")[] = []) {
  return makeWorkspace({ active: true, roles });
}

describe("every change takes effect on the next request", () => {
  it("TOK-12 AUTHZ-06: follows the creator of a user token: demoted, removed, disabled", async () => {
    const ip = freshIp();
    const { workspace, owner, members } = await active(["admin"]);
    const admin = members.admin!;
    const { value } = await makeToken(admin, workspace.id);
    const other = await createToken(owner, workspace.id, { kind: "workspace", name: "deploy" });
    const p = { workspaceId: workspace.id };

    // An admin's user token sees every token of the workspace and may rename it.
    const { data: all } = await (await call(LIST_TOKENS, p, { token: value, ip })).json();
    expect(all.map((t: { id: string }) => t.id)).toContain(other.id);
    expect((await call(PATCH_WS, p, { token: value, ip, method: "PATCH", body: { name: "Renamed" } })).status).toBe(200);

    // Demoted to viewer: the same token reads, but no longer writes or sees others' tokens.
    await db().membership.update({ where: { workspaceId_userId: { workspaceId: workspace.id, userId: admin.userId } }, data: { role: "viewer" } });
    expect((await call(GET_WS, p, { token: value, ip })).status).toBe(200);
    expect((await call(PATCH_WS, p, { token: value, ip, method: "PATCH", body: { name: "Again" } })).status).toBe(403);
    const { data: own } = await (await call(LIST_TOKENS, p, { token: value, ip })).json();
    expect(own.map((t: { id: string }) => t.id)).not.toContain(other.id);

    // Disabled: nothing, at once: a 401 that says so (not a 404 for a workspace that exists), and verify agrees.
    const platformAdmin = { ...(await makeUser("root")), isPlatformAdmin: true };
    await setUserDisabled(platformAdmin, admin.userId, true);
    const disabled = await call(GET_WS, p, { token: value, ip });
    expect(disabled.status).toBe(401);
    expect(disabled.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    expect((await disabled.json()).error).toMatchObject({ code: "UNAUTHORIZED", message: "The bearer token belongs to a disabled account" });
    expect((await call(LIST_TOKENS, p, { token: value, ip })).status).toBe(401);
    expect(await verifyToken({ token: value }, meta({ ip }))).toEqual({ valid: false, reason: "disabled" });
    await setUserDisabled(platformAdmin, admin.userId, false);
    expect((await call(GET_WS, p, { token: value, ip })).status).toBe(200);

    // Removed from the workspace: its tokens there stop on the next request (a 401, as verify says "unknown").
    await db().membership.delete({ where: { workspaceId_userId: { workspaceId: workspace.id, userId: admin.userId } } });
    const removed = await call(GET_WS, p, { token: value, ip });
    expect(removed.status).toBe(401);
    expect((await removed.json()).error.message).toBe("The bearer token is not recognised");
    expect(await verifyToken({ token: value }, meta({ ip }))).toEqual({ valid: false, reason: "unknown" });
  });

  it("TOK-12: follows the token itself and its workspace: cancelled, expired, deleted, deactivated", async () => {
    const ip = freshIp();
    const { workspace, owner } = await active();
    const p = { workspaceId: workspace.id };
    const { value: admin } = await makeToken(owner, workspace.id);
    const cancelMe = await createToken(owner, workspace.id, { kind: "workspace", name: "a" });
    const expireMe = await createToken(owner, workspace.id, { kind: "workspace", name: "b" });
    const deleteMe = await createToken(owner, workspace.id, { kind: "workspace", name: "c" });
    for (const t of [cancelMe, expireMe, deleteMe]) expect((await call(GET_WS, p, { token: t.value, ip })).status).toBe(200);

    expect((await call(PATCH_TOKEN, { ...p, tokenId: cancelMe.id }, { token: admin, ip, method: "PATCH", body: { action: "cancel" } })).status).toBe(200);
    const cancelled = await call(GET_WS, p, { token: cancelMe.value, ip });
    expect(cancelled.status).toBe(401);
    expect((await cancelled.json()).error.message).toBe("The bearer token has been cancelled");

    await db().$transaction((tx) => tx.token.update({ where: { id: expireMe.id }, data: { expiresAt: new Date(Date.now() - 1) } }));
    expect((await (await call(GET_WS, p, { token: expireMe.value, ip })).json()).error.message).toBe("The bearer token has expired");

    expect((await call(DELETE_TOKEN, { ...p, tokenId: deleteMe.id }, { token: admin, ip, method: "DELETE" })).status).toBe(200);
    expect((await (await call(GET_WS, p, { token: deleteMe.value, ip })).json()).error.message).toBe("The bearer token is not recognised");

    // A workspace token stops with its workspace's activation; a user token still reads it.
    const live = await createToken(owner, workspace.id, { kind: "workspace", name: "d" });
    await db().$transaction((tx) => tx.workspace.update({ where: { id: workspace.id }, data: { status: "pending" } }));
    expect((await call(GET_WS, p, { token: live.value, ip })).status).toBe(403);
    expect((await call(GET_WS, p, { token: admin, ip })).status).toBe(200);
  });

  it("keeps a token inside its own workspace (404 elsewhere, and for another workspace's ids)", async () => {
    const ip = freshIp();
    const a = await active();
    const b = await active();
    const { value } = await makeToken(a.owner, a.workspace.id);
    const bToken = await createToken(b.owner, b.workspace.id, { kind: "workspace", name: "b" });
    expect((await call(GET_WS, { workspaceId: b.workspace.id }, { token: value, ip })).status).toBe(404);
    expect((await call(PATCH_TOKEN, { workspaceId: a.workspace.id, tokenId: bToken.id }, { token: value, ip, method: "PATCH", body: { action: "cancel" } })).status).toBe(404);
    expect((await db().token.findUniqueOrThrow({ where: { id: bToken.id } })).status).toBe("active");
  });
});

describe("403: the message names what refuses, the role or the token", () => {
  it("blames a demoted member's role, a workspace token's role, and a read-only token's scope", async () => {
    const ip = freshIp();
    const { workspace, owner, members } = await active(["admin"]);
    const admin = members.admin!;
    const p = { workspaceId: workspace.id };
    const invite = { email: "new@example.test", role: "member" };
    const { value: userToken } = await makeToken(admin, workspace.id);
    await db().membership.update({ where: { workspaceId_userId: { workspaceId: workspace.id, userId: admin.userId } }, data: { role: "viewer" } });

    // The user token is full; the creator's current role is what refuses.
    const byRole = await call(INVITE, p, { token: userToken, ip, method: "POST", body: invite });
    expect(byRole.status).toBe(403);
    expect((await byRole.json()).error.message).toBe("Your role (viewer) in this workspace does not allow member.invite");

    // A workspace token acts with its own role.
    const { value: memberToken } = await makeToken(owner, workspace.id, { kind: "workspace", role: "member" });
    const byTokenRole = await call(INVITE, p, { token: memberToken, ip, method: "POST", body: invite });
    expect((await byTokenRole.json()).error.message).toBe("This token's role (member) does not allow member.invite");

    // An owner's read-only token: the role allows it, the scope does not.
    const { value: readOnly } = await makeToken(owner, workspace.id, { scopes: ["read"] });
    const byScope = await call(INVITE, p, { token: readOnly, ip, method: "POST", body: invite });
    expect(byScope.status).toBe(403);
    expect((await byScope.json()).error.message).toBe("Your token does not allow member.invite");
    expect(await db().invitation.count({ where: { workspaceId: workspace.id } })).toBe(0);
  });
});

describe("401: which failure, and nothing more", () => {
  it("names missing, malformed, unknown, expired and cancelled, without echoing the credential", async () => {
    const ip = freshIp();
    const { workspace, owner } = await active();
    const p = { workspaceId: workspace.id };
    const real = await createToken(owner, workspace.id, { kind: "workspace", name: "x" });
    const flipped = real.value.slice(0, -1) + (real.value.endsWith("A") ? "B" : "A"); // checksum no longer matches
    const cases: [Record<string, string | undefined>, string][] = [
      [{}, "Authentication required: send Authorization: Bearer <token>"],
      [{ header: "Basic dXNlcjpwYXNz" }, "The bearer token is malformed"],
      [{ header: `Bearer ${real.value} extra` }, "The bearer token is malformed"],
      [{ token: "tsr_usr_short" }, "The bearer token is malformed"],
      [{ token: flipped }, "The bearer token is malformed"],
      [{ token: `${real.value}\r\nX-Injected: 1`.replace(/\r\n/g, "") }, "The bearer token is malformed"],
      [{ token: generateToken("user") }, "The bearer token is not recognised"],
    ];
    for (const [opts, message] of cases) {
      const res = await call(GET_WS, p, { ...opts, ip });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
      const text = await res.text();
      expect(JSON.parse(text).error).toEqual({ code: "UNAUTHORIZED", message, requestId: expect.any(String) });
      expect(text).not.toContain(real.value.slice(8, 30));
    }
  });

  it("CSRF-05: ignores session cookies on /api/v1", async () => {
    const ip = freshIp();
    const { workspace } = await active();
    const res = await call(GET_WS, { workspaceId: workspace.id }, { ip, cookie: "__Host-tessera.session=anything; next-auth.session-token=x" });
    expect(res.status).toBe(401);
  });
});

describe("failed token checks are limited per address", () => {
  it("TOK-10 RL-01: answers 429 with Retry-After once an address used up its failures, for bearer calls and verify alike", async () => {
    const ip = freshIp();
    const neighbour = freshIp();
    const { workspace, owner } = await active();
    const p = { workspaceId: workspace.id };
    const good = await createToken(owner, workspace.id, { kind: "workspace", name: "good" });
    for (let i = 0; i < 60; i++) expect((await call(GET_WS, p, { token: generateToken("user"), ip })).status).toBe(401);
    const limited = await call(GET_WS, p, { token: generateToken("user"), ip });
    expect(limited.status).toBe(429);
    const retry = Number(limited.headers.get("retry-after"));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect((await limited.json()).error.code).toBe("RATE_LIMITED");
    // Further failures from the address are refused until the window ends: malformed, missing, unknown.
    for (const opts of [{ token: "tsr_usr_short" }, {}, { token: generateToken("workspace") }]) expect((await call(GET_WS, p, { ...opts, ip })).status).toBe(429);
    expect((await call(GET_WS, p, { token: generateToken("user"), ip: neighbour })).status).toBe(401);
    expect((await call(GET_WS, p, { token: good.value, ip: neighbour })).status).toBe(200);
    const verifyFrom = (token: string) =>
      VERIFY(new Request("http://localhost/api/v1/tokens/verify", { method: "POST", headers: { "content-type": "application/json", "x-tessera-client-ip": ip }, body: JSON.stringify({ token }) }));
    expect((await verifyFrom(generateToken("workload"))).status).toBe(429);
  });

  it("TOK-10: never refuses a valid token because its address used up its failures (shared NAT): API, verify and env", async () => {
    const ip = freshIp();
    const { workspace, owner } = await active();
    const p = { workspaceId: workspace.id };
    const good = await createToken(owner, workspace.id, { kind: "workspace", name: "good" });
    const { value: userToken } = await makeToken(owner, workspace.id);
    const workload = await db().workload.create({ data: { workspaceId: workspace.id, name: "nat-job", kind: "job" } });
    const wl = await createToken(owner, workspace.id, { kind: "workload", name: "wl", workloadId: workload.id });
    const wp = { workspaceId: workspace.id, workloadId: workload.id };
    const issued = await call(CREDENTIALS, wp, { token: wl.value, ip, method: "POST" });
    expect(issued.status).toBe(201);
    const credential = (await issued.json()).credential as string;
    // Another client behind the same address uses up the failures.
    for (let i = 0; i < 60; i++) expect((await call(GET_WS, p, { token: generateToken("user"), ip })).status).toBe(401);
    expect((await call(GET_WS, p, { token: generateToken("user"), ip })).status).toBe(429);

    expect((await call(GET_WS, p, { token: good.value, ip })).status).toBe(200);
    expect((await call(GET_WS, p, { token: userToken, ip })).status).toBe(200);
    const verify = await VERIFY(new Request("http://localhost/api/v1/tokens/verify", { method: "POST", headers: { "content-type": "application/json", "x-tessera-client-ip": ip }, body: JSON.stringify({ token: good.value }) }));
    expect(verify.status).toBe(200);
    expect(await verify.json()).toMatchObject({ valid: true, workspaceId: workspace.id, kind: "workspace" });
    expect((await call(CREDENTIALS, wp, { token: wl.value, ip, method: "POST" })).status).toBe(201);
    expect((await call(ENV, wp, { token: credential, ip })).status).toBe(200);
    // The address's failures stay limited, on every route.
    expect((await call(ENV, wp, { token: `${credential.slice(0, -2)}xx`, ip })).status).toBe(429);
    expect((await call(ENV, wp, { token: "tsr_wlc_nope", ip })).status).toBe(429);
    expect((await call(GET_WS, p, { token: generateToken("workspace"), ip })).status).toBe(429);
  });

  it("counts invalid verifications too, and forgets them after a minute", async () => {
    const ip = freshIp();
    const verify = (token: string) =>
      VERIFY(new Request("http://localhost/api/v1/tokens/verify", { method: "POST", headers: { "content-type": "application/json", "x-tessera-client-ip": ip }, body: JSON.stringify({ token }) }));
    for (let i = 0; i < 60; i++) expect((await (await verify("tsr_wsp_nope")).json()).valid).toBe(false);
    expect((await verify("tsr_wsp_nope")).status).toBe(429);

    const t0 = Date.now();
    const other = freshIp();
    for (let i = 0; i < 60; i++) recordFailure(other, t0);
    expect(() => assertNotBlocked(other, t0 + 59_000)).toThrow(AppError);
    expect(() => assertNotBlocked(other, t0 + 60_000)).not.toThrow();
  });
});

describe("last use", () => {
  it("is noted in memory and written later, at most once a minute per token", async () => {
    const ip = freshIp();
    const { workspace, owner } = await active();
    const t = await createToken(owner, workspace.id, { kind: "workspace", name: "used" });
    const row = () => db().token.findUniqueOrThrow({ where: { id: t.id } });
    await flushTokenUse();
    expect((await row()).lastUsedAt).toBeNull();

    // The request itself writes nothing.
    expect((await call(GET_WS, { workspaceId: workspace.id }, { token: t.value, ip })).status).toBe(200);
    expect((await row()).lastUsedAt).toBeNull();
    expect(await flushTokenUse()).toBe(1);
    const first = await row();
    expect(first.lastUsedAt).not.toBeNull();
    expect(first.lastUsedIp).toBe(ip);

    // Within the minute: nothing more is noted or written.
    for (let i = 0; i < 5; i++) await call(GET_WS, { workspaceId: workspace.id }, { token: t.value, ip: freshIp() });
    expect(await flushTokenUse()).toBe(0);
    expect((await row()).lastUsedIp).toBe(ip);

    // A note from another instance that read the older date is refused by the database check.
    noteTokenUse(t.id, new Date(Date.now() - 120_000), "192.0.2.1");
    expect(await flushTokenUse()).toBe(0);

    // Over a minute later, the next use is written again.
    await db().$transaction((tx) => tx.token.update({ where: { id: t.id }, data: { lastUsedAt: new Date(Date.now() - 61_000) } }));
    const later = freshIp();
    await call(GET_WS, { workspaceId: workspace.id }, { token: t.value, ip: later });
    expect(await flushTokenUse()).toBe(1);
    expect((await row()).lastUsedIp).toBe(later);

    // The list shows it.
    const { value: reader } = await makeToken(owner, workspace.id);
    const { data: list } = await (await call(LIST_TOKENS, { workspaceId: workspace.id }, { token: reader, ip })).json();
    expect(list.find((x: { id: string }) => x.id === t.id)).toMatchObject({ lastUsedIp: later, lastUsedAt: expect.any(String) });
  });
});
