// The REST endpoints of the operations that were dashboard-only (issue 13): workspaces (create,
// delete, activation request, SSO, token policy), platform administration (activation review,
// users) and the caller's account (GET /api/v1/me, sign out everywhere). Each route handler is
// called with a real Request, as Next.js calls it (no browser, no server), on SQLite and
// PostgreSQL: the success and its audit event, and every refusal with nothing changed. Every
// answer is also checked against the OpenAPI document (tests/helpers/openapi-check.ts).
import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { UserActor } from "@/lib/auth/actor";
import type { TokenScope } from "@/lib/auth/permissions";
import { resetFailureLimits } from "@/lib/auth/failure-limit";
import { createSession, resolveSession } from "@/lib/auth/session";
import { api, type OperationId } from "@/lib/contract";
import type { Operation } from "@/lib/contract/define";
import { errorEnvelopeSchema } from "@/lib/contract/errors";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createToken, tokenActionsFor, updateToken } from "@/lib/services/tokens";
import { listUsers, setUserDisabled } from "@/lib/services/users";
import { createWorkspace, listWorkspacesForReview, reviewActivation, WORKSPACE_CREATE_LIMIT } from "@/lib/services/workspaces";
import * as actions from "@/app/(dashboard)/actions";
import * as adminRequests from "@/app/api/v1/admin/activation-requests/route";
import * as adminReview from "@/app/api/v1/admin/activation-requests/[workspaceId]/route";
import * as adminUsers from "@/app/api/v1/admin/users/route";
import * as adminUser from "@/app/api/v1/admin/users/[userId]/route";
import * as me from "@/app/api/v1/me/route";
import * as signOut from "@/app/api/v1/me/sign-out-everywhere/route";
import * as workspacesRoute from "@/app/api/v1/workspaces/route";
import * as workspaceRoute from "@/app/api/v1/workspaces/[workspaceId]/route";
import * as activationRoute from "@/app/api/v1/workspaces/[workspaceId]/activation-request/route";
import * as ssoRoute from "@/app/api/v1/workspaces/[workspaceId]/sso/route";
import * as tokenPolicyRoute from "@/app/api/v1/workspaces/[workspaceId]/token-policy/route";
import * as tokensRoute from "@/app/api/v1/workspaces/[workspaceId]/tokens/route";
import * as tokenRoute from "@/app/api/v1/workspaces/[workspaceId]/tokens/[tokenId]/route";
import { makeToken, makeUser, makeWorkspace, meta } from "../helpers/fixtures";
import { checkResponse } from "../helpers/openapi-check";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Each new operation and the handler the route tree exports for it. */
const HANDLERS = {
  "workspaces.create": workspacesRoute.POST,
  "workspaces.delete": workspaceRoute.DELETE,
  "workspaces.requestActivation": activationRoute.POST,
  "workspaces.updateSso": ssoRoute.PUT,
  "workspaces.setTokenPolicy": tokenPolicyRoute.PUT,
  "admin.listActivationRequests": adminRequests.GET,
  "admin.reviewActivation": adminReview.POST,
  "admin.listUsers": adminUsers.GET,
  "admin.updateUser": adminUser.PATCH,
  "me.get": me.GET,
  "me.signOutEverywhere": signOut.POST,
} satisfies Partial<Record<OperationId, unknown>>;
/** Existing operations some tests also call. */
const OTHERS = {
  "workspaces.get": workspaceRoute.GET,
  "tokens.create": tokensRoute.POST,
  "tokens.update": tokenRoute.PATCH,
  "tokens.delete": tokenRoute.DELETE,
} satisfies Partial<Record<OperationId, unknown>>;
type Id = keyof typeof HANDLERS | keyof typeof OTHERS;
const NEW = Object.keys(HANDLERS) as (keyof typeof HANDLERS)[];

const uniq = () => randomBytes(4).toString("hex");
let ip = 0;

type Sent = { status: number; json: Record<string, unknown>; text: string; headers: Headers };

/**
 * Calls the operation's handler with a Request for its path: `auth` is a token value (or null for
 * none); `body` is sent as JSON (a string is sent as is, with `contentType`).
 */
