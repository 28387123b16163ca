// The typed SDK (lib/sdk) against the production server: every resource through its namespace
// methods and `request`, dates decoded to Date, typed errors (404 envelope and request id, 422
// details, 401 without the token in the message), the audit log paginated and exported as a
// stream, and the transport: 429 and 503 retried as Retry-After says (seen through onRetry and a
// counting proxy), the server's own 429 (failed-auth limit) not waited for past the cap, a
// timeout and a cancellation.
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db/client";
import { Tessera, TesseraDownload, TesseraError, type RetryEvent } from "@/lib/sdk";
import { makeToken, makeWorkspace } from "../helpers/fixtures";
import { startServer, type RunningServer } from "../helpers/server";

const CANARY = `CANARY-sdk-${randomUUID()}`;
const MISSING_ID = "c".repeat(25);
let server: RunningServer;
let ws: string;
let token: string;
let memberId: string;
let tessera: Tessera;

/**
 * A proxy in front of the server that can answer the next requests itself (429 or 503 with a
 * Retry-After), hold them unanswered, or close the connection, and records what reaches it.
 */
type Plan = { status: 429 | 503; retryAfter?: string } | { hang: true } | { drop: true };
const proxy = {
  srv: undefined as Server | undefined,
  url: "",
  plans: [] as Plan[],
  seen: [] as string[],
  held: [] as ServerResponse[],
  arrived: new (class extends EventTarget {})(),
};

function forward(req: IncomingMessage, res: ServerResponse) {
  const target = new URL(server.url);
  const up = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  up.on("error", () => res.destroy());
  req.pipe(up);
}

async function startProxy() {
  proxy.srv = createServer((req, res) => {
    proxy.seen.push(`${req.method} ${req.url}`);
    proxy.arrived.dispatchEvent(new Event("request"));
    const plan = proxy.plans.shift();
    if (!plan) return forward(req, res);
    req.resume();
    if ("drop" in plan) return req.socket.destroy();
    if ("hang" in plan) {
      proxy.held.push(res);
      return;
    }
    const headers: Record<string, string> = { "content-type": "application/json", "x-request-id": `proxy-${proxy.seen.length}` };
    if (plan.retryAfter !== undefined) headers["retry-after"] = plan.retryAfter;
    const code = plan.status === 429 ? "RATE_LIMITED" : "SERVICE_UNAVAILABLE";
    res.writeHead(plan.status, headers).end(JSON.stringify({ error: { code, message: `${code} from the test proxy`, requestId: `proxy-${proxy.seen.length}` } }));
  });
  proxy.srv.listen(0, "127.0.0.1");
  await once(proxy.srv, "listening");
  proxy.url = `http://127.0.0.1:${(proxy.srv.address() as AddressInfo).port}`;
}

/** Resolves when the next request reaches the proxy. */
const nextArrival = () => new Promise<void>((resolve) => proxy.arrived.addEventListener("request", () => resolve(), { once: true }));

beforeAll(async () => {
  const w = await makeWorkspace({ active: true, roles: ["admin", "member"] });
  ws = w.workspace.id;
  memberId = w.members.member!.userId;
  token = (await makeToken(w.owner, ws, { name: "sdk owner" })).value;
  await closeDb();
  server = await startServer({
    DATABASE_URL: process.env.DATABASE_URL!,
    TESSERA_AUTH_SECRET: process.env.TESSERA_AUTH_SECRET!,
    TESSERA_MASTER_KEY: process.env.TESSERA_MASTER_KEY!,
    TESSERA_DATA_DIR: process.env.TESSERA_DATA_DIR!,
    TESSERA_LOG_LEVEL: "warn",
    // The server's own 429 (failed token checks per address and minute), reached in the last test.
    TESSERA_AUTH_FAILURE_LIMIT: "3",
  });
  await startProxy();
  tessera = new Tessera({ baseUrl: server.url, token });
}, 300_000);

afterAll(async () => {
  for (const res of proxy.held) res.destroy();
  proxy.srv?.closeAllConnections();
  proxy.srv?.close();
  await server?.stop();
});

