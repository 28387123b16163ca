// Device login (`tessera login --web`), in the style of the OAuth 2.0 device authorization grant
// (RFC 8628):
//   1. the CLI starts (no credential): a device code (its secret) and a user code (for the person),
//      both stored only as HMACs, valid 10 minutes;
//   2. a signed-in person types or checks the user code on /device, sees the machine's name and the
//      workspace, and approves (choosing the workspace and the token's lifetime) or denies;
//   3. the CLI polls with the device code at the server's interval; after the approval the first
//      poll mints a user token BY THE APPROVER'S AUTHORITY, through the tokens service with the
//      approver as actor (membership, role, SSO rule, token policy and the token.create audit all
//      apply), in the same transaction that uses the code up. No token value is ever stored.
// Codes never reach a log, an audit event or an error message; the audit names the machine.
import type { Actor, RequestMeta, UserActor } from "../auth/actor";
import { countFailure } from "../auth/failure-limit";
import { credentialHashKeys, hmacHex } from "../auth/keys";
import { formatUserCode, generateDeviceCode, generateUserCode, isDeviceCode, normaliseUserCode } from "../auth/device-code";
import { config, publicBaseUrl } from "../config";
import { db, transaction, type Tx } from "../db/client";
import type { DeviceAuthorization } from "../generated/sqlite/client";
import { AppError, forbidden, notFound, parseInput } from "../errors";
import {
  approveDeviceSchema,
  DEVICE_CODE_TTL_SECONDS,
  DEVICE_TOKEN_DEFAULT_DAYS,
  lookupDeviceSchema,
  pollDeviceSchema,
  startDeviceSchema,
  type ApproveDeviceInput,
  type DeviceCodeOutput,
  type DeviceDecision,
  type DevicePreview,
  type DeviceTokenOutput,
  type StartDeviceInput,
} from "../schemas/device";
import { displayNameSchema } from "../schemas/common";
import { recordAudit, recordDenied } from "./audit";
import { authorize, inTransaction } from "./authorize";
import { giveBack, hit } from "./rate-limit";
import { requireRecentAuth } from "./sudo";
import { createTokenIn } from "./tokens";

/** Starts allowed per client address per window (then 429 with Retry-After). */
export const DEVICE_START_LIMIT = 20;
const START_WINDOW_MS = 15 * 60_000;
/** Wrong user codes allowed per signed-in user per window (then 429 until the window ends). */
export const DEVICE_CODE_ENTRY_LIMIT = 10;
const ENTRY_WINDOW_MS = 15 * 60_000;
/** Rows are kept this long past their expiry (the page can still say "expired"), then purged. */
const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60_000;

type Row = DeviceAuthorization;
type State = DevicePreview["state"];

/** HMACs of a code under every configured key (the first is the one new rows use). */
function codeHashes(code: string): string[] {
  return credentialHashKeys("device").map((k) => hmacHex(k.key, code));
}

export function deviceState(row: Pick<Row, "status" | "expiresAt">, now = Date.now()): State {
  if (row.status === "consumed" || row.status === "denied") return row.status;
  if (row.expiresAt.getTime() <= now) return "expired";
  return row.status === "approved" ? "approved" : "pending";
}

/** The poll interval in seconds (TESSERA_DEVICE_POLL_INTERVAL, default 5). */
function intervalSeconds(): number {
  return config().devicePollIntervalSeconds;
}

/** The token's name: `CLI on <machine>`, cut to the 64 characters a token name may have (whole characters only). */
export function deviceTokenName(machineName: string): string {
  const full = `CLI on ${machineName}`;
  if (full.length <= 64) return full;
  let out = "";
  for (const ch of full) {
    if (out.length + ch.length > 63) break;
    out += ch;
  }
  return displayNameSchema.parse(`${out.trimEnd()}…`);
}

/**
 * Starts a device login (POST /api/v1/device/code, no credential). Valid input counts toward the
 * address's limit of starts. The device code is in this answer only.
 */
