// SEC-14: run-time injection takes a workload-scoped, short-lived (≤15 min) credential limited to
// one workspace and one workload. A workload token exchanges itself for one; the env endpoint
// takes nothing else, and re-reads the parent token on every call.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as ISSUE } from "@/app/api/v1/workspaces/[workspaceId]/workloads/[workloadId]/credentials/route";
import { GET as ENV } from "@/app/api/v1/workspaces/[workspaceId]/workloads/[workloadId]/env/route";
import { GET as LIST_WORKLOADS } from "@/app/api/v1/workspaces/[workspaceId]/workloads/route";
import { checkCredentialValue, CREDENTIAL_PREFIX, issueCredentialValue, MAX_CREDENTIAL_TTL_SECONDS } from "@/lib/auth/workload-credential";
import { resetConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { listAuditEvents } from "@/lib/services/audit";
import { createSecret } from "@/lib/services/secrets";
import { updateToken } from "@/lib/services/tokens";
import { createWorkload, deleteWorkload } from "@/lib/services/workloads";
import { makeToken, makeWorkspace } from "../helpers/fixtures";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies read field by field in assertions
type Json = Record<string, any>;
const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
// Each request from its own address: the per-address failure limit is not what is tested here.
let ipSeq = 1;
const from = () => ({ "x-tessera-client-ip": `10.9.${Math.floor(ipSeq / 250) % 250}.${ipSeq++ % 250}` });

async function setup() {
  const w = await makeWorkspace({ active: true, roles: ["member"] });
  const ws = w.workspace.id;
  const secret = await createSecret(w.owner, ws, { name: `api-${randomUUID().slice(0, 6)}`, value: "CANARY-credential-test", visibility: "public" });
  const workload = await createWorkload(w.owner, ws, { name: `wl-${randomUUID().slice(0, 8)}`, kind: "job", bindings: [{ envName: "API_KEY", secretId: secret.secret.id }, { envName: "MODE", value: "prod" }] });
  const other = await createWorkload(w.owner, ws, { name: `wl-${randomUUID().slice(0, 8)}`, kind: "pod" });
  const token = await makeToken(w.owner, ws, { kind: "workload", workloadId: workload.id });
  return { ...w, ws, workload, other, token };
}

async function issue(ws: string, workloadId: string, authorization: string, body?: unknown) {
  const headers: Record<string, string> = { authorization, ...from() };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await ISSUE(
    new Request(`http://localhost/api/v1/workspaces/${ws}/workloads/${workloadId}/credentials`, { method: "POST", headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) }),
    ctx({ workspaceId: ws, workloadId }),
  );
  return { status: res.status, body: (await res.json()) as Json };
}

async function env(ws: string, workloadId: string, authorization: string) {
  const res = await ENV(new Request(`http://localhost/api/v1/workspaces/${ws}/workloads/${workloadId}/env`, { headers: { authorization, ...from() } }), ctx({ workspaceId: ws, workloadId }));
  return { status: res.status, body: (await res.json()) as Json };
}