describe("the SDK against the server", () => {
  it("workspaces and me: list, get, rename, settings; dates are Dates", async () => {
    const list = await tessera.workspaces.list();
    expect(list.data.map((w) => w.id)).toContain(ws);
    const got = await tessera.workspaces.get({ workspaceId: ws });
    expect(got.createdAt).toBeInstanceOf(Date);
    const renamed = await tessera.workspaces.rename({ workspaceId: ws, name: "SDK renamed" });
    expect(renamed.name).toBe("SDK renamed");
    // The same operation by id, params and body apart.
    const byId = await tessera.request("workspaces.get", { params: { workspaceId: ws } });
    expect(byId.name).toBe("SDK renamed");
    const policy = await tessera.workspaces.setWorkloadEnvPolicy({ workspaceId: ws, allowedEnvNames: ["LD_LIBRARY_PATH"] });
    expect(policy.allowedEnvNames).toEqual(["LD_LIBRARY_PATH"]);
    const me = await tessera.me.get();
    expect(me.token?.kind).toBe("user");
    expect(me.token?.expiresAt).toBeInstanceOf(Date);
  });

  it("members: list, change a role, remove", async () => {
    const members = await tessera.members.list({ workspaceId: ws });
    expect(members.data.map((m) => m.userId)).toContain(memberId);
    expect(members.data[0]!.joinedAt).toBeInstanceOf(Date);
    const changed = await tessera.members.updateRole({ workspaceId: ws, userId: memberId, role: "viewer" });
    expect(changed.role).toBe("viewer");
    const removed = await tessera.members.remove({ workspaceId: ws, userId: memberId });
    expect(removed.userId).toBe(memberId);
    expect((await tessera.members.list({ workspaceId: ws })).data.map((m) => m.userId)).not.toContain(memberId);
  });

  it("invitations: create, list (with a query), reissue, revoke", async () => {
    const created = await tessera.invitations.create({ workspaceId: ws, email: `invitee-${randomUUID().slice(0, 8)}@example.test`, role: "member" });
    expect(created.invitation.expiresAt).toBeInstanceOf(Date);
    expect(created.link).toContain("tsr_inv_");
    const pending = await tessera.invitations.list({ workspaceId: ws });
    expect(pending.data.map((i) => i.id)).toContain(created.invitation.id);
    const reissued = await tessera.invitations.reissue({ workspaceId: ws, invitationId: created.invitation.id, expiresInDays: 3 });
    expect(reissued.invitation.id).not.toBe(created.invitation.id);
    const revoked = await tessera.invitations.revoke({ workspaceId: ws, invitationId: reissued.invitation.id });
    expect(revoked.state).toBe("revoked");
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    const all = await tessera.invitations.list({ workspaceId: ws, state: "all" });
    expect(all.data.map((i) => i.id)).toEqual(expect.arrayContaining([created.invitation.id, reissued.invitation.id]));
  });

  it("tokens: create, list, get, update, delete, verify", async () => {
    const created = await tessera.tokens.create({ workspaceId: ws, kind: "workspace", name: "sdk-ci", role: "member", expiresInDays: 7 });
    expect(created.value).toMatch(/^tsr_/);
    expect(created.expiresAt).toBeInstanceOf(Date);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect((await tessera.tokens.list({ workspaceId: ws })).data.map((t) => t.id)).toContain(created.id);
    const got = await tessera.tokens.get({ workspaceId: ws, tokenId: created.id });
    expect(got).not.toHaveProperty("value");
    const renamed = await tessera.tokens.update({ workspaceId: ws, tokenId: created.id, action: "rename", name: "sdk-ci-2" });
    expect(renamed.name).toBe("sdk-ci-2");
    const verified = await new Tessera({ baseUrl: server.url }).tokens.verify({ token: created.value });
    expect(verified.valid).toBe(true);
    expect(await tessera.tokens.delete({ workspaceId: ws, tokenId: created.id })).toEqual({ id: created.id });
  });

  it("secrets: create, list, get, update, replace the value, match, delete", async () => {
    const name = `sdk-${randomUUID().slice(0, 8)}`;
    const created = await tessera.secrets.create({ workspaceId: ws, name, value: CANARY, visibility: "public", envName: "SDK_KEY" });
    const id = created.secret.id;
    expect(JSON.stringify(created)).not.toContain(CANARY);
    expect((await tessera.secrets.list({ workspaceId: ws })).data.map((s) => s.id)).toContain(id);
    const got = await tessera.secrets.get({ workspaceId: ws, secretId: id });
    expect(got.name).toBe(name);
    expect(got.createdAt).toBeInstanceOf(Date);
    expect((await tessera.secrets.update({ workspaceId: ws, secretId: id, envName: "SDK_KEY_2" })).envName).toBe("SDK_KEY_2");
    await tessera.secrets.replaceValue({ workspaceId: ws, secretId: id, value: `${CANARY}-2` });
    expect(await tessera.secrets.match({ workspaceId: ws, secretId: id, value: `${CANARY}-2` })).toEqual({ match: true });
    expect(await tessera.secrets.match({ workspaceId: ws, secretId: id, value: CANARY })).toEqual({ match: false });
    expect(await tessera.secrets.delete({ workspaceId: ws, secretId: id })).toEqual({ id });
  });

  it("workloads: create, list, get, update; a workload token's credential opens the environment; delete", async () => {
    const secret = await tessera.secrets.create({ workspaceId: ws, name: `wl-${randomUUID().slice(0, 8)}`, value: CANARY, visibility: "public" });
    const wl = await tessera.workloads.create({
      workspaceId: ws,
      name: `sdk-${randomUUID().slice(0, 8)}`,
      kind: "job",
      bindings: [
        { envName: "MODEL_KEY", secretId: secret.secret.id },
        { envName: "MODE", value: "sdk" },
      ],
    });
    expect(wl.createdAt).toBeInstanceOf(Date);
    expect((await tessera.workloads.list({ workspaceId: ws })).data.map((w) => w.id)).toContain(wl.id);
    expect((await tessera.workloads.get({ workspaceId: ws, workloadId: wl.id })).name).toBe(wl.name);
    expect((await tessera.workloads.update({ workspaceId: ws, workloadId: wl.id, description: "from the SDK" })).description).toBe("from the SDK");

    const workloadToken = await tessera.tokens.create({ workspaceId: ws, kind: "workload", name: "sdk-wl", workloadId: wl.id });
    const asWorkload = new Tessera({ baseUrl: server.url, token: workloadToken.value });
    const credential = await asWorkload.workloads.issueCredential({ workspaceId: ws, workloadId: wl.id, ttlSeconds: 120 });
    expect(credential.expiresAt).toBeInstanceOf(Date);
    expect(credential.ttlSeconds).toBe(120);
    // The environment endpoint takes the credential, given for this call only.
    const env = await asWorkload.workloads.resolveEnv({ workspaceId: ws, workloadId: wl.id }, { token: credential.credential });
    expect(env.env).toEqual({ MODEL_KEY: CANARY, MODE: "sdk" });
    expect(env.secrets).toEqual(["MODEL_KEY"]);

    expect(await tessera.workloads.delete({ workspaceId: ws, workloadId: wl.id })).toMatchObject({ id: wl.id });
  });

  it("audit: a page, every page through paginate, the export streamed as text chunks, retention", async () => {
    const first = await tessera.audit.list({ workspaceId: ws, limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.data[0]!.createdAt).toBeInstanceOf(Date);
    expect(first.nextCursor).toEqual(expect.any(String));

    const all = await tessera.audit.list({ workspaceId: ws, limit: 200 });
    expect(all.nextCursor).toBeNull();
    const walked: string[] = [];
    for await (const event of tessera.paginate("audit.list", { params: { workspaceId: ws }, query: { limit: 2 } })) {
      expect(event.createdAt).toBeInstanceOf(Date);
      walked.push(event.id);
    }
    // Two at a time, following nextCursor: the same events, in the same order, none twice.
    expect(walked).toEqual(all.data.map((e) => e.id));
    expect(walked.length).toBeGreaterThan(10);
    let pages = 0;
    for await (const page of tessera.pages("audit.list", { params: { workspaceId: ws }, query: { limit: 2, action: "secret." } })) {
      pages += 1;
      for (const e of page.data) expect(e.action).toMatch(/^secret\./);
    }
    expect(pages).toBeGreaterThan(1);

    const download = await tessera.audit.export({ workspaceId: ws, format: "jsonl" });
    expect(download).toBeInstanceOf(TesseraDownload);
    expect(download.contentType).toMatch(/^application\/x-ndjson/);
    expect(download.filename).toMatch(/\.jsonl$/);
    const chunks: string[] = [];
    for await (const chunk of download) chunks.push(chunk);
    const exported = chunks
      .join("")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; action: string });
    // The export itself is audited (before its first byte); the rest is what the list showed,
    // oldest first in the export, newest first in the list.
    expect(exported.at(-1)!.action).toBe("audit.export");
    expect(exported.slice(0, -1).map((e) => e.id)).toEqual([...all.data.map((e) => e.id)].reverse());
    expect(chunks.join("")).not.toContain(CANARY);

    const csv = await tessera.request("audit.export", { params: { workspaceId: ws }, query: { format: "csv", action: "token." } });
    expect(csv.contentType).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text.split("\n")[0]).toMatch(/action/);
    expect(text).toContain("token.create");

    expect(await tessera.audit.setRetention({ workspaceId: ws, days: 365 })).toMatchObject({ days: 365 });
  });

  it("errors are typed: 404 with the envelope's code and request id, 422 with details, 401 without the token", async () => {
    const notFound = await tessera.tokens.get({ workspaceId: ws, tokenId: MISSING_ID }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(TesseraError);
    const nf = notFound as TesseraError;
    expect(nf).toMatchObject({ status: 404, code: "NOT_FOUND", operationId: "tokens.get" });
    expect(nf.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(nf.message).toMatch(/not found/i);

    const invalid = (await tessera.tokens.create({ workspaceId: ws, name: "" }).catch((e: unknown) => e)) as TesseraError;
    expect(invalid).toMatchObject({ status: 422, code: "VALIDATION_FAILED" });
    expect(invalid.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: "name" })]));

    const badToken = `tsr_usr_${"x".repeat(40)}`;
    const unauthorized = (await new Tessera({ baseUrl: server.url, token: badToken })
      .request("workspaces.list")
      .catch((e: unknown) => e)) as TesseraError;
    expect(unauthorized).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    for (const shown of [unauthorized.message, String(unauthorized), inspect(unauthorized), JSON.stringify(unauthorized), inspect(new Tessera({ baseUrl: server.url, token: badToken }))]) {
      expect(shown).not.toContain(badToken);
    }

    // A network failure is NETWORK, with the address and not the token.
    const unreachable = (await new Tessera({ baseUrl: "http://127.0.0.1:9", token, retries: 0 }).workspaces.list().catch((e: unknown) => e)) as TesseraError;
    expect(unreachable).toMatchObject({ status: 0, code: "NETWORK" });
    expect(unreachable.message).toContain("http://127.0.0.1:9");
    expect(unreachable.message).not.toContain(token);
  });

  it("retries a 429 after the Retry-After it was given (seconds, then an HTTP date), and a 503 with backoff", async () => {
    const events: RetryEvent[] = [];
    const client = new Tessera({ baseUrl: proxy.url, token, onRetry: (e) => events.push(e) });
    proxy.seen = [];
    proxy.plans = [{ status: 429, retryAfter: "1" }];
    const got = await client.workspaces.get({ workspaceId: ws });
    expect(got.id).toBe(ws);
    expect(proxy.seen).toEqual([`GET /api/v1/workspaces/${ws}`, `GET /api/v1/workspaces/${ws}`]);
    expect(events).toEqual([expect.objectContaining({ operationId: "workspaces.get", attempt: 2, status: 429, code: "RATE_LIMITED", retryAfterMs: 1000, delayMs: 1000 })]);

    // A POST refused with 429 was not done: it is sent again, once.
    events.length = 0;
    proxy.seen = [];
    proxy.plans = [{ status: 429, retryAfter: new Date(Date.now() + 1000).toUTCString() }];
    const created = await client.tokens.create({ workspaceId: ws, kind: "workspace", name: "after-429" });
    expect(created.name).toBe("after-429");
    expect(proxy.seen).toEqual([`POST /api/v1/workspaces/${ws}/tokens`, `POST /api/v1/workspaces/${ws}/tokens`]);
    expect(events).toHaveLength(1);
    expect(events[0]!.retryAfterMs).toBeLessThanOrEqual(2000);
    expect(events[0]!.delayMs).toBe(events[0]!.retryAfterMs);
    expect((await tessera.tokens.list({ workspaceId: ws })).data.filter((t) => t.name === "after-429")).toHaveLength(1);

    // 503 without Retry-After: exponential backoff, then success on the third attempt.
    events.length = 0;
    proxy.seen = [];
    proxy.plans = [{ status: 503 }, { status: 503 }];
    await client.workspaces.list();
    expect(proxy.seen).toHaveLength(3);
    expect(events.map((e) => [e.attempt, e.status, e.retryAfterMs])).toEqual([
      [2, 503, undefined],
      [3, 503, undefined],
    ]);

    // No more than `retries`: the last refusal is thrown, typed.
    events.length = 0;
    proxy.seen = [];
    proxy.plans = [
      { status: 429, retryAfter: "0" },
      { status: 429, retryAfter: "0" },
      { status: 429, retryAfter: "0" },
    ];
    const limited = (await client.workspaces.list().catch((e: unknown) => e)) as TesseraError;
    expect(limited).toMatchObject({ status: 429, code: "RATE_LIMITED", requestId: "proxy-3", retryAfterMs: 0 });
    expect(proxy.seen).toHaveLength(3);
    expect(events).toHaveLength(2);

    // A Retry-After beyond the client's cap is not waited for: the caller gets it to decide.
    events.length = 0;
    proxy.seen = [];
    proxy.plans = [{ status: 429, retryAfter: "120" }];
    const tooLong = (await client.workspaces.list().catch((e: unknown) => e)) as TesseraError;
    expect(tooLong).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 120_000 });
    expect(proxy.seen).toHaveLength(1);
    expect(events).toHaveLength(0);
  });

  it("times out, and is cancelled by the caller's signal; a POST whose request may have arrived is not sent again", async () => {
    const events: RetryEvent[] = [];
    const client = new Tessera({ baseUrl: proxy.url, token, onRetry: (e) => events.push(e) });
    proxy.seen = [];
    proxy.plans = [{ hang: true }];
    const timedOut = (await client.tokens.create({ workspaceId: ws, kind: "workspace", name: "never" }, { timeoutMs: 300 }).catch((e: unknown) => e)) as TesseraError;
    expect(timedOut).toMatchObject({ status: 0, code: "TIMEOUT", operationId: "tokens.create" });
    expect(proxy.seen).toHaveLength(1);
    expect(events).toHaveLength(0);

    // Cancelled once the request has reached the proxy (an event, not a delay).
    proxy.seen = [];
    proxy.plans = [{ hang: true }];
    const controller = new AbortController();
    const arrived = nextArrival();
    const call = client.workspaces.list({}, { signal: controller.signal }).catch((e: unknown) => e);
    await arrived;
    controller.abort(new Error("user pressed stop"));
    const cancelled = (await call) as TesseraError;
    expect(cancelled).toMatchObject({ status: 0, code: "ABORTED" });
    expect((cancelled.cause as Error).message).toBe("user pressed stop");
    expect(proxy.seen).toHaveLength(1);

    // Cancelled while it waits to retry.
    proxy.seen = [];
    proxy.plans = [{ status: 503, retryAfter: "20" }];
    const c2 = new AbortController();
    const waiting = new Tessera({ baseUrl: proxy.url, token, onRetry: () => c2.abort() }).workspaces.list({}, { signal: c2.signal }).catch((e: unknown) => e);
    expect(await waiting).toMatchObject({ code: "ABORTED" });
    expect(proxy.seen).toHaveLength(1);

    // A connection that breaks after the request was sent: a POST is not sent again (it may have
    // been done), a GET is.
    proxy.seen = [];
    proxy.plans = [{ drop: true }];
    expect(await client.tokens.create({ workspaceId: ws, kind: "workspace", name: "lost" }).catch((e: unknown) => e)).toMatchObject({ status: 0, code: "NETWORK" });
    expect(proxy.seen).toHaveLength(1);
    expect(events).toHaveLength(0);
    proxy.seen = [];
    proxy.plans = [{ drop: true }];
    expect((await client.workspaces.get({ workspaceId: ws })).id).toBe(ws);
    expect(proxy.seen).toHaveLength(2);
    expect(events).toEqual([expect.objectContaining({ attempt: 2, status: 0, code: "NETWORK" })]);
  });

  it("the server's own 429 (failed token checks) is typed, and a Retry-After past the deadline is not waited for", async () => {
    const events: RetryEvent[] = [];
    // No cap on the wait: the deadline (5 s, shorter than the server's Retry-After) is what stops it.
    const bad = new Tessera({ baseUrl: server.url, token: `tsr_usr_${"y".repeat(40)}`, timeoutMs: 5_000, maxRetryDelayMs: 120_000, onRetry: (e) => events.push(e) });
    const seen: TesseraError[] = [];
    for (let i = 0; i < 6; i++) seen.push((await bad.workspaces.list().catch((e: unknown) => e)) as TesseraError);
    const limited = seen.find((e) => e.code === "RATE_LIMITED");
    expect(limited).toMatchObject({ status: 429, code: "RATE_LIMITED" });
    expect(limited!.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(limited!.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(limited!.requestId).toEqual(expect.any(String));
    expect(events).toHaveLength(0);
    // A valid token still passes from the same address.
    expect((await tessera.workspaces.get({ workspaceId: ws })).id).toBe(ws);
  });
});