export async function startDevice(input: StartDeviceInput, meta: RequestMeta): Promise<DeviceCodeOutput> {
  const data = parseInput(startDeviceSchema, input);
  const limit = await hit(`device-start:${meta.ip ?? "unknown"}`, START_WINDOW_MS);
  if (limit.count > DEVICE_START_LIMIT) {
    throw new AppError("RATE_LIMITED", `Too many device logins started from this address; try again in ${limit.retryAfterSeconds} s`, {
      retryAfterSeconds: limit.retryAfterSeconds,
    });
  }
  const key = credentialHashKeys("device")[0]!;
  // A user code is 8 letters: a clash with a kept row is rare, and answered with a new code.
  for (let attempt = 1; ; attempt++) {
    const deviceCode = generateDeviceCode();
    const userCode = generateUserCode();
    const now = new Date();
    try {
      await transaction((tx) => tx.deviceAuthorization.create({
        data: {
          deviceCodeHash: hmacHex(key.key, deviceCode),
          userCodeHash: hmacHex(key.key, userCode),
          hashKeyId: key.id,
          machineName: data.machineName,
          requestedWorkspaceId: data.workspaceId ?? null,
          requestIp: meta.ip,
          createdAt: now,
          expiresAt: new Date(now.getTime() + DEVICE_CODE_TTL_SECONDS * 1000),
        },
      }));
    } catch (err) {
      if ((err as { code?: unknown })?.code === "P2002" && attempt < 5) continue;
      throw err;
    }
    const shown = formatUserCode(userCode);
    const page = `${publicBaseUrl()}/device`;
    return {
      deviceCode,
      userCode: shown,
      verificationUri: page,
      verificationUriComplete: `${page}?code=${shown}`,
      expiresIn: DEVICE_CODE_TTL_SECONDS,
      interval: intervalSeconds(),
    };
  }
}

const unknownDeviceCode = () =>
  new AppError("EXPIRED_TOKEN", "This device code is not valid: it is unknown, or expired and removed. Start the login again.");

/**
 * Polls (POST /api/v1/device/token, no credential): pending, slow down, denied, expired or used
 * (one answer each, as errors), or, once approved, the new token (minted now, once).
 */
export async function pollDevice(input: unknown, meta: RequestMeta): Promise<DeviceTokenOutput> {
  const { deviceCode } = parseInput(pollDeviceSchema, input);
  const row = isDeviceCode(deviceCode) ? await db().deviceAuthorization.findFirst({ where: { deviceCodeHash: { in: codeHashes(deviceCode) } } }) : null;
  if (!row) {
    // Like a failed token check: past the address's limit this is a 429.
    countFailure(meta.ip);
    throw unknownDeviceCode();
  }
  const now = new Date();
  const state = deviceState(row, now.getTime());
  if (state === "consumed") throw new AppError("EXPIRED_TOKEN", "This device code has already been used: each works once. Start the login again.");
  if (state === "expired") throw new AppError("EXPIRED_TOKEN", `This device code has expired (codes last ${DEVICE_CODE_TTL_SECONDS / 60} minutes). Start the login again.`);
  if (state === "denied") throw new AppError("ACCESS_DENIED", "The login was denied in the browser.");

  // The pace: one poll per interval. The stamp is a conditional update, so of two polls at the same
  // moment one is told to slow down.
  const intervalMs = intervalSeconds() * 1000;
  const tolerance = Math.min(500, intervalMs / 4);
  const tooSoon = row.lastPolledAt !== null && now.getTime() - row.lastPolledAt.getTime() < intervalMs - tolerance;
  const stamped = await transaction((tx) => tx.deviceAuthorization.updateMany({ where: { id: row.id, lastPolledAt: row.lastPolledAt }, data: { lastPolledAt: now } }));
  if (tooSoon || stamped.count !== 1) {
    throw new AppError("SLOW_DOWN", `Polled too soon: wait at least ${intervalSeconds()} s between polls, and 5 s more from now on.`);
  }
  if (state === "pending") throw new AppError("AUTHORIZATION_PENDING", "Waiting for the code to be approved in the browser.");
  return mint(row, meta);
}