describe("SEC-14: short-lived workload credentials", () => {
  it("SEC-14: a bound workload token gets a ≤15-minute credential that opens this workload's environment only", async () => {
    const { ws, workload, other, token, owner } = await setup();
    const before = Date.now();
    const issued = await issue(ws, workload.id, `Bearer ${token.value}`);
    expect(issued.status).toBe(201);
    expect(issued.body.credential.startsWith(CREDENTIAL_PREFIX)).toBe(true);
    expect(issued.body.ttlSeconds).toBe(MAX_CREDENTIAL_TTL_SECONDS);
    const expires = new Date(issued.body.expiresAt).getTime();
    expect(expires - before).toBeLessThanOrEqual(15 * 60 * 1000 + 1000);
    expect(expires - before).toBeGreaterThan(14 * 60 * 1000);
    expect(issued.body).toMatchObject({ tokenId: token.id, workspaceId: ws, workloadId: workload.id });
    const cred = issued.body.credential as string;

    const ok = await env(ws, workload.id, `Bearer ${cred}`);
    expect(ok.status).toBe(200);
    expect(ok.body.env).toEqual({ API_KEY: "CANARY-credential-test", MODE: "prod" });
    expect(ok.body.secrets).toEqual(["API_KEY"]); // what `tessera run` redacts; literals are configuration

    // The long-lived workload token itself is refused by the env endpoint, with the way to go.
    const direct = await env(ws, workload.id, `Bearer ${token.value}`);
    expect(direct.status).toBe(403);
    expect(direct.body.error.message).toMatch(/short-lived workload credential.*POST …\/credentials/);
    // Another workload of the same workspace: 403. The same ids under another workspace: 404.
    expect((await env(ws, other.id, `Bearer ${cred}`)).status).toBe(403);
    const elsewhere = await makeWorkspace({ active: true });
    expect((await env(elsewhere.workspace.id, workload.id, `Bearer ${cred}`)).status).toBe(404);
    // Any other route: not a token at all.
    const list = await LIST_WORKLOADS(new Request(`http://localhost/api/v1/workspaces/${ws}/workloads`, { headers: { authorization: `Bearer ${cred}`, ...from() } }), ctx({ workspaceId: ws }));
    expect(list.status).toBe(401);
    expect((await list.json()).error.message).toBe("The bearer token is malformed");

    // Audited: the issue (with its expiry) and the resolution, never the credential or a value.
    const events = (await listAuditEvents(owner, ws, { action: "workload.", limit: 50 })).data;
    const issuedEvent = events.find((e) => e.action === "workload.credential.issue");
    expect(issuedEvent?.metadata).toMatchObject({ ttlSeconds: MAX_CREDENTIAL_TTL_SECONDS });
    expect(issuedEvent?.actorId).toBe(token.id);
    expect(events.filter((e) => e.action === "workload.env.resolve" && e.result === "success")).toHaveLength(1);
    expect(events.filter((e) => e.action === "workload.env.resolve" && e.result === "denied").length).toBeGreaterThanOrEqual(2);
    const dump = JSON.stringify(events);
    expect(dump).not.toContain(cred.slice(CREDENTIAL_PREFIX.length, CREDENTIAL_PREFIX.length + 20));
    expect(dump).not.toContain(cred.split(".")[1]);
    expect(dump).not.toContain("CANARY-credential-test");
  });

  it("concurrent calls are each audited (group commit): one event per call, with the right time", async () => {
    const { ws, workload, token, owner } = await setup();
    const cred = (await issue(ws, workload.id, `Bearer ${token.value}`)).body.credential as string;
    const results = await Promise.all(Array.from({ length: 40 }, () => env(ws, workload.id, `Bearer ${cred}`)));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    const events = (await listAuditEvents(owner, ws, { action: "workload.env.resolve", limit: 100 })).data;
    expect(events).toHaveLength(40);
    expect(new Set(events.map((e) => e.id)).size).toBe(40);
    for (const e of events) {
      expect(Math.abs(new Date(e.createdAt).getTime() - Date.now())).toBeLessThan(60_000);
      expect(e).toMatchObject({ actorType: "token", actorId: token.id, targetId: workload.id, result: "success", metadata: { variables: ["API_KEY", "MODE"] } });
    }
  });

  it("a shorter lifetime may be asked for; a bad one is a 400/422 that issues nothing; it never outlives its token", async () => {
    const { ws, workload, token, owner } = await setup();
    const short = await issue(ws, workload.id, `Bearer ${token.value}`, { ttlSeconds: 120 });
    expect(short.status).toBe(201);
    expect(short.body.ttlSeconds).toBe(120);
    const count = async () => (await listAuditEvents(owner, ws, { action: "workload.credential.issue", limit: 100 })).data.length;
    const n = await count();
    for (const body of [{ ttlSeconds: 30 }, { ttlSeconds: 901 }, { ttlSeconds: 86400 }, { ttlSeconds: 1.5 }, { ttlSeconds: "600" }, { ttlSeconds: -1 }, { ttl: 60 }, [], "null", "{", { ttlSeconds: 1e308 }]) {
      const res = await issue(ws, workload.id, `Bearer ${token.value}`, body);
      expect([400, 422], JSON.stringify(body)).toContain(res.status);
      expect(res.body.error.code).toBeTruthy();
      expect(res.body.credential).toBeUndefined();
    }
    expect(await count()).toBe(n);
    // A token that expires in 5 minutes gives at most 5 minutes.
    await db().token.update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() + 5 * 60 * 1000) } });
    const capped = await issue(ws, workload.id, `Bearer ${token.value}`);
    expect(capped.body.ttlSeconds).toBeLessThanOrEqual(300);
    expect(capped.body.ttlSeconds).toBeGreaterThan(290);
  });

  it("SEC-14: only a workload token bound to the workload can get one", async () => {
    const { ws, workload, other, owner, members } = await setup();
    const user = await makeToken(owner, ws, { kind: "user" });
    const wsToken = await makeToken(owner, ws, { kind: "workspace", role: "owner" });
    const otherBound = await makeToken(owner, ws, { kind: "workload", workloadId: other.id });
    const unassigned = await makeToken(owner, ws, { kind: "workload" });
    for (const t of [user, wsToken, otherBound, unassigned]) {
      const res = await issue(ws, workload.id, `Bearer ${t.value}`);
      expect(res.status).toBe(403);
      expect(res.body.credential).toBeUndefined();
    }
    const member = await makeToken(members.member!, ws, { kind: "user" });
    expect((await issue(ws, workload.id, `Bearer ${member.value}`)).status).toBe(403);
    // Another workspace's workload token: 404.
    const b = await setup();
    expect((await issue(ws, workload.id, `Bearer ${b.token.value}`)).status).toBe(404);
    expect((await issue(ws, workload.id, "Bearer tsr_wkl_nonsense")).status).toBe(401);
  });

  it("a forged, altered, expired or foreign-key credential is a 401 that says which", async () => {
    const { ws, workload, other, token } = await setup();
    const cred = (await issue(ws, workload.id, `Bearer ${token.value}`)).body.credential as string;
    const [body, sig] = cred.split(".") as [string, string];
    const claims = JSON.parse(Buffer.from(body.slice(CREDENTIAL_PREFIX.length), "base64url").toString());
    const reencode = (c: object) => CREDENTIAL_PREFIX + Buffer.from(JSON.stringify(c)).toString("base64url");
    const cases: [string, string][] = [
      // Claims rewritten to another workload or a later expiry, old signature: not recognised.
      [`${reencode({ ...claims, wl: other.id })}.${sig}`, "not recognised"],
      [`${reencode({ ...claims, exp: claims.exp + 3600 })}.${sig}`, "not recognised"],
      // Under a key id that is not configured.
      [`${reencode({ ...claims, k: "nope" })}.${sig}`, "not recognised"],
      // One character of the signature changed.
      [`${body}.${sig.slice(0, 10)}${sig[10] === "A" ? "B" : "A"}${sig.slice(11)}`, "not recognised"],
      // Shapes that cannot be credentials.
      [`${body}.`, "malformed"],
      [`${body}`, "malformed"],
      [`${CREDENTIAL_PREFIX}.${sig}`, "malformed"],
      [`${reencode({ ...claims, extra: 1 })}.${sig}`, "malformed"],
      [`${CREDENTIAL_PREFIX}${"A".repeat(2000)}.${sig}`, "malformed"],
      [`${CREDENTIAL_PREFIX}!!!.${sig}`, "malformed"],
    ];
    for (const [value, reason] of cases) {
      const res = await env(ws, workload.id, `Bearer ${value}`);
      expect(res.status, value.slice(0, 60)).toBe(401);
      expect(res.body.error.message).toContain(reason);
      expect(res.body.env).toBeUndefined();
    }
    // Correctly signed but past its expiry.
    const expired = issueCredentialValue({ tokenId: token.id, workspaceId: ws, workloadId: workload.id, expiresAt: new Date(Date.now() - 1000) });
    expect(checkCredentialValue(expired)).toEqual({ ok: false, reason: "expired" });
    const res = await env(ws, workload.id, `Bearer ${expired}`);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe("The bearer token has expired");
  });

  it("stops at once when its token is cancelled, expires or is rebound, or the workload is deleted", async () => {
    const { ws, workload, other, token, owner } = await setup();
    const credFor = async () => (await issue(ws, workload.id, `Bearer ${token.value}`)).body.credential as string;
    let cred = await credFor();
    // Rebound to another workload: 403 on the old one.
    await updateToken(owner, ws, token.id, { action: "reassign", workloadId: other.id });
    expect((await env(ws, workload.id, `Bearer ${cred}`)).status).toBe(403);
    await updateToken(owner, ws, token.id, { action: "reassign", workloadId: workload.id });
    expect((await env(ws, workload.id, `Bearer ${cred}`)).status).toBe(200);
    // The token expires: 401 expired.
    await db().token.update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await env(ws, workload.id, `Bearer ${cred}`)).body.error.message).toBe("The bearer token has expired");
    await db().token.update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() + 86400_000) } });
    cred = await credFor();
    // The workspace is suspended (no longer active): 403.
    await db().workspace.update({ where: { id: ws }, data: { status: "pending" } });
    expect((await env(ws, workload.id, `Bearer ${cred}`)).status).toBe(403);
    await db().workspace.update({ where: { id: ws }, data: { status: "active" } });
    expect((await env(ws, workload.id, `Bearer ${cred}`)).status).toBe(200);
    // Cancelled: 401 cancelled, at the very next request.
    await updateToken(owner, ws, token.id, { action: "cancel" });
    const cancelled = await env(ws, workload.id, `Bearer ${cred}`);
    expect(cancelled.status).toBe(401);
    expect(cancelled.body.error.message).toBe("The bearer token has been cancelled");
    // Deleting the workload cancels its tokens, and so their credentials.
    const t2 = await makeToken(owner, ws, { kind: "workload", workloadId: workload.id });
    const cred2 = (await issue(ws, workload.id, `Bearer ${t2.value}`)).body.credential as string;
    expect((await env(ws, workload.id, `Bearer ${cred2}`)).status).toBe(200);
    await deleteWorkload(owner, ws, workload.id);
    expect((await env(ws, workload.id, `Bearer ${cred2}`)).status).toBe(401);
  });

  it("credentials signed under a master key still verify while that key is configured, and stop when it is removed", async () => {
    const { ws, workload, token } = await setup();
    const cred = (await issue(ws, workload.id, `Bearer ${token.value}`)).body.credential as string;
    const oldKeys = process.env.TESSERA_MASTER_KEY!;
    try {
      process.env.TESSERA_MASTER_KEY = `c2:${Buffer.alloc(32, 77).toString("base64")},${oldKeys}`;
      resetConfig();
      expect(checkCredentialValue(cred).ok).toBe(true);
      expect(JSON.parse(Buffer.from(issueCredentialValue({ tokenId: "t", workspaceId: "w", workloadId: "l", expiresAt: new Date(Date.now() + 60_000) }).split(".")[0]!.slice(CREDENTIAL_PREFIX.length), "base64url").toString()).k).toBe("c2");
      process.env.TESSERA_MASTER_KEY = `c2:${Buffer.alloc(32, 77).toString("base64")}`;
      resetConfig();
      expect(checkCredentialValue(cred)).toEqual({ ok: false, reason: "unknown" });
    } finally {
      process.env.TESSERA_MASTER_KEY = oldKeys;
      resetConfig();
    }
  });
});
