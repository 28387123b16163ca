// Device login (`tessera login --web`, lib/services/device.ts): the two public endpoints through
// their route handlers (every answer checked against the OpenAPI document), the approval page's
// services and actions, and the CLI helper (lib/cli/device.ts) over the SDK with the handlers as
// its fetch. Time is moved by editing rows (expiresAt, lastPolledAt), never by sleeping.
import { describe, expect, it } from "vitest";
import { POST as START } from "@/app/api/v1/device/code/route";
import { POST as POLL } from "@/app/api/v1/device/token/route";
import { GET as ME } from "@/app/api/v1/me/route";
import { approveDeviceAction, denyDeviceAction, lookupDeviceAction } from "@/app/(auth)/device/actions";
import { normaliseUserCode } from "@/lib/auth/device-code";
import { resetFailureLimits } from "@/lib/auth/failure-limit";
import { loginWithBrowser } from "@/lib/cli/device";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { fromOtherAddress } from "@/lib/schemas/device";
import { Tessera, TesseraError } from "@/lib/sdk";
import {
  approveDevice,
  denyDevice,
  DEVICE_CODE_ENTRY_LIMIT,
  DEVICE_START_LIMIT,
  deviceTokenName,
  pollDevice,
  previewDevice,
  purgeExpiredDeviceAuthorizations,
} from "@/lib/services/device";
import { removeMember } from "@/lib/services/members";
import { updateTokenPolicy } from "@/lib/services/workspaces";
import { makeUser, makeWorkspace, meta } from "../helpers/fixtures";
import { checkResponse } from "../helpers/openapi-check";

const DAY = 24 * 60 * 60 * 1000;
const code = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : `THREW ${(e as Error).message}`));

let ipCounter = 0;
/** A fresh client address per test: starts are limited per address. */
const freshIp = () => `198.51.100.${(++ipCounter % 250) + 1}`;

async function post(handler: (req: Request) => Promise<Response>, path: string, body: unknown, ip: string): Promise<Response> {
  const req = new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-tessera-client-ip": ip, "user-agent": "tessera-cli/test" },
    body: JSON.stringify(body),
  });
  const res = await handler(req);
  void checkResponse("POST", req.url, res);
  return res;
}

type Started = { deviceCode: string; userCode: string; verificationUri: string; verificationUriComplete: string; expiresIn: number; interval: number };

async function start(body: { machineName: string; workspaceId?: string }, ip = freshIp()): Promise<Started> {
  const res = await post(START, "/api/v1/device/code", body, ip);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Started;
}

async function poll(deviceCode: string, ip = freshIp()): Promise<{ status: number; body: { error?: { code: string; message: string }; token?: string; [k: string]: unknown } }> {
  const res = await post(POLL, "/api/v1/device/token", { deviceCode }, ip);
  return { status: res.status, body: await res.json() };
}

/** As if the CLI had waited its interval: the last poll moves into the past. */
async function intervalPassed(userCode: string) {
  const row = await rowOf(userCode);
  await db().deviceAuthorization.update({ where: { id: row.id }, data: { lastPolledAt: new Date(Date.now() - 60_000) } });
}

async function rowOf(userCode: string) {
  const { credentialHashKeys, hmacHex } = await import("@/lib/auth/keys");
  const hash = hmacHex(credentialHashKeys("device")[0]!.key, normaliseUserCode(userCode)!);
  return db().deviceAuthorization.findUniqueOrThrow({ where: { userCodeHash: hash } });
}