/** The token for an approved row, by its approver's authority, in the transaction that uses the code up. */
async function mint(row: Row, meta: RequestMeta): Promise<DeviceTokenOutput> {
  const approver = row.decidedById ? await db().user.findUnique({ where: { id: row.decidedById } }) : null;
  const noLonger = () => new AppError("ACCESS_DENIED", "The approval no longer holds: the person who approved it can no longer create this token. Start the login again.");
  if (!approver || approver.disabledAt || !row.workspaceId || !row.tokenExpiresInDays) {
    await transaction((tx) => tx.deviceAuthorization.updateMany({ where: { id: row.id, status: "approved" }, data: { status: "denied" } }));
    throw noLonger();
  }
  // The approver acts, from the CLI's request (its address is on the audit event).
  const actor: UserActor = {
    type: "user",
    userId: approver.id,
    email: approver.email,
    isPlatformAdmin: approver.isPlatformAdmin,
    sessionId: null,
    authMethod: row.decidedAuthMethod === "oidc" ? "oidc" : row.decidedAuthMethod === "password" ? "password" : undefined,
    // Read now: a workspace that requires a second factor lets its holder's approval through.
    hasMfa: approver.totpEnabledAt !== null,
    meta,
  };
  const workspaceId = row.workspaceId;
  try {
    return await inTransaction(actor, async (tx) => {
      const used = await tx.deviceAuthorization.updateMany({ where: { id: row.id, status: "approved" }, data: { status: "consumed" } });
      if (used.count !== 1) throw new AppError("EXPIRED_TOKEN", "This device code has already been used: each works once. Start the login again.");
      // The lifetime chosen at approval, within the workspace's maximum now (it may have been lowered since).
      const ws = await tx.workspace.findUnique({ where: { id: workspaceId }, select: { maxTokenLifetimeDays: true } });
      const days = Math.max(1, Math.min(row.tokenExpiresInDays!, ws?.maxTokenLifetimeDays ?? 1));
      const created = await createTokenIn(tx, actor, workspaceId, {
        kind: "user",
        name: deviceTokenName(row.machineName),
        description: "Created by tessera login --web, approved in the browser",
        expiresInDays: days,
        scopes: ["full"],
      });
      await tx.deviceAuthorization.update({ where: { id: row.id }, data: { tokenId: created.id } });
      const { value, ...token } = created;
      return { ...token, token: value };
    });
  } catch (err) {
    // The approver may no longer create it (removed, demoted, SSO now required, …): the denial is
    // audited (inTransaction) and the login ends for good.
    if (err instanceof AppError && (err.code === "FORBIDDEN" || err.code === "NOT_FOUND" || err.code === "VALIDATION_FAILED")) {
      await transaction((tx) => tx.deviceAuthorization.updateMany({ where: { id: row.id, status: "approved" }, data: { status: "denied" } }));
      throw noLonger();
    }
    throw err;
  }
}

// --- The approval page (/device): a signed-in person ---

function asPerson(actor: Actor): UserActor {
  if (actor.type !== "user") throw forbidden("Device logins are approved in the dashboard, by a signed-in user");
  return actor;
}

/**
 * The row of a typed user code, within the person's limit of wrong codes: every attempt counts
 * first (one atomic increment, so a burst cannot slip past), and a code that exists gives its
 * attempt back. A wrong code is audited as denied (never the code itself).
 */
async function rowForCode(actor: UserActor, typed: string, action: string): Promise<Row> {
  const key = `device-code:${actor.userId}`;
  const limit = await hit(key, ENTRY_WINDOW_MS);
  if (limit.count > DEVICE_CODE_ENTRY_LIMIT) {
    throw new AppError("RATE_LIMITED", `Too many wrong codes. Try again in ${Math.ceil(limit.retryAfterSeconds / 60)} min.`, { retryAfterSeconds: limit.retryAfterSeconds });
  }
  const code = normaliseUserCode(typed);
  const row = code ? await db().deviceAuthorization.findFirst({ where: { userCodeHash: { in: codeHashes(code) } } }) : null;
  if (!row) {
    await recordDenied(actor, { workspaceId: null, action, target: { type: "device_authorization", id: null } });
    throw new AppError("NOT_FOUND", "This code is not valid. Check it against the code shown in your terminal (8 letters, such as WDJB-MJHT).");
  }
  await giveBack(key);
  return row;
}