async function send(
  id: Id,
  opts: { auth: string | null; params?: Record<string, string>; query?: Record<string, string>; body?: unknown; contentType?: string },
): Promise<Sent> {
  const op = api[id] as Operation;
  const params = opts.params ?? {};
  const path = op.path.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? "missing");
  const url = `http://localhost${path}${opts.query ? `?${new URLSearchParams(opts.query)}` : ""}`;
  const headers: Record<string, string> = { "x-tessera-client-ip": `198.51.100.${(++ip % 250) + 1}`, "user-agent": "vitest api-endpoints" };
  if (opts.auth !== null) headers.authorization = `Bearer ${opts.auth}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    headers["content-type"] = opts.contentType ?? "application/json";
  }
  const res = await ({ ...HANDLERS, ...OTHERS }[id] as Handler)(new Request(url, { method: op.method, headers, body }), { params: Promise.resolve(params) });
  await checkResponse(op.method, url, res);
  const text = await res.text();
  const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (res.status < 400) {
    expect(res.status, `${id}: ${text}`).toBe(op.status);
    // The answer decodes with the contract's output schema (dates as ISO strings).
    expect(() => op.output.parse(json), id).not.toThrow();
  } else {
    expect(() => errorEnvelopeSchema.parse(json), `${id}: the error envelope`).not.toThrow();
    expect(res.headers.get("x-request-id")).toBe((json.error as { requestId: string }).requestId);
  }
  return { status: res.status, json, text, headers: res.headers };
}

const errorOf = (r: Sent) => r.json.error as { code: string; message: string; requestId: string; details?: { path: string; message: string }[] };

/** A platform admin, as the database knows it (makeUser makes ordinary users). */
async function makePlatformAdmin(): Promise<UserActor> {
  const u = await makeUser("root");
  await db().user.update({ where: { id: u.userId }, data: { isPlatformAdmin: true } });
  return { ...u, isPlatformAdmin: true };
}

const events = (where: { action: string; workspaceId?: string | null; targetId?: string; result?: string }) =>
  db().auditEvent.findMany({ where: { result: "success", ...where }, orderBy: { createdAt: "asc" } });
const workspaceRow = (id: string) => db().workspace.findUnique({ where: { id } });

beforeEach(() => resetFailureLimits());

describe("the contract entries of the new endpoints", () => {
  it("have summaries, descriptions, errors, and examples that their own schemas accept", () => {
    for (const id of NEW) {
      const op = api[id] as Operation;
      expect(op.summary.length, id).toBeGreaterThan(3);
      expect(op.description.length, id).toBeGreaterThan(40);
      expect(op.errors, id).toContain("UNAUTHORIZED");
      if (op.params) expect(() => op.params!.parse(op.examples.params), `${id} params example`).not.toThrow();
      if (op.query) expect(() => op.query!.parse(op.examples.query ?? {}), `${id} query example`).not.toThrow();
      if (op.body) expect(() => op.body!.parse(op.examples.body), `${id} body example`).not.toThrow();
      expect(() => op.output.parse(op.examples.response), `${id} response example`).not.toThrow();
      for (const schema of [op.params, op.query, op.body, op.output]) if (schema) expect(() => z.toJSONSchema(schema, { io: "input" }), id).not.toThrow();
    }
  });

  it("describe every field of the new output schemas", () => {
    const undocumented = (schema: z.ZodType, at: string): string[] => {
      const json = z.toJSONSchema(schema, { io: "input" }) as { properties?: Record<string, { description?: string }> };
      return Object.entries(json.properties ?? {}).filter(([, p]) => !p.description).map(([k]) => `${at}.${k}`);
    };
    const missing = (["admin.listUsers", "admin.updateUser", "me.get", "me.signOutEverywhere", "workspaces.delete"] as const).flatMap((id) => {
      const out = api[id].output as z.ZodObject;
      const nested = Object.entries(out.shape).flatMap(([k, v]) => {
        const inner = v instanceof z.ZodNullable ? v.unwrap() : v;
        return inner instanceof z.ZodObject ? undocumented(inner, `${id}.${k}`) : [];
      });
      return [...undocumented(out, id), ...nested];
    });
    expect(missing).toEqual([]);
  });
});

describe("POST /api/v1/workspaces", () => {
  it("creates a workspace owned by a full user token's creator; the token still acts only in its own workspace", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const token = await makeToken(owner, workspace.id);
    const res = await send("workspaces.create", { auth: token.value, body: { name: "  Inference team " } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ name: "Inference team", role: "owner", personal: false });
    const id = res.json.id as string;
    const membership = await db().membership.findUnique({ where: { workspaceId_userId: { workspaceId: id, userId: owner.userId } } });
    expect(membership?.role).toBe("owner");
    expect((await workspaceRow(id))?.createdById).toBe(owner.userId);
    const [event] = await events({ action: "workspace.create", workspaceId: id });
    expect(event).toMatchObject({ actorType: "token", actorId: token.id, targetId: id, userAgent: "vitest api-endpoints" });
    // The token belongs to its own workspace: the new one is not its to read.
    expect((await send("workspaces.get", { auth: token.value, params: { workspaceId: id } })).status).toBe(404);
    expect((await send("workspaces.get", { auth: token.value, params: { workspaceId: workspace.id } })).status).toBe(200);
  });

  it("refuses read-only, workspace and workload tokens (403), and invalid names (422), creating nothing", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const readOnly = await makeToken(owner, workspace.id, { scopes: ["read"] });
    const wsToken = await makeToken(owner, workspace.id, { kind: "workspace", role: "owner" });
    const wlToken = await makeToken(owner, workspace.id, { kind: "workload" });
    const full = await makeToken(owner, workspace.id);
    const before = await db().workspace.count();
    for (const t of [readOnly, wsToken, wlToken]) {
      const res = await send("workspaces.create", { auth: t.value, body: { name: "Nope" } });
      expect(res.status, t.actor.kind).toBe(403);
      expect(errorOf(res).code).toBe("FORBIDDEN");
    }
    const empty = await send("workspaces.create", { auth: full.value, body: { name: "  " } });
    expect(empty.status).toBe(422);
    expect(errorOf(empty)).toMatchObject({ code: "VALIDATION_FAILED", details: [expect.objectContaining({ path: "name" })] });
    const extra = await send("workspaces.create", { auth: full.value, body: { name: "Ok", personal: true } });
    expect(extra.status).toBe(422);
    const hidden = await send("workspaces.create", { auth: full.value, body: { name: "Admin\u202Etxt" } });
    expect(hidden.status).toBe(422);
    expect((await send("workspaces.create", { auth: full.value, body: "name=x", contentType: "text/plain" })).status).toBe(415);
    expect((await send("workspaces.create", { auth: null, body: { name: "Anon" } })).status).toBe(401);
    expect(await db().workspace.count()).toBe(before);
    // The refused tokens' attempts are audited as denied.
    expect(await db().auditEvent.count({ where: { action: "workspace.create", result: "denied", actorId: { in: [readOnly.id, wsToken.id, wlToken.id] } } })).toBe(3);
  });
});

describe("POST /api/v1/workspaces: the per-user limit", () => {
  it(`creates at most ${WORKSPACE_CREATE_LIMIT} workspaces an hour per user (429 with Retry-After, nothing created), whatever the transport`, async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const full = await makeToken(owner, workspace.id);
    // makeWorkspace created one through the same service already.
    for (let i = 1; i < WORKSPACE_CREATE_LIMIT; i++) expect((await send("workspaces.create", { auth: full.value, body: { name: `Batch ${i}` } })).status).toBe(201);
    const before = await db().workspace.count();
    const refused = await send("workspaces.create", { auth: full.value, body: { name: "One too many" } });
    expect(refused.status).toBe(429);
    expect(errorOf(refused).code).toBe("RATE_LIMITED");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // The dashboard's path (a session) counts against the same user.
    expect(await code(createWorkspace(owner, { name: "From the dashboard" }))).toBe("RATE_LIMITED");
    expect(await db().workspace.count()).toBe(before);
    // Another user is not affected.
    const other = await makeWorkspace({ active: true });
    expect((await send("workspaces.create", { auth: (await makeToken(other.owner, other.workspace.id)).value, body: { name: "Theirs" } })).status).toBe(201);
  });
});

describe("DELETE /api/v1/workspaces/{workspaceId}", () => {
  it("deletes with the owner's full token and the exact name; audited", async () => {
    const { workspace, owner } = await makeWorkspace({ name: "Doomed", active: true });
    const token = await makeToken(owner, workspace.id);
    const res = await send("workspaces.delete", { auth: token.value, params: { workspaceId: workspace.id }, body: { confirmName: "Doomed" } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: workspace.id });
    expect(await workspaceRow(workspace.id)).toBeNull();
    const [event] = await events({ action: "workspace.delete", targetId: workspace.id });
    expect(event).toMatchObject({ actorType: "token", actorId: token.id, metadata: JSON.stringify({ name: "Doomed" }) });
  });

  it("refuses an admin (403, audited as denied), a read-only token, a wrong name (422) and another workspace (404); nothing is deleted", async () => {
    const { workspace, owner, members } = await makeWorkspace({ name: "Kept", active: true, roles: ["admin"] });
    const params = { workspaceId: workspace.id };
    const admin = await makeToken(members.admin!, workspace.id);
    const denied = await send("workspaces.delete", { auth: admin.value, params, body: { confirmName: "Kept" } });
    expect(denied.status).toBe(403);
    expect(await events({ action: "workspace.delete", workspaceId: workspace.id, result: "denied" })).toHaveLength(1);
    const readOnly = await makeToken(owner, workspace.id, { scopes: ["read"] });
    expect((await send("workspaces.delete", { auth: readOnly.value, params, body: { confirmName: "Kept" } })).status).toBe(403);
    const full = await makeToken(owner, workspace.id);
    const wrong = await send("workspaces.delete", { auth: full.value, params, body: { confirmName: "kept" } });
    expect(wrong.status).toBe(422);
    expect(errorOf(wrong).details).toEqual([{ path: "confirmName", message: expect.any(String) }]);
    expect((await send("workspaces.delete", { auth: full.value, params, body: {} })).status).toBe(422);
    expect((await send("workspaces.delete", { auth: full.value, params })).status).toBe(415);
    const other = await makeWorkspace({ name: "Kept", active: true });
    const outsider = await makeToken(other.owner, other.workspace.id);
    const cross = await send("workspaces.delete", { auth: outsider.value, params, body: { confirmName: "Kept" } });
    expect(cross.status).toBe(404);
    expect(errorOf(cross).code).toBe("NOT_FOUND");
    expect(await workspaceRow(workspace.id)).not.toBeNull();
    expect(await events({ action: "workspace.delete", targetId: workspace.id })).toHaveLength(0);
  });
});

describe("POST /api/v1/workspaces/{workspaceId}/activation-request", () => {
  const request = { organisation: "Acme Labs", useCase: "Serving LLMs for our research group" };

  it("applies with the owner's user token (pending → requested); audited; a second request is a 409", async () => {
    const { workspace, owner } = await makeWorkspace();
    const token = await makeToken(owner, workspace.id);
    const params = { workspaceId: workspace.id };
    const res = await send("workspaces.requestActivation", { auth: token.value, params, body: request });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "requested", activation: { organisation: "Acme Labs", useCase: request.useCase } });
    const [event] = await events({ action: "workspace.activation.request", workspaceId: workspace.id });
    expect(event).toMatchObject({ actorType: "token", actorId: token.id });
    expect((await send("workspaces.requestActivation", { auth: token.value, params, body: request })).status).toBe(409);
  });

  it("refuses a member (403, audited), a read-only token, a workspace token of the inactive workspace, invalid input (422) and another workspace (404)", async () => {
    const { workspace, owner, members } = await makeWorkspace({ active: true, roles: ["member"] });
    // Workspace tokens are made while active; the workspace is then back to pending.
    const wsToken = await makeToken(owner, workspace.id, { kind: "workspace", role: "owner" });
    await db().workspace.update({ where: { id: workspace.id }, data: { status: "pending" } });
    const params = { workspaceId: workspace.id };
    const member = await makeToken(members.member!, workspace.id);
    expect((await send("workspaces.requestActivation", { auth: member.value, params, body: request })).status).toBe(403);
    expect(await events({ action: "workspace.activation.request", workspaceId: workspace.id, result: "denied" })).toHaveLength(1);
    const readOnly = await makeToken(owner, workspace.id, { scopes: ["read"] });
    expect((await send("workspaces.requestActivation", { auth: readOnly.value, params, body: request })).status).toBe(403);
    expect((await send("workspaces.requestActivation", { auth: wsToken.value, params, body: request })).status).toBe(403);
    const full = await makeToken(owner, workspace.id);
    const invalid = await send("workspaces.requestActivation", { auth: full.value, params, body: { organisation: "A", useCase: "short" } });
    expect(invalid.status).toBe(422);
    expect(errorOf(invalid).details?.map((d) => d.path).sort()).toEqual(["organisation", "useCase"]);
    const other = await makeWorkspace();
    const outsider = await makeToken(other.owner, other.workspace.id);
    expect((await send("workspaces.requestActivation", { auth: outsider.value, params, body: request })).status).toBe(404);
    expect((await workspaceRow(workspace.id))?.status).toBe("pending");
    expect(await events({ action: "workspace.activation.request", workspaceId: workspace.id })).toHaveLength(0);
  });
});

describe("PUT /api/v1/workspaces/{workspaceId}/sso", () => {
  it("sets the default role and releases the domain with an owner's token; audited", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const domain = `corp-${uniq()}.example`;
    await db().workspace.update({ where: { id: workspace.id }, data: { ssoDomain: domain, ssoRequired: true } });
    const token = await makeToken(owner, workspace.id);
    const params = { workspaceId: workspace.id };
    // Keeping the domain it holds, and keeping SSO required, need no new proof.
    const kept = await send("workspaces.updateSso", { auth: token.value, params, body: { ssoDomain: domain, ssoDefaultRole: "viewer", ssoRequired: true } });
    expect(kept.status).toBe(200);
    expect(kept.json).toMatchObject({ sso: { domain, defaultRole: "viewer", required: true } });
    const released = await send("workspaces.updateSso", { auth: token.value, params, body: { ssoDomain: "", ssoDefaultRole: "member", ssoRequired: false } });
    expect(released.json).toMatchObject({ sso: { domain: null, defaultRole: "member", required: false } });
    const audited = await events({ action: "workspace.sso.update", workspaceId: workspace.id });
    expect(audited.map((e) => [e.actorId, JSON.parse(e.metadata!).domain])).toEqual([
      [token.id, domain],
      [token.id, null],
    ]);
  });

  it("cannot claim a new domain over the API (no SSO proof), and refuses a member, a read-only token, invalid input and another workspace", async () => {
    const { workspace, owner, members } = await makeWorkspace({ active: true, roles: ["member"] });
    const params = { workspaceId: workspace.id };
    const body = { ssoDomain: null, ssoDefaultRole: "viewer", ssoRequired: false };
    const full = await makeToken(owner, workspace.id);
    const claim = await send("workspaces.updateSso", { auth: full.value, params, body: { ...body, ssoDomain: `new-${uniq()}.example` } });
    expect(claim.status).toBe(403);
    const member = await makeToken(members.member!, workspace.id);
    expect((await send("workspaces.updateSso", { auth: member.value, params, body })).status).toBe(403);
    // Both refusals are audited: the claim without proof, and the member.
    expect((await events({ action: "workspace.sso.update", workspaceId: workspace.id, result: "denied" })).map((e) => e.actorId)).toEqual([full.id, member.id]);
    const readOnly = await makeToken(owner, workspace.id, { scopes: ["read"] });
    expect((await send("workspaces.updateSso", { auth: readOnly.value, params, body })).status).toBe(403);
    for (const bad of [{ ...body, ssoDefaultRole: "owner" }, { ...body, ssoDomain: "*.evil" }, { ssoDomain: null }, { ...body, extra: 1 }]) {
      const res = await send("workspaces.updateSso", { auth: full.value, params, body: bad });
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(errorOf(res).code).toBe("VALIDATION_FAILED");
    }
    const other = await makeWorkspace({ active: true });
    const outsider = await makeToken(other.owner, other.workspace.id);
    expect((await send("workspaces.updateSso", { auth: outsider.value, params, body })).status).toBe(404);
    expect(await workspaceRow(workspace.id)).toMatchObject({ ssoDomain: null, ssoDefaultRole: "member", ssoRequired: false });
    expect(await events({ action: "workspace.sso.update", workspaceId: workspace.id })).toHaveLength(0);
  });
});

describe("requiring SSO", () => {
  it("cannot be turned on by a token (no proof that SSO works: the owners would be locked out); 403, audited, nothing changes; a token may turn it off", async () => {
    const { workspace, owner, members } = await makeWorkspace({ active: true, roles: ["admin"] });
    const params = { workspaceId: workspace.id };
    const on = { ssoDomain: null, ssoDefaultRole: "member", ssoRequired: true };
    const tokens = [
      await makeToken(owner, workspace.id),
      await makeToken(members.admin!, workspace.id),
      await makeToken(owner, workspace.id, { kind: "workspace", role: "admin" }),
    ];
    for (const t of tokens) {
      const res = await send("workspaces.updateSso", { auth: t.value, params, body: on });
      expect(res.status, t.actor.kind).toBe(403);
      expect(errorOf(res).message).toMatch(/signed in with SSO/);
    }
    expect(await workspaceRow(workspace.id)).toMatchObject({ ssoRequired: false });
    expect(await events({ action: "workspace.sso.update", workspaceId: workspace.id, result: "denied" })).toHaveLength(tokens.length);
    expect(await events({ action: "workspace.sso.update", workspaceId: workspace.id, result: "success" })).toHaveLength(0);
    // Turned on from an SSO session elsewhere, a token may keep it on or turn it off.
    await db().workspace.update({ where: { id: workspace.id }, data: { ssoRequired: true } });
    const off = await send("workspaces.updateSso", { auth: tokens[2]!.value, params, body: { ...on, ssoRequired: false } });
    expect(off.status).toBe(200);
    expect(await workspaceRow(workspace.id)).toMatchObject({ ssoRequired: false });
  });
});

describe("PUT /api/v1/workspaces/{workspaceId}/token-policy", () => {
  it("sets the maximum lifetime with an admin's token; audited with from and to", async () => {
    const { workspace, members } = await makeWorkspace({ active: true, roles: ["admin"] });
    const token = await makeToken(members.admin!, workspace.id);
    const res = await send("workspaces.setTokenPolicy", { auth: token.value, params: { workspaceId: workspace.id }, body: { maxTokenLifetimeDays: 30 } });
    expect(res.status).toBe(200);
    expect(res.json.maxTokenLifetimeDays).toBe(30);
    const [event] = await events({ action: "workspace.token_policy.update", workspaceId: workspace.id });
    expect(event).toMatchObject({ actorType: "token", actorId: token.id, metadata: JSON.stringify({ from: 90, to: 30 }) });
  });

  it("refuses a viewer and a member (403, audited), a read-only token, a workspace token with a member role, out-of-range days (422) and another workspace (404)", async () => {
    const { workspace, owner, members } = await makeWorkspace({ active: true, roles: ["member", "viewer"] });
    const params = { workspaceId: workspace.id };
    const body = { maxTokenLifetimeDays: 7 };
    const member = await makeToken(members.member!, workspace.id);
    expect((await send("workspaces.setTokenPolicy", { auth: member.value, params, body })).status).toBe(403);
    // Viewers cannot mint tokens: made while a member, then demoted (the token follows the current role).
    await db().membership.update({ where: { workspaceId_userId: { workspaceId: workspace.id, userId: members.viewer!.userId } }, data: { role: "member" } });
    const viewer = await makeToken(members.viewer!, workspace.id);
    await db().membership.update({ where: { workspaceId_userId: { workspaceId: workspace.id, userId: members.viewer!.userId } }, data: { role: "viewer" } });
    expect((await send("workspaces.setTokenPolicy", { auth: viewer.value, params, body })).status).toBe(403);
    expect(await events({ action: "workspace.token_policy.update", workspaceId: workspace.id, result: "denied" })).toHaveLength(2);
    const readOnly = await makeToken(owner, workspace.id, { scopes: ["read"] });
    expect((await send("workspaces.setTokenPolicy", { auth: readOnly.value, params, body })).status).toBe(403);
    const wsMember = await makeToken(owner, workspace.id, { kind: "workspace", role: "member" });
    expect((await send("workspaces.setTokenPolicy", { auth: wsMember.value, params, body })).status).toBe(403);
    const full = await makeToken(owner, workspace.id);
    for (const days of [0, 366, 1.5, "30"]) {
      const res = await send("workspaces.setTokenPolicy", { auth: full.value, params, body: { maxTokenLifetimeDays: days } });
      expect(res.status, String(days)).toBe(422);
      expect(errorOf(res).details?.[0]?.path).toBe("maxTokenLifetimeDays");
    }
    const other = await makeWorkspace({ active: true });
    const outsider = await makeToken(other.owner, other.workspace.id);
    expect((await send("workspaces.setTokenPolicy", { auth: outsider.value, params, body })).status).toBe(404);
    expect((await workspaceRow(workspace.id))?.maxTokenLifetimeDays).toBe(90);
    expect(await events({ action: "workspace.token_policy.update", workspaceId: workspace.id })).toHaveLength(0);
  });
});

/** A platform admin's token for the admin API: the opt-in `platform` scope, with `read` or `full`. */
const PLATFORM_READ = { scopes: ["read", "platform"] as TokenScope[] };
const PLATFORM_FULL = { scopes: ["full", "platform"] as TokenScope[] };

/** A workspace that applied for activation, and a platform admin with a token in their own workspace. */
async function reviewSetup() {
  const applicant = await makeWorkspace();
  await db().workspace.update({
    where: { id: applicant.workspace.id },
    data: { status: "requested", activationOrg: "Acme Labs", activationUseCase: "Training models on GPUs", requestedAt: new Date() },
  });
  const admin = await makePlatformAdmin();
  const home = await makeWorkspace({ active: true });
  await db().membership.create({ data: { workspaceId: home.workspace.id, userId: admin.userId, role: "member" } });
  return { applicant, admin, home };
}

describe("platform administration: activation requests", () => {
  it("lists requests (default), by status, for a platform admin's read-only or full token", async () => {
    const { applicant, admin, home } = await reviewSetup();
    const readOnly = await makeToken(admin, home.workspace.id, { ...PLATFORM_READ });
    const res = await send("admin.listActivationRequests", { auth: readOnly.value });
    expect(res.status).toBe(200);
    const listed = (res.json.data as { id: string; status: string; createdBy: string; members: number }[]).find((w) => w.id === applicant.workspace.id);
    expect(listed).toMatchObject({ status: "requested", createdBy: applicant.owner.email, members: 1, role: null });
    expect((res.json.data as { status: string }[]).every((w) => w.status === "requested")).toBe(true);
    const active = await send("admin.listActivationRequests", { auth: readOnly.value, query: { status: "active" } });
    expect((active.json.data as { id: string }[]).map((w) => w.id)).toContain(home.workspace.id);
    const bad = await send("admin.listActivationRequests", { auth: readOnly.value, query: { status: "everything" } });
    expect(bad.status).toBe(422);
    expect(errorOf(bad).details?.[0]?.path).toBe("status");
  });

  it("approves and rejects with a platform admin's full token: the token is the audited actor, its creator the reviewer", async () => {
    const { applicant, admin, home } = await reviewSetup();
    const token = await makeToken(admin, home.workspace.id, { ...PLATFORM_FULL });
    const params = { workspaceId: applicant.workspace.id };
    const missingReason = await send("admin.reviewActivation", { auth: token.value, params, body: { decision: "reject" } });
    expect(missingReason.status).toBe(422);
    expect(errorOf(missingReason).details?.[0]?.path).toBe("reason");
    expect((await send("admin.reviewActivation", { auth: token.value, params, body: { decision: "maybe" } })).status).toBe(422);
    expect((await workspaceRow(applicant.workspace.id))?.status).toBe("requested");

    const rejected = await send("admin.reviewActivation", { auth: token.value, params, body: { decision: "reject", reason: "Tell us more" } });
    expect(rejected.status).toBe(200);
    expect(rejected.json).toMatchObject({ status: "rejected", role: null, activation: { rejectionReason: "Tell us more" } });
    expect((await send("admin.reviewActivation", { auth: token.value, params, body: { decision: "approve" } })).status).toBe(409);
    await db().workspace.update({ where: { id: applicant.workspace.id }, data: { status: "requested" } });
    const approved = await send("admin.reviewActivation", { auth: token.value, params, body: { decision: "approve" } });
    expect(approved.json).toMatchObject({ status: "active" });
    expect((await workspaceRow(applicant.workspace.id))?.reviewedById).toBe(admin.userId);
    const audited = await db().auditEvent.findMany({ where: { workspaceId: applicant.workspace.id, action: { startsWith: "workspace.activation." } }, orderBy: { createdAt: "asc" } });
    expect(audited.map((e) => [e.action, e.result, e.actorType, e.actorId])).toEqual([
      ["workspace.activation.reject", "success", "token", token.id],
      ["workspace.activation.approve", "success", "token", token.id],
    ]);
    const unknown = await send("admin.reviewActivation", { auth: token.value, params: { workspaceId: "c".repeat(25) }, body: { decision: "approve" } });
    expect(unknown.status).toBe(404);
  });

  it("refuses everyone else with 403 and changes nothing: a non-admin's token, a read-only admin token on a write, a workspace token, an admin demoted or disabled since", async () => {
    const { applicant, admin, home } = await reviewSetup();
    const params = { workspaceId: applicant.workspace.id };
    const body = { decision: "approve" as const };
    // The applicant's owner (owner of a workspace, not of the platform).
    const owner = await makeToken(applicant.owner, applicant.workspace.id);
    expect((await send("admin.listActivationRequests", { auth: owner.value })).status).toBe(403);
    expect((await send("admin.reviewActivation", { auth: owner.value, params, body })).status).toBe(403);
    // Probing the admin endpoints leaves a trace: each refusal is audited as denied, with the token as the actor.
    const denials = await db().auditEvent.findMany({ where: { actorId: owner.actor.tokenId, result: "denied" }, orderBy: { createdAt: "asc" } });
    expect(denials.map((e) => [e.action, e.actorType, e.workspaceId])).toEqual([
      ["workspace.activation.list", "token", null],
      ["workspace.activation.review", "token", null],
    ]);
    const readOnly = await makeToken(admin, home.workspace.id, { ...PLATFORM_READ });
    expect((await send("admin.reviewActivation", { auth: readOnly.value, params, body })).status).toBe(403);
    // A workspace token of a workspace the admin owns acts for no user.
    const adminOwned = await makeWorkspace({ active: true });
    await db().membership.create({ data: { workspaceId: adminOwned.workspace.id, userId: admin.userId, role: "owner" } });
    const wsToken = await makeToken(admin, adminOwned.workspace.id, { kind: "workspace", role: "owner" });
    expect((await send("admin.listActivationRequests", { auth: wsToken.value })).status).toBe(403);
    expect((await send("admin.reviewActivation", { auth: wsToken.value, params, body })).status).toBe(403);

    // Demoted: the flag is read at each request, not when the token was made.
    const full = await makeToken(admin, home.workspace.id, { ...PLATFORM_FULL });
    expect((await send("admin.listActivationRequests", { auth: full.value })).status).toBe(200);
    await db().user.update({ where: { id: admin.userId }, data: { isPlatformAdmin: false } });
    expect((await send("admin.listActivationRequests", { auth: full.value })).status).toBe(403);
    expect((await send("admin.reviewActivation", { auth: full.value, params, body })).status).toBe(403);
    // Disabled: the token no longer authenticates (401), and the service refuses such a token's actor too.
    await db().user.update({ where: { id: admin.userId }, data: { isPlatformAdmin: true, disabledAt: new Date() } });
    const disabled = await send("admin.reviewActivation", { auth: full.value, params, body });
    expect(disabled.status).toBe(401);
    expect(await code(reviewActivation(full.actor, applicant.workspace.id, body))).toBe("FORBIDDEN");
    expect(await code(listWorkspacesForReview(full.actor))).toBe("FORBIDDEN");

    expect((await workspaceRow(applicant.workspace.id))?.status).toBe("requested");
    expect(await db().auditEvent.count({ where: { workspaceId: applicant.workspace.id, action: { in: ["workspace.activation.approve", "workspace.activation.reject"] } } })).toBe(0);
  });
});

describe("platform administration: users", () => {
  it("lists users for a platform admin's read-only token, and refuses others", async () => {
    const { admin, home, applicant } = await reviewSetup();
    const readOnly = await makeToken(admin, home.workspace.id, { ...PLATFORM_READ });
    const res = await send("admin.listUsers", { auth: readOnly.value });
    expect(res.status).toBe(200);
    const users = res.json.data as { id: string; email: string; isPlatformAdmin: boolean; disabledAt: string | null }[];
    expect(users.find((u) => u.id === admin.userId)).toMatchObject({ email: admin.email, isPlatformAdmin: true, disabledAt: null });
    expect(users.find((u) => u.id === applicant.owner.userId)).toMatchObject({ isPlatformAdmin: false });
    expect(res.text).not.toMatch(/passwordHash/);
    const owner = await makeToken(applicant.owner, applicant.workspace.id);
    expect((await send("admin.listUsers", { auth: owner.value })).status).toBe(403);
    const wsToken = await makeToken(home.owner, home.workspace.id, { kind: "workspace", role: "owner" });
    expect((await send("admin.listUsers", { auth: wsToken.value })).status).toBe(403);
    await db().user.update({ where: { id: admin.userId }, data: { isPlatformAdmin: false } });
    expect((await send("admin.listUsers", { auth: readOnly.value })).status).toBe(403);
  });

  it("searches users by email or name (case-insensitive) and pages through them with the cursor, in a stable order", async () => {
    const { admin, home } = await reviewSetup();
    const token = await makeToken(admin, home.workspace.id, { ...PLATFORM_READ });
    const tag = uniq();
    // Five users that share a tag (in the address or only in the name), created at the same moment: ties are ordered by id.
    const at = new Date();
    const made = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        db().user.create({ data: i % 2 ? { email: `u${i}-${tag}@example.test`, createdAt: at } : { email: `plain${i}-${uniq()}@example.test`, name: `Grace ${tag.toUpperCase()} ${i}`, createdAt: at } }),
      ),
    );
    const byQuery = await send("admin.listUsers", { auth: token.value, query: { q: tag.toUpperCase() } });
    expect(byQuery.status).toBe(200);
    const found = (byQuery.json.data as { id: string }[]).map((u) => u.id);
    expect(found.sort()).toEqual(made.map((u) => u.id).sort());
    expect(byQuery.json.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 5; pages++) {
      const res: Sent = await send("admin.listUsers", { auth: token.value, query: { q: tag, limit: "2", ...(cursor ? { cursor } : {}) } });
      expect(res.status).toBe(200);
      const ids = (res.json.data as { id: string }[]).map((u) => u.id);
      expect(ids.length).toBeLessThanOrEqual(2);
      seen.push(...ids);
      cursor = res.json.nextCursor as string | null;
      if (!cursor) break;
    }
    expect(seen).toEqual([...made.map((u) => u.id)].sort());
    expect(await listUsers(admin, { q: "no-such-user-anywhere" })).toEqual({ data: [], nextCursor: null });

    // % and _ are characters, not LIKE wildcards: "%" and "_" alone find only addresses or names
    // that hold them, and "a_b" does not find "axb" (pages stay exact when rows are skipped).
    const odd = uniq();
    const literal = await db().user.create({ data: { email: `x_${odd}@example.test`, name: `Percent 100% ${odd}` } });
    await db().user.create({ data: { email: `xy${odd}@example.test` } });
    const ids = async (q: string, limit = "50") => ((await send("admin.listUsers", { auth: token.value, query: { q, limit } })).json.data as { id: string }[]).map((u) => u.id);
    expect(await ids(`x_${odd}`)).toEqual([literal.id]);
    expect(await ids(`100% ${odd}`)).toEqual([literal.id]);
    expect(await ids(`x_${odd}`, "1")).toEqual([literal.id]);
    expect(await ids(`_${odd}@`)).toEqual([literal.id]);
    for (const u of await listUsers(admin, { q: "%", limit: 200 }).then((r) => r.data)) expect(`${u.email} ${u.name ?? ""}`).toContain("%");

    // Bad query parameters: a 422 naming the field.
    for (const query of [{ cursor: "not a cursor" } as Record<string, string>, { cursor: Buffer.from("yesterday|x").toString("base64url") }, { limit: "0" }, { limit: "many" }, { q: "x".repeat(201) }, { other: "1" }]) {
      const res = await send("admin.listUsers", { auth: token.value, query });
      expect(res.status, JSON.stringify(query)).toBe(422);
    }
  });

  it("SES-05: disables a user (sessions end, user tokens stop) and enables them again; audited with the token as the actor", async () => {
    const { admin, home, applicant } = await reviewSetup();
    const token = await makeToken(admin, home.workspace.id, { ...PLATFORM_FULL });
    const target = applicant.owner;
    const targetToken = await makeToken(target, applicant.workspace.id);
    const session = await createSession(target.userId, meta());
    const params = { userId: target.userId };

    const off = await send("admin.updateUser", { auth: token.value, params, body: { disabled: true } });
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({ id: target.userId, email: target.email, disabledAt: expect.any(String) });
    expect(await resolveSession(session.value, meta())).toBeNull();
    expect((await send("me.get", { auth: targetToken.value })).status).toBe(401);
    const on = await send("admin.updateUser", { auth: token.value, params, body: { disabled: false } });
    expect(on.json).toMatchObject({ id: target.userId, disabledAt: null });
    expect((await send("me.get", { auth: targetToken.value })).status).toBe(200);
    const audited = await db().auditEvent.findMany({ where: { targetId: target.userId, action: { in: ["user.disable", "user.enable"] } }, orderBy: { createdAt: "asc" } });
    expect(audited.map((e) => [e.action, e.actorType, e.actorId, e.workspaceId])).toEqual([
      ["user.disable", "token", token.id, null],
      ["user.enable", "token", token.id, null],
    ]);
  });

  it("refuses a non-admin, a read-only admin token, the admin's own account, invalid input and unknown users; nothing changes", async () => {
    const { admin, home, applicant } = await reviewSetup();
    const target = applicant.owner.userId;
    const params = { userId: target };
    const body = { disabled: true };
    const owner = await makeToken(home.owner, home.workspace.id);
    expect((await send("admin.updateUser", { auth: owner.value, params, body })).status).toBe(403);
    const readOnly = await makeToken(admin, home.workspace.id, { ...PLATFORM_READ });
    expect((await send("admin.updateUser", { auth: readOnly.value, params, body })).status).toBe(403);
    const full = await makeToken(admin, home.workspace.id, { ...PLATFORM_FULL });
    const self = await send("admin.updateUser", { auth: full.value, params: { userId: admin.userId }, body });
    expect(self.status).toBe(400);
    for (const bad of [{ disabled: "yes" }, {}, { disabled: true, isPlatformAdmin: true }]) {
      const res = await send("admin.updateUser", { auth: full.value, params, body: bad });
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(errorOf(res).code).toBe("VALIDATION_FAILED");
    }
    expect((await send("admin.updateUser", { auth: full.value, params: { userId: "c".repeat(25) }, body })).status).toBe(404);
    expect((await send("admin.updateUser", { auth: full.value, params: { userId: "not-an-id" }, body })).status).toBe(404);
    // A disabled admin's token: 401 at the door; its actor is refused by the service as well.
    await db().user.update({ where: { id: admin.userId }, data: { disabledAt: new Date() } });
    expect((await send("admin.updateUser", { auth: full.value, params, body })).status).toBe(401);
    expect(await code(setUserDisabled(full.actor, target, true))).toBe("FORBIDDEN");
    expect(await code(listUsers(full.actor))).toBe("FORBIDDEN");
    expect((await db().user.findUnique({ where: { id: target } }))?.disabledAt).toBeNull();
    expect((await db().user.findUnique({ where: { id: admin.userId } }))?.isPlatformAdmin).toBe(true);
    expect(await db().auditEvent.count({ where: { action: { in: ["user.disable", "user.enable"] }, result: "success", targetId: { in: [target, admin.userId] } } })).toBe(0);
    // The non-admin's and the read-only token's attempts are audited as denied.
    expect(await db().auditEvent.count({ where: { action: "user.disable", result: "denied", actorId: { in: [owner.actor.tokenId, readOnly.actor.tokenId] } } })).toBe(2);
  });
});

describe("platform administration: the opt-in platform scope", () => {
  it("refuses a platform admin's full token without the platform scope on every admin endpoint (403, audited, nothing changes)", async () => {
    const { applicant, admin, home } = await reviewSetup();
    const plain = await makeToken(admin, home.workspace.id, { scopes: ["full"] });
    const calls = [
      { id: "admin.listActivationRequests", opts: {} },
      { id: "admin.reviewActivation", opts: { params: { workspaceId: applicant.workspace.id }, body: { decision: "approve" } } },
      { id: "admin.listUsers", opts: {} },
      { id: "admin.updateUser", opts: { params: { userId: applicant.owner.userId }, body: { disabled: true } } },
    ] as const;
    for (const { id, opts } of calls) {
      const res = await send(id, { auth: plain.value, ...opts });
      expect(res.status, id).toBe(403);
      expect(errorOf(res).message, id).toMatch(/platform scope/);
    }
    const denials = await db().auditEvent.findMany({ where: { actorId: plain.id, result: "denied" }, orderBy: { createdAt: "asc" } });
    expect(denials.map((e) => [e.action, e.actorType, e.workspaceId])).toEqual([
      ["workspace.activation.list", "token", null],
      ["workspace.activation.review", "token", null],
      ["user.list", "token", null],
      ["user.disable", "token", null],
    ]);
    expect((await workspaceRow(applicant.workspace.id))?.status).toBe("requested");
    expect((await db().user.findUnique({ where: { id: applicant.owner.userId } }))?.disabledAt).toBeNull();
    // The same admin's platform token passes, and the service refuses the plain token's actor too.
    expect((await send("admin.listUsers", { auth: (await makeToken(admin, home.workspace.id, { ...PLATFORM_READ })).value })).status).toBe(200);
    expect(await code(listUsers(plain.actor))).toBe("FORBIDDEN");
  });

  it("grants nothing in the workspace: a read + platform token stays read-only there and for its user", async () => {
    const { admin, home } = await reviewSetup();
    const token = await makeToken(admin, home.workspace.id, { ...PLATFORM_READ });
    expect((await send("workspaces.get", { auth: token.value, params: { workspaceId: home.workspace.id } })).status).toBe(200);
    expect((await send("workspaces.create", { auth: token.value, body: { name: "Not with read" } })).status).toBe(403);
    expect((await send("me.signOutEverywhere", { auth: token.value })).status).toBe(403);
    const me = await send("me.get", { auth: token.value });
    expect(me.json).toMatchObject({ token: { scopes: ["read", "platform"] }, user: { isPlatformAdmin: true } });
  });

  it("is minted only by a platform admin (re-read now), only on user tokens, within the workspace's maximum lifetime", async () => {
    const { admin, home } = await reviewSetup();
    const ws = home.workspace.id;
    const before = await db().token.count({ where: { workspaceId: ws } });
    // A member who is not a platform admin: 403 from the service and the dashboard action, audited, nothing created.
    const member = home.owner;
    expect(await code(createToken(member, ws, { name: "sneaky", scopes: ["full", "platform"] }))).toBe("FORBIDDEN");
    const viaAction = await actions.createTokenAction.run(member, { workspaceId: ws, token: { name: "sneaky", scopes: ["read", "platform"] } });
    expect(viaAction).toMatchObject({ ok: false, error: { code: "FORBIDDEN", message: expect.stringMatching(/platform scope/) } });
    // A session whose snapshot still says platform admin, demoted in the database since.
    await db().user.update({ where: { id: admin.userId }, data: { isPlatformAdmin: false } });
    expect(await code(createToken(admin, ws, { name: "stale", scopes: ["full", "platform"] }))).toBe("FORBIDDEN");
    await db().user.update({ where: { id: admin.userId }, data: { isPlatformAdmin: true } });
    expect(await db().token.count({ where: { workspaceId: ws } })).toBe(before);
    const denied = await db().auditEvent.findMany({ where: { workspaceId: ws, action: "token.create", result: "denied" }, orderBy: { createdAt: "asc" } });
    expect(denied.map((e) => [e.actorId, e.targetType])).toEqual([
      [member.userId, "token"],
      [member.userId, "token"],
      [admin.userId, "token"],
    ]);
    // Workspace and workload tokens never carry it (422, whoever asks); nor does a token without read or full.
    const ownerOfAdmins = await makeWorkspace({ active: true });
    await db().membership.create({ data: { workspaceId: ownerOfAdmins.workspace.id, userId: admin.userId, role: "owner" } });
    for (const input of [
      { kind: "workspace" as const, name: "svc", role: "member" as const, scopes: ["full", "platform"] as TokenScope[] },
      { kind: "workload" as const, name: "wl", scopes: ["read", "platform"] as TokenScope[] },
      { kind: "user" as const, name: "bare", scopes: ["platform"] as TokenScope[] },
    ]) {
      expect(await code(createToken(admin, ownerOfAdmins.workspace.id, input)), input.kind).toBe("VALIDATION_FAILED");
    }
    const overApi = await send("tokens.create", {
      auth: (await makeToken(admin, ownerOfAdmins.workspace.id)).value,
      params: { workspaceId: ownerOfAdmins.workspace.id },
      body: { kind: "workspace", name: "svc", role: "member", scopes: ["full", "platform"] },
    });
    expect(overApi.status).toBe(422);
    expect(errorOf(overApi).details?.[0]?.path).toBe("scopes");
    expect(await db().token.count({ where: { workspaceId: ownerOfAdmins.workspace.id, scopes: { contains: "platform" } } })).toBe(0);
    // A platform admin gets one, and its lifetime still obeys the workspace's maximum.
    await db().workspace.update({ where: { id: ws }, data: { maxTokenLifetimeDays: 30 } });
    expect(await code(createToken(admin, ws, { name: "long", expiresInDays: 31, ...PLATFORM_FULL }))).toBe("VALIDATION_FAILED");
    const ok = await actions.createTokenAction.run(admin, { workspaceId: ws, token: { name: "admin CLI", expiresInDays: 30, ...PLATFORM_FULL } });
    expect(ok).toMatchObject({ ok: true, data: { kind: "user", scopes: ["full", "platform"] } });
  });

  it("is renewed or renamed only by its creator: a workspace admin gets 403 (audited) but can cancel or delete it", async () => {
    const { admin, home } = await reviewSetup();
    const ws = home.workspace.id;
    const wsAdmin = await makeUser("ws-admin");
    await db().membership.create({ data: { workspaceId: ws, userId: wsAdmin.userId, role: "admin" } });
    const adminsToken = await makeToken(wsAdmin, ws);
    const platform = await makeToken(admin, ws, { name: "admin CLI", expiresInDays: 7, ...PLATFORM_FULL });
    const plain = await makeToken(admin, ws, { name: "plain", expiresInDays: 7 });
    const params = { workspaceId: ws, tokenId: platform.id };
    const row = () => db().token.findUniqueOrThrow({ where: { id: platform.id } });
    const expiresAt = (await row()).expiresAt.getTime();

    // What the dashboard offers comes from the same rule.
    expect(tokenActionsFor(wsAdmin, "admin", await row())).toEqual(["cancel", "delete"]);
    expect(tokenActionsFor(wsAdmin, "admin", await db().token.findUniqueOrThrow({ where: { id: plain.id } }))).toEqual(["rename", "renew", "cancel", "delete"]);
    expect(tokenActionsFor(admin, "member", await row())).toEqual(["rename", "renew", "cancel", "delete"]);

    const renew = await send("tokens.update", { auth: adminsToken.value, params, body: { action: "renew", expiresInDays: 90 } });
    expect(renew.status).toBe(403);
    expect(errorOf(renew).message).toMatch(/platform scope/);
    const rename = await send("tokens.update", { auth: adminsToken.value, params, body: { action: "rename", name: "mine now" } });
    expect(rename.status).toBe(403);
    expect(await code(updateToken(wsAdmin, ws, platform.id, { action: "renew", expiresInDays: 90 }))).toBe("FORBIDDEN");
    expect(await row()).toMatchObject({ name: "admin CLI", expiresAt: new Date(expiresAt), status: "active" });
    const denied = await db().auditEvent.findMany({ where: { targetId: platform.id, result: "denied" }, orderBy: { createdAt: "asc" } });
    expect(denied.map((e) => [e.action, e.actorId])).toEqual([
      ["token.renew", adminsToken.id],
      ["token.rename", adminsToken.id],
      ["token.renew", wsAdmin.userId],
    ]);
    // The workspace admin still manages the admin's other tokens as before.
    expect((await send("tokens.update", { auth: adminsToken.value, params: { ...params, tokenId: plain.id }, body: { action: "renew", expiresInDays: 30 } })).status).toBe(200);

    // The creator's plain token (stolen, say) cannot keep it alive either.
    expect((await send("tokens.update", { auth: plain.value, params, body: { action: "renew", expiresInDays: 7 } })).status).toBe(403);
    expect(tokenActionsFor(plain.actor, "member", await row())).toEqual(["cancel", "delete"]);
    // The creator renews and renames it: in the dashboard, or with a platform token of their own.
    expect(await code(updateToken(admin, ws, platform.id, { action: "renew", expiresInDays: 30 }))).toBe("OK");
    expect((await send("tokens.update", { auth: platform.value, params, body: { action: "rename", name: "admin laptop" } })).status).toBe(200);
    expect(await row()).toMatchObject({ name: "admin laptop" });

    // Taking access away is always allowed: the workspace admin cancels it, and it stops at once.
    const cancel = await send("tokens.update", { auth: adminsToken.value, params, body: { action: "cancel" } });
    expect(cancel.status).toBe(200);
    expect(cancel.json).toMatchObject({ status: "cancelled", scopes: ["full", "platform"] });
    expect((await send("admin.listUsers", { auth: platform.value })).status).toBe(401);
    expect((await send("tokens.delete", { auth: adminsToken.value, params })).status).toBe(200);
    expect(await db().token.findUnique({ where: { id: platform.id } })).toBeNull();
  });
});

describe("GET /api/v1/me", () => {
  it("answers who a user token acts as, now, without the token's value", async () => {
    const { workspace, owner, members } = await makeWorkspace({ active: true, roles: ["admin"] });
    await db().user.update({ where: { id: members.admin!.userId }, data: { name: "Ada" } });
    const token = await makeToken(members.admin!, workspace.id, { name: "laptop CLI", scopes: ["read"] });
    const res = await send("me.get", { auth: token.value });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      user: { id: members.admin!.userId, email: members.admin!.email, name: "Ada", isPlatformAdmin: false },
      token: { id: token.id, kind: "user", name: "laptop CLI", scopes: ["read"], role: null, workloadId: null, workloadName: null, expiresAt: expect.any(String) },
      workspace: { id: workspace.id, name: "Acme", status: "active", role: "admin" },
    });
    expect(res.text).not.toContain(token.value);
    expect(res.text).not.toContain(token.value.slice(-20));
    // Demoted and made a platform admin: the next answer says so.
    await db().membership.update({ where: { workspaceId_userId: { workspaceId: workspace.id, userId: members.admin!.userId } }, data: { role: "viewer" } });
    await db().user.update({ where: { id: members.admin!.userId }, data: { isPlatformAdmin: true } });
    const after = await send("me.get", { auth: token.value });
    expect(after.json).toMatchObject({ user: { isPlatformAdmin: true }, workspace: { role: "viewer" } });
    expect(owner.userId).not.toBe(members.admin!.userId);
  });

  it("answers user null for workspace and workload tokens, with their role and workload", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const wl = await db().workload.create({ data: { workspaceId: workspace.id, name: `wl-${uniq()}`, kind: "job" } });
    const wsToken = await makeToken(owner, workspace.id, { kind: "workspace", role: "member", name: "ci" });
    const wlToken = await makeToken(owner, workspace.id, { kind: "workload", workloadId: wl.id, name: "runner" });
    const a = await send("me.get", { auth: wsToken.value });
    expect(a.json).toMatchObject({ user: null, token: { kind: "workspace", name: "ci", role: "member", workloadId: null, workloadName: null }, workspace: { id: workspace.id, role: "member" } });
    const b = await send("me.get", { auth: wlToken.value });
    expect(b.json).toMatchObject({ user: null, token: { kind: "workload", name: "runner", role: null, workloadId: wl.id, workloadName: wl.name }, workspace: { role: null } });
    expect((await send("me.get", { auth: null })).status).toBe(401);
  });
});

describe("POST /api/v1/me/sign-out-everywhere", () => {
  it("ends every dashboard session of a full user token's creator; audited with the token as the actor", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const a = await createSession(owner.userId, meta());
    const b = await createSession(owner.userId, meta());
    const token = await makeToken(owner, workspace.id);
    const res = await send("me.signOutEverywhere", { auth: token.value });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ sessions: 2 });
    expect(await resolveSession(a.value, meta())).toBeNull();
    expect(await resolveSession(b.value, meta())).toBeNull();
    const [event] = await events({ action: "user.sessions_revoke", targetId: owner.userId });
    expect(event).toMatchObject({ actorType: "token", actorId: token.id, workspaceId: null, metadata: JSON.stringify({ sessions: 2 }) });
    // API tokens keep working.
    expect((await send("me.get", { auth: token.value })).status).toBe(200);
  });

  it("refuses read-only, workspace and workload tokens (403); the sessions stay", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const session = await createSession(owner.userId, meta());
    const tokens = [
      await makeToken(owner, workspace.id, { scopes: ["read"] }),
      await makeToken(owner, workspace.id, { kind: "workspace", role: "owner" }),
      await makeToken(owner, workspace.id, { kind: "workload" }),
    ];
    for (const t of tokens) {
      const res = await send("me.signOutEverywhere", { auth: t.value });
      expect(res.status, t.actor.kind).toBe(403);
      expect(errorOf(res).code).toBe("FORBIDDEN");
    }
    expect(await resolveSession(session.value, meta())).not.toBeNull();
    expect(await db().auditEvent.count({ where: { action: "user.sessions_revoke", targetId: owner.userId } })).toBe(0);
    // Each refusal is audited as denied, with the token as the actor.
    expect(await db().auditEvent.count({ where: { action: "user.sessions_revoke", result: "denied", actorId: { in: tokens.map((t) => t.id) } } })).toBe(tokens.length);
  });
});

describe("the dashboard actions behind the same services", () => {
  it("still answer as before for a session user", async () => {
    const root = await makePlatformAdmin();
    const user = await makeUser("plain");
    const created = await actions.createWorkspaceAction.run(user, { name: "From the dashboard" });
    expect(created).toMatchObject({ ok: true, data: { name: "From the dashboard", role: "owner" } });
    expect(await actions.setUserDisabledAction.run(root, { userId: user.userId, disabled: true })).toEqual({ ok: true, data: { ok: true } });
    expect(await actions.setUserDisabledAction.run(user, { userId: root.userId, disabled: true })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const session = await createSession(root.userId, meta());
    expect(await actions.signOutEverywhereAction.run(root, {})).toEqual({ ok: true, data: { sessions: 1 } });
    expect(await resolveSession(session.value, meta())).toBeNull();
  });
});

function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "OK",
    (e: unknown) => (e instanceof AppError ? e.code : `THREW ${(e as Error)?.message}`),
  );
}