describe("starting a device login", () => {
  it("answers a device code, a user code and the approval page; stores only hashes of the codes", async () => {
    const w = await makeWorkspace({ active: true });
    const s = await start({ machineName: "ada-laptop", workspaceId: w.workspace.id });
    expect(s.deviceCode).toMatch(/^tsr_dev_[0-9A-Za-z]{38}$/);
    expect(s.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    const page = `${(config().publicUrl ?? `http://localhost:${config().port}`).replace(/\/+$/, "")}/device`;
    expect(s).toMatchObject({ verificationUri: page, verificationUriComplete: `${page}?code=${s.userCode}`, expiresIn: 600, interval: config().devicePollIntervalSeconds });
    const row = await rowOf(s.userCode);
    const stored = JSON.stringify(row);
    for (const secret of [s.deviceCode, s.userCode, s.userCode.replace("-", ""), s.deviceCode.slice(8, 40)]) expect(stored).not.toContain(secret);
    expect(row).toMatchObject({ machineName: "ada-laptop", requestedWorkspaceId: w.workspace.id, status: "pending", requestIp: expect.stringMatching(/^198\.51\.100\./) });
    expect(row.deviceCodeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.userCodeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(600_000);
  });

  it("takes machine names that look like host names (os.hostname() of macOS, Windows, Linux, cloud machines), up to 64 characters", async () => {
    for (const machineName of ["Adas-MacBook-Pro.local", "DESKTOP-4F2K9QJ", "ip-10-0-1-23.eu-west-1.compute.internal", "build_runner-7", "h".repeat(64)]) {
      const s = await start({ machineName });
      expect((await rowOf(s.userCode)).machineName).toBe(machineName);
    }
  });

  it("refuses bad input with 422 (a sentence as machine name, a hidden character, too long, not an id), which does not count toward the limit", async () => {
    const ip = freshIp();
    const names = ["", "x".repeat(65), "evil\u202Ehost", "approve to keep access", "Your session expires: approve now", "host;rm", "höst", "a\nb", "<b>x</b>"];
    for (const body of [...names.map((machineName) => ({ machineName })), { machineName: "ok", workspaceId: "../x" }, { machineName: "ok", extra: 1 }]) {
      const res = await post(START, "/api/v1/device/code", body, ip);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    for (let i = 0; i < DEVICE_START_LIMIT; i++) await start({ machineName: `host-${i}` }, ip);
  });

  it(`limits starts to ${DEVICE_START_LIMIT} per client address per 15 minutes (429 with Retry-After); other addresses go on`, async () => {
    const ip = freshIp();
    for (let i = 0; i < DEVICE_START_LIMIT; i++) await start({ machineName: `host-${i}` }, ip);
    const res = await post(START, "/api/v1/device/code", { machineName: "one-too-many" }, ip);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await res.json()).error.code).toBe("RATE_LIMITED");
    await start({ machineName: "elsewhere" });
  });
});

describe("the approval page's address warning", () => {
  it("warns when both addresses are known and differ; loopback (127.0.0.0/8, ::1) is one address", () => {
    expect(fromOtherAddress("203.0.113.7", "198.51.100.2")).toBe(true);
    expect(fromOtherAddress("2001:db8::1", "2001:DB8::2")).toBe(true);
    expect(fromOtherAddress("127.0.0.1", "203.0.113.7")).toBe(true);
    expect(fromOtherAddress("203.0.113.7", "203.0.113.7")).toBe(false);
    expect(fromOtherAddress("2001:db8::1", "2001:DB8::1")).toBe(false);
    expect(fromOtherAddress("127.0.0.1", "::1")).toBe(false);
    expect(fromOtherAddress(null, "203.0.113.7")).toBe(false);
    expect(fromOtherAddress("203.0.113.7", null)).toBe(false);
  });
});

describe("polling and approving", () => {
  it("pending, then SLOW_DOWN when polled sooner than the interval, then the token once approved, then EXPIRED_TOKEN (single use)", async () => {
    const w = await makeWorkspace({ active: true });
    const s = await start({ machineName: "ada-laptop", workspaceId: w.workspace.id });
    const first = await poll(s.deviceCode);
    expect(first).toMatchObject({ status: 400, body: { error: { code: "AUTHORIZATION_PENDING" } } });
    const again = await poll(s.deviceCode);
    expect(again).toMatchObject({ status: 400, body: { error: { code: "SLOW_DOWN" } } });
    await intervalPassed(s.userCode);
    expect((await poll(s.deviceCode)).body.error?.code).toBe("AUTHORIZATION_PENDING");

    const preview = await previewDevice(w.owner, { userCode: s.userCode.toLowerCase().replace("-", " ") });
    expect(preview).toMatchObject({
      userCode: s.userCode,
      state: "pending",
      machineName: "ada-laptop",
      // The CLI's address and the approver's, for the page to compare.
      requestIp: expect.stringMatching(/^198\.51\.100\./),
      viewerIp: w.owner.meta.ip,
      requested: { id: w.workspace.id, name: "Acme", allowed: true },
      defaultExpiresInDays: 7,
    });
    const decision = await approveDevice(w.owner, { userCode: s.userCode });
    expect(decision).toMatchObject({ state: "approved", workspaceId: w.workspace.id, workspaceName: "Acme", expiresInDays: 7 });
    // Approved, but the pace still holds.
    expect((await poll(s.deviceCode)).body.error?.code).toBe("SLOW_DOWN");
    await intervalPassed(s.userCode);
    const ip = freshIp();
    const got = await poll(s.deviceCode, ip);
    expect(got.status).toBe(200);
    const t = got.body as unknown as { token: string; id: string; name: string; kind: string; scopes: string[]; expiresAt: string; createdById: string; workspaceId: string };
    expect(t).toMatchObject({ name: "CLI on ada-laptop", kind: "user", scopes: ["full"], createdById: w.owner.userId, workspaceId: w.workspace.id, status: "active" });
    expect(t.token).toMatch(/^tsr_usr_/);
    expect(Math.abs(new Date(t.expiresAt).getTime() - (Date.now() + 7 * DAY))).toBeLessThan(60_000);

    // The token works, as itself.
    const me = await ME(new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${t.token}` } }));
    void checkResponse("GET", "http://localhost/api/v1/me", me);
    expect(me.status).toBe(200);
    expect((await me.json()).token).toMatchObject({ id: t.id, name: "CLI on ada-laptop", kind: "user" });

    // The row keeps the token's id, never its value; the code is used up.
    const row = await rowOf(s.userCode);
    expect(row).toMatchObject({ status: "consumed", tokenId: t.id, decidedById: w.owner.userId, workspaceId: w.workspace.id, tokenExpiresInDays: 7 });
    expect(JSON.stringify(row)).not.toContain(t.token);
    await intervalPassed(s.userCode);
    expect(await poll(s.deviceCode)).toMatchObject({ status: 400, body: { error: { code: "EXPIRED_TOKEN" } } });
    expect(await code(approveDevice(w.owner, { userCode: s.userCode }))).toBe("CONFLICT");
    expect((await previewDevice(w.owner, { userCode: s.userCode })).state).toBe("consumed");

    // Audit: the approval (the machine's name, no code) and the token's creation by the approver, from the CLI's address.
    const events = await db().auditEvent.findMany({ where: { workspaceId: w.workspace.id, action: { in: ["device.authorize.approve", "token.create"] } }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => [e.action, e.actorId, e.result])).toEqual([
      ["device.authorize.approve", w.owner.userId, "success"],
      ["token.create", w.owner.userId, "success"],
    ]);
    expect(JSON.parse(events[0]!.metadata!)).toMatchObject({ machineName: "ada-laptop", expiresInDays: 7 });
    expect(JSON.parse(events[1]!.metadata!)).toMatchObject({ kind: "user", name: "CLI on ada-laptop", scopes: ["full"] });
    expect(events[1]).toMatchObject({ targetId: t.id, ip, userAgent: "tessera-cli/test" });
    const all = JSON.stringify(await db().auditEvent.findMany());
    for (const secret of [s.deviceCode, s.userCode, s.userCode.replace("-", ""), t.token]) expect(all).not.toContain(secret);
  });

  it("mints once when two polls race after the approval", async () => {
    const w = await makeWorkspace({ active: true });
    const s = await start({ machineName: "racer", workspaceId: w.workspace.id });
    await approveDevice(w.owner, { userCode: s.userCode });
    const results = await Promise.all([pollDevice({ deviceCode: s.deviceCode }, meta()), pollDevice({ deviceCode: s.deviceCode }, meta()), pollDevice({ deviceCode: s.deviceCode }, meta())].map((p) => p.then((t) => t.token, (e: AppError) => e.code)));
    expect(results.filter((r) => r.startsWith("tsr_usr_"))).toHaveLength(1);
    expect(results.filter((r) => !r.startsWith("tsr_usr_")).every((r) => r === "SLOW_DOWN" || r === "EXPIRED_TOKEN")).toBe(true);
    expect(await db().token.count({ where: { workspaceId: w.workspace.id, name: "CLI on racer" } })).toBe(1);
  });

  it("denied: ACCESS_DENIED, and it cannot be approved afterwards; the deny is audited with the machine's name", async () => {
    const w = await makeWorkspace({ active: true });
    const s = await start({ machineName: "mallory-box", workspaceId: w.workspace.id });
    expect(await denyDevice(w.owner, { userCode: s.userCode })).toMatchObject({ state: "denied", machineName: "mallory-box" });
    expect(await poll(s.deviceCode)).toMatchObject({ status: 400, body: { error: { code: "ACCESS_DENIED" } } });
    expect(await code(approveDevice(w.owner, { userCode: s.userCode }))).toBe("CONFLICT");
    expect(await code(denyDevice(w.owner, { userCode: s.userCode }))).toBe("CONFLICT");
    await intervalPassed(s.userCode);
    expect((await poll(s.deviceCode)).body.error?.code).toBe("ACCESS_DENIED");
    const deny = await db().auditEvent.findFirstOrThrow({ where: { action: "device.authorize.deny", actorId: w.owner.userId } });
    expect(deny).toMatchObject({ workspaceId: w.workspace.id, result: "success", targetType: "device_authorization" });
    expect(JSON.parse(deny.metadata!)).toEqual({ machineName: "mallory-box" });
    expect(await db().token.count({ where: { workspaceId: w.workspace.id } })).toBe(0);
  });

  it("a stranger denying a code that asked for someone else's workspace writes nothing into that workspace's log", async () => {
    const w = await makeWorkspace({ active: true });
    const stranger = await makeUser("stranger");
    const s = await start({ machineName: "probe", workspaceId: w.workspace.id });
    await denyDevice(stranger, { userCode: s.userCode });
    expect(await db().auditEvent.findFirstOrThrow({ where: { action: "device.authorize.deny", actorId: stranger.userId } })).toMatchObject({ workspaceId: null });
    expect(await db().auditEvent.count({ where: { workspaceId: w.workspace.id, action: { startsWith: "device." } } })).toBe(0);
  });

  it("expired after 10 minutes: EXPIRED_TOKEN on poll, and neither approve nor deny; an approved code not collected in time expires too", async () => {
    const w = await makeWorkspace({ active: true });
    const s = await start({ machineName: "slowpoke", workspaceId: w.workspace.id });
    const row = await rowOf(s.userCode);
    await db().deviceAuthorization.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await poll(s.deviceCode)).toMatchObject({ status: 400, body: { error: { code: "EXPIRED_TOKEN", message: expect.stringContaining("expired") } } });
    expect((await previewDevice(w.owner, { userCode: s.userCode })).state).toBe("expired");
    expect(await code(approveDevice(w.owner, { userCode: s.userCode }))).toBe("CONFLICT");
    expect(await code(denyDevice(w.owner, { userCode: s.userCode }))).toBe("CONFLICT");

    const late = await start({ machineName: "late", workspaceId: w.workspace.id });
    await approveDevice(w.owner, { userCode: late.userCode });
    const lateRow = await rowOf(late.userCode);
    await db().deviceAuthorization.update({ where: { id: lateRow.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await poll(late.deviceCode)).body.error?.code).toBe("EXPIRED_TOKEN");
    expect(await db().token.count({ where: { workspaceId: w.workspace.id } })).toBe(0);
  });

  it("answers EXPIRED_TOKEN to unknown and malformed device codes, counted as failed checks of the address (429 past the limit)", async () => {
    resetFailureLimits();
    const ip = freshIp();
    const s = await start({ machineName: "real" });
    const forged = `${s.deviceCode.slice(0, -7)}${s.deviceCode.at(-7) === "A" ? "B" : "A"}${s.deviceCode.slice(-6)}`;
    for (const bad of [forged, "tsr_dev_short", "", "x".repeat(200)]) {
      expect((await poll(bad, ip)).body.error?.code, bad).toBe("EXPIRED_TOKEN");
    }
    expect((await post(POLL, "/api/v1/device/token", { deviceCode: "x".repeat(201) }, ip)).status).toBe(422);
    for (let i = 4; i < config().authFailureLimit; i++) await poll("tsr_dev_unknown", ip);
    const blocked = await poll("tsr_dev_unknown", ip);
    expect(blocked).toMatchObject({ status: 429, body: { error: { code: "RATE_LIMITED" } } });
    // A real code from that address is still answered.
    expect((await poll(s.deviceCode, ip)).body.error?.code).toBe("AUTHORIZATION_PENDING");
    resetFailureLimits();
  });
});

describe("who may approve into which workspace", () => {
  it("a member without the right to create tokens cannot approve into the workspace (403, audited); another workspace's id answers 404", async () => {
    const w = await makeWorkspace({ active: true, roles: ["viewer", "member"] });
    const other = await makeWorkspace({ active: true });
    const s = await start({ machineName: "viewer-box", workspaceId: w.workspace.id });
    const preview = await previewDevice(w.members.viewer!, { userCode: s.userCode });
    expect(preview.requested).toMatchObject({ id: w.workspace.id, name: "Acme", allowed: false, reason: expect.stringContaining("token.create") });
    const denied = await db().auditEvent.count({ where: { workspaceId: w.workspace.id, result: "denied" } });
    expect(await code(approveDevice(w.members.viewer!, { userCode: s.userCode }))).toBe("FORBIDDEN");
    expect(await db().auditEvent.count({ where: { workspaceId: w.workspace.id, result: "denied", action: "device.authorize.approve" } })).toBe(denied + 1);

    // Someone of another workspace sees no name, and gets 404 (also naming their own workspace instead).
    const outsiderView = await previewDevice(other.owner, { userCode: s.userCode });
    expect(outsiderView.requested).toEqual({ id: w.workspace.id, name: null, maxTokenLifetimeDays: null, allowed: false, reason: expect.any(String) });
    expect(JSON.stringify(outsiderView)).not.toContain("Acme");
    expect(await code(approveDevice(other.owner, { userCode: s.userCode }))).toBe("NOT_FOUND");
    expect(await code(approveDevice(other.owner, { userCode: s.userCode, workspaceId: other.workspace.id }))).toBe("NOT_FOUND");
    expect((await rowOf(s.userCode)).status).toBe("pending");

    // A device that asked for no workspace: the choice lists only workspaces where the person may create tokens.
    const open = await start({ machineName: "any-ws" });
    const mine = await makeWorkspace({ active: true, name: "Viewer's own" });
    await db().membership.create({ data: { workspaceId: mine.workspace.id, userId: w.members.viewer!.userId, role: "owner" } });
    const choice = await previewDevice(w.members.viewer!, { userCode: open.userCode });
    expect(choice.requested).toBeNull();
    expect(choice.choices.map((c) => c.id)).toEqual([mine.workspace.id]);
    expect(await code(approveDevice(w.members.viewer!, { userCode: open.userCode }))).toBe("VALIDATION_FAILED");
    expect(await code(approveDevice(w.members.viewer!, { userCode: open.userCode, workspaceId: w.workspace.id }))).toBe("FORBIDDEN");
    expect(await code(approveDevice(w.members.viewer!, { userCode: open.userCode, workspaceId: other.workspace.id }))).toBe("NOT_FOUND");
    expect(await approveDevice(w.members.viewer!, { userCode: open.userCode, workspaceId: mine.workspace.id, expiresInDays: 1 })).toMatchObject({ workspaceId: mine.workspace.id, expiresInDays: 1 });
    const token = await pollDevice({ deviceCode: open.deviceCode }, meta());
    expect(token).toMatchObject({ workspaceId: mine.workspace.id, name: "CLI on any-ws", createdById: w.members.viewer!.userId });
    expect(Math.abs(token.expiresAt.getTime() - (Date.now() + DAY))).toBeLessThan(60_000);
  });

  it("the workspace's token policy: the default is capped by it, a longer choice is refused, a later lower maximum caps the token", async () => {
    const w = await makeWorkspace({ active: true });
    await updateTokenPolicy(w.owner, w.workspace.id, { maxTokenLifetimeDays: 3 });
    const s = await start({ machineName: "capped", workspaceId: w.workspace.id });
    expect((await previewDevice(w.owner, { userCode: s.userCode })).defaultExpiresInDays).toBe(3);
    expect(await code(approveDevice(w.owner, { userCode: s.userCode, expiresInDays: 30 }))).toBe("VALIDATION_FAILED");
    expect((await approveDevice(w.owner, { userCode: s.userCode })).expiresInDays).toBe(3);
    await updateTokenPolicy(w.owner, w.workspace.id, { maxTokenLifetimeDays: 1 });
    const t = await pollDevice({ deviceCode: s.deviceCode }, meta());
    expect(Math.abs(t.expiresAt.getTime() - (Date.now() + DAY))).toBeLessThan(60_000);
  });

  it("an approver removed before the poll: ACCESS_DENIED, no token, the refusal audited, and the code is over", async () => {
    const w = await makeWorkspace({ active: true, roles: ["member"] });
    const s = await start({ machineName: "too-late", workspaceId: w.workspace.id });
    await approveDevice(w.members.member!, { userCode: s.userCode });
    await removeMember(w.owner, w.workspace.id, w.members.member!.userId);
    expect((await poll(s.deviceCode)).body.error?.code).toBe("ACCESS_DENIED");
    expect(await db().token.count({ where: { workspaceId: w.workspace.id, createdById: w.members.member!.userId } })).toBe(0);
    expect(await db().auditEvent.count({ where: { workspaceId: w.workspace.id, action: "token.create", result: "denied", actorId: w.members.member!.userId } })).toBe(1);
    await intervalPassed(s.userCode);
    expect((await poll(s.deviceCode)).body.error?.code).toBe("ACCESS_DENIED");
  });

  it("only signed-in users decide: a token actor is refused", async () => {
    const w = await makeWorkspace({ active: true });
    const s = await start({ machineName: "x", workspaceId: w.workspace.id });
    const { makeToken } = await import("../helpers/fixtures");
    const t = await makeToken(w.owner, w.workspace.id);
    expect(await code(approveDevice(t.actor, { userCode: s.userCode }))).toBe("FORBIDDEN");
    expect(await code(previewDevice(t.actor, { userCode: s.userCode }))).toBe("FORBIDDEN");
  });
});

describe("typing codes on the approval page", () => {
  it(`limits wrong codes to ${DEVICE_CODE_ENTRY_LIMIT} per person per 15 minutes; right codes do not count; each wrong code is audited without the code`, async () => {
    const w = await makeWorkspace({ active: true });
    const other = await makeUser("other");
    const s = await start({ machineName: "target", workspaceId: w.workspace.id });
    for (let i = 0; i < 15; i++) expect(await code(previewDevice(w.owner, { userCode: s.userCode }))).toBe("OK");
    const wrong = ["BBBB-BBBB", "not a code", "", "AAAA-AAAA", "WDJB-MJH"];
    for (let i = 0; i < DEVICE_CODE_ENTRY_LIMIT; i++) expect(await code(previewDevice(w.owner, { userCode: wrong[i % wrong.length]! }))).toBe("NOT_FOUND");
    // Past the limit even the right code is refused, until the window ends.
    expect(await code(previewDevice(w.owner, { userCode: s.userCode }))).toBe("RATE_LIMITED");
    expect(await code(approveDevice(w.owner, { userCode: s.userCode }))).toBe("RATE_LIMITED");
    // Another person is not affected.
    expect(await code(previewDevice(other, { userCode: s.userCode }))).toBe("OK");
    const lookups = await db().auditEvent.findMany({ where: { action: "device.authorize.lookup", actorId: w.owner.userId } });
    expect(lookups).toHaveLength(DEVICE_CODE_ENTRY_LIMIT);
    expect(lookups.every((e) => e.result === "denied" && e.workspaceId === null && e.metadata === null)).toBe(true);
  });

  it("through the server actions, with a clear message for a wrong code and 401 without a session", async () => {
    const w = await makeWorkspace({ active: true });
    const s = await start({ machineName: "via-actions", workspaceId: w.workspace.id });
    const bad = await lookupDeviceAction.run(w.owner, { userCode: "BBBB-BBBB" });
    expect(bad).toMatchObject({ ok: false, error: { code: "NOT_FOUND", message: expect.stringContaining("not valid") } });
    expect(await lookupDeviceAction.run(w.owner, { userCode: s.userCode })).toMatchObject({ ok: true, data: { state: "pending", machineName: "via-actions" } });
    expect(await lookupDeviceAction.run(null, { userCode: s.userCode })).toMatchObject({ ok: false, error: { code: "UNAUTHORIZED" } });
    expect(await approveDeviceAction.run(w.owner, { userCode: s.userCode, expiresInDays: 1 })).toMatchObject({ ok: true, data: { state: "approved", expiresInDays: 1 } });
    expect(await denyDeviceAction.run(w.owner, { userCode: s.userCode })).toMatchObject({ ok: false, error: { code: "CONFLICT" } });
  });
});

describe("loginWithBrowser (lib/cli/device.ts) over the SDK", () => {
  /** An SDK client whose fetch is the route handlers themselves, from one client address. */
  function client(ip = freshIp()): Tessera {
    return new Tessera({
      baseUrl: "http://localhost",
      headers: { "x-tessera-client-ip": ip },
      fetch: async (input, init) => {
        const req = new Request(input as string, init);
        const handler = new URL(req.url).pathname === "/api/v1/device/code" ? START : POLL;
        const res = await handler(req);
        void checkResponse(req.method, req.url, res);
        return res;
      },
    });
  }

  it("reports the code, polls at the interval (5 s more after SLOW_DOWN), and answers the approved token", async () => {
    const w = await makeWorkspace({ active: true });
    const waits: number[] = [];
    let info: { userCode: string; verificationUriComplete: string; expiresAt: Date } | undefined;
    const token = await loginWithBrowser({
      client: client(),
      machineName: "sdk-box",
      workspaceId: w.workspace.id,
      onCode: (i) => (info = i),
      wait: async (ms) => {
        waits.push(ms);
        // 1st wait: the CLI polls (pending). 2nd: no time passes, so the next poll is too soon
        // (SLOW_DOWN). 3rd (now 5 s longer): time passes and the person approves.
        if (waits.length === 3) {
          await intervalPassed(info!.userCode);
          await approveDevice(w.owner, { userCode: info!.userCode });
        } else if (waits.length === 1) {
          // nothing: the first poll comes after the interval anyway
        }
      },
    });
    const interval = config().devicePollIntervalSeconds * 1000;
    expect(waits).toEqual([interval, interval, interval + 5000]);
    expect(info!.verificationUriComplete).toContain(`/device?code=${info!.userCode}`);
    expect(info!.expiresAt.getTime() - Date.now()).toBeGreaterThan(590_000);
    expect(token).toMatchObject({ name: "CLI on sdk-box", kind: "user", workspaceId: w.workspace.id });
    expect(token.token).toMatch(/^tsr_usr_/);
    expect(token.expiresAt).toBeInstanceOf(Date);
  });

  it("throws TesseraError ACCESS_DENIED when denied, and EXPIRED_TOKEN when the code expires", async () => {
    const w = await makeWorkspace({ active: true });
    let toDeny = "";
    const denied = loginWithBrowser({
      client: client(),
      machineName: "deny-me",
      onCode: (i) => (toDeny = i.userCode),
      // While the CLI waits, the person denies.
      wait: async () => {
        if (toDeny) await denyDevice(w.owner, { userCode: toDeny });
        toDeny = "";
      },
    });
    await expect(denied).rejects.toBeInstanceOf(TesseraError);
    await expect(denied).rejects.toMatchObject({ code: "ACCESS_DENIED", status: 400 });

    let userCode = "";
    const expired = loginWithBrowser({
      client: client(),
      machineName: "expire-me",
      onCode: (i) => (userCode = i.userCode),
      wait: async () => {
        const row = await rowOf(userCode);
        await db().deviceAuthorization.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      },
    });
    await expect(expired).rejects.toMatchObject({ name: "TesseraError", code: "EXPIRED_TOKEN" });
  });

  it("stops when its signal aborts, and passes a refused start on", async () => {
    const ctrl = new AbortController();
    const stopped = loginWithBrowser({ client: client(), machineName: "abort-me", onCode: () => ctrl.abort(), signal: ctrl.signal });
    await expect(stopped).rejects.toMatchObject({ code: "ABORTED" });
    await expect(loginWithBrowser({ client: client(), machineName: "", onCode: () => {} })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });
});

describe("housekeeping", () => {
  it("names tokens after the machine within 64 characters, whole characters only", () => {
    expect(deviceTokenName("ada-laptop")).toBe("CLI on ada-laptop");
    const long = deviceTokenName(`${"🚀".repeat(40)}`);
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long.endsWith("…")).toBe(true);
    expect(long).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("purges device logins a day past their expiry", async () => {
    const s = await start({ machineName: "old" });
    const fresh = await start({ machineName: "fresh" });
    const row = await rowOf(s.userCode);
    await db().deviceAuthorization.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 2 * DAY) } });
    expect(await purgeExpiredDeviceAuthorizations()).toBeGreaterThanOrEqual(1);
    expect(await db().deviceAuthorization.findUnique({ where: { id: row.id } })).toBeNull();
    expect((await rowOf(fresh.userCode)).status).toBe("pending");
    expect((await poll(s.deviceCode)).body.error?.code).toBe("EXPIRED_TOKEN");
  });
});