/** Whether the person may approve into a workspace (a user token there), and why not: the service's own rule, not audited. */
async function mayApproveInto(actor: UserActor, workspaceId: string): Promise<{ allowed: true; name: string; max: number } | { allowed: false; name: string | null; reason: string }> {
  try {
    const { workspace } = await authorize(db(), actor, workspaceId, "token.create", { action: "device.authorize.approve" });
    return { allowed: true, name: workspace.name, max: workspace.maxTokenLifetimeDays };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.code === "NOT_FOUND") return { allowed: false, name: null, reason: "You are not a member of the workspace this device asked for." };
    const member = await db().membership.findUnique({
      where: { workspaceId_userId: { workspaceId, userId: actor.userId } },
      select: { workspace: { select: { name: true } } },
    });
    return { allowed: false, name: member?.workspace.name ?? null, reason: err.message };
  }
}

function defaultDays(max: number): number {
  return Math.min(DEVICE_TOKEN_DEFAULT_DAYS, max);
}

/** What /device shows for a typed code (rate-limited per person; wrong codes are audited). */
export async function previewDevice(actorIn: Actor, input: { userCode: string }): Promise<DevicePreview> {
  const actor = asPerson(actorIn);
  const { userCode } = parseInput(lookupDeviceSchema, input);
  const row = await rowForCode(actor, userCode, "device.authorize.lookup");
  const base = {
    userCode: formatUserCode(normaliseUserCode(userCode)!),
    state: deviceState(row),
    machineName: row.machineName,
    requestIp: row.requestIp,
    viewerIp: actor.meta.ip,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
  if (row.requestedWorkspaceId) {
    const may = await mayApproveInto(actor, row.requestedWorkspaceId);
    return {
      ...base,
      requested: may.allowed
        ? { id: row.requestedWorkspaceId, name: may.name, maxTokenLifetimeDays: may.max, allowed: true, reason: null }
        : { id: row.requestedWorkspaceId, name: may.name, maxTokenLifetimeDays: null, allowed: false, reason: may.reason },
      choices: [],
      defaultExpiresInDays: may.allowed ? defaultDays(may.max) : DEVICE_TOKEN_DEFAULT_DAYS,
    };
  }
  const memberships = await db().membership.findMany({ where: { userId: actor.userId }, select: { workspaceId: true }, orderBy: { createdAt: "asc" } });
  const choices: DevicePreview["choices"] = [];
  for (const m of memberships) {
    const may = await mayApproveInto(actor, m.workspaceId);
    if (may.allowed) choices.push({ id: m.workspaceId, name: may.name, maxTokenLifetimeDays: may.max });
  }
  return { ...base, requested: null, choices, defaultExpiresInDays: defaultDays(choices[0]?.maxTokenLifetimeDays ?? DEVICE_TOKEN_DEFAULT_DAYS) };
}

function assertDecidable(row: Row): void {
  const state = deviceState(row);
  if (state === "expired") throw new AppError("CONFLICT", "This code has expired (codes last 10 minutes). Run tessera login --web again for a new one.");
  if (state === "denied") throw new AppError("CONFLICT", "This request was denied. Run tessera login --web again for a new code.");
  if (state !== "pending") throw new AppError("CONFLICT", "This code has already been approved. Each code works once.");
}

/** Claims a pending, unexpired row for one decision (a conditional update: two decisions at once get one). */
async function decide(tx: Tx, row: Row, data: Partial<Row>): Promise<void> {
  const claimed = await tx.deviceAuthorization.updateMany({ where: { id: row.id, status: "pending", expiresAt: { gt: new Date() } }, data });
  if (claimed.count !== 1) throw new AppError("CONFLICT", "This code was decided or expired meanwhile. Reload the page.");
}

/**
 * Approves a code: the token will be a user token of the approver in the requested workspace (or,
 * when the device asked for none, the one chosen here), so the approver needs `token.create` there
 * (another workspace answers 404, as everywhere). Audited as `device.authorize.approve` with the
 * machine's name.
 */
export async function approveDevice(actorIn: Actor, input: ApproveDeviceInput): Promise<DeviceDecision> {
  const actor = asPerson(actorIn);
  const data = parseInput(approveDeviceSchema, input);
  const found = await rowForCode(actor, data.userCode, "device.authorize.approve");
  const target = { type: "device_authorization", id: found.id };
  return inTransaction(actor, async (tx) => {
    const row = await tx.deviceAuthorization.findUnique({ where: { id: found.id } });
    if (!row) throw notFound("Device code");
    assertDecidable(row);
    // A code that asked for a workspace is approved into that one only: named under another, it is not found there.
    if (row.requestedWorkspaceId && data.workspaceId && data.workspaceId !== row.requestedWorkspaceId) throw notFound("Device code");
    const workspaceId = row.requestedWorkspaceId ?? data.workspaceId;
    if (!workspaceId) {
      throw new AppError("VALIDATION_FAILED", "Choose the workspace the token will act in", { details: [{ path: "workspaceId", message: "is required" }] });
    }
    const { workspace, role } = await authorize(tx, actor, workspaceId, "token.create", { action: "device.authorize.approve", target });
    // The CLI gets a user token acting with this role: an admin's or owner's needs a fresh
    // confirmation (SES-07), as minting one on the Tokens page does.
    if (role === "admin" || role === "owner") requireRecentAuth(actor, "token.create_privileged");
    const max = workspace.maxTokenLifetimeDays;
    const days = data.expiresInDays ?? defaultDays(max);
    if (days > max) {
      throw new AppError("VALIDATION_FAILED", `Tokens in this workspace may live at most ${max} days`, {
        details: [{ path: "expiresInDays", message: `must be at most ${max} days` }],
      });
    }
    await decide(tx, row, {
      status: "approved",
      decidedById: actor.userId,
      decidedAt: new Date(),
      decidedAuthMethod: actor.authMethod ?? null,
      workspaceId,
      tokenExpiresInDays: days,
    });
    await recordAudit(tx, actor, {
      workspaceId,
      action: "device.authorize.approve",
      target,
      metadata: { machineName: row.machineName, expiresInDays: days, requestedWorkspace: row.requestedWorkspaceId !== null },
    });
    return { state: "approved", machineName: row.machineName, workspaceId, workspaceName: workspace.name, expiresInDays: days };
  });
}

/**
 * Denies a code: anyone signed in who holds it may (it grants nothing). Audited as
 * `device.authorize.deny` with the machine's name: in the requested workspace when the person is a
 * member of it, otherwise without a workspace (a stranger's code cannot write into a workspace's log).
 */
export async function denyDevice(actorIn: Actor, input: { userCode: string }): Promise<DeviceDecision> {
  const actor = asPerson(actorIn);
  const { userCode } = parseInput(lookupDeviceSchema, input);
  const found = await rowForCode(actor, userCode, "device.authorize.deny");
  return inTransaction(actor, async (tx) => {
    const row = await tx.deviceAuthorization.findUnique({ where: { id: found.id } });
    if (!row) throw notFound("Device code");
    assertDecidable(row);
    await decide(tx, row, { status: "denied", decidedById: actor.userId, decidedAt: new Date(), decidedAuthMethod: actor.authMethod ?? null });
    const member = row.requestedWorkspaceId
      ? await tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId: row.requestedWorkspaceId, userId: actor.userId } }, select: { id: true } })
      : null;
    await recordAudit(tx, actor, {
      workspaceId: member ? row.requestedWorkspaceId : null,
      action: "device.authorize.deny",
      target: { type: "device_authorization", id: row.id },
      metadata: { machineName: row.machineName },
    });
    return { state: "denied", machineName: row.machineName, workspaceId: null, workspaceName: null, expiresInDays: null };
  });
}

/** Deletes device logins a day past their expiry (the hourly job); returns how many. */
export async function purgeExpiredDeviceAuthorizations(now = new Date()): Promise<number> {
  const { count } = await transaction((tx) => tx.deviceAuthorization.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - KEEP_AFTER_EXPIRY_MS) } } }));
  return count;
}
