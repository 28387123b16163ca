// The TOTP second factor of an account (lib/auth/totp.ts holds the arithmetic): enrolment with a
// QR code and a typed confirmation code, ten single-use recovery codes (stored as HMACs only),
// regenerating them, turning the factor off, and the code step of a password sign-in.
//
// What is never stored, logged, audited or put in an error: the shared key (sealed at rest under a
// key derived from the master key, bound to its user), a code, a recovery code. Code checks in a
// signed-in session share the "Confirm it's you" failure budget (lib/services/reauth.ts): 10 per
// user per 15 minutes, then 429. Codes at sign-in count as sign-in failures (lib/services/users.ts).
import QRCode from "qrcode";
import type { Actor, RequestMeta, UserActor } from "../auth/actor";
import {
  matchTotp,
  newRecoveryCodes,
  newTotpKey,
  normaliseRecoveryCode,
  openTotpKey,
  recoveryCodeHashes,
  sealTotpKey,
  totpKeyNeedsRewrap,
  totpKeyText,
  totpUri,
} from "../auth/totp";
import { config, publicBaseUrl } from "../config";
import { db, transaction, type Db, type Tx } from "../db/client";
import type { User } from "../generated/sqlite/client";
import { AppError } from "../errors";
import { log } from "../log";
import { composeMail, sendMail } from "../mail";
import { recordAudit } from "./audit";
import { inTransaction } from "./authorize";
import { giveBack, hit } from "./rate-limit";
import { REAUTH_FAILURE_LIMIT, REAUTH_WINDOW_MS, reauthFailureKey } from "./reauth";
import { requireRecentAuth } from "./sudo";

/** Fewer recovery codes than this left: the account page warns. */
export const FEW_RECOVERY_CODES = 3;

export type MfaStatus = {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
  /** Whether the user has a password (a password sign-in asks for the code). */
  hasPassword: boolean;
  /** The user's workspaces that require a second factor of members who sign in with a password. */
  requiredBy: { id: string; name: string }[];
};

export type Enrolment = {
  /** The key as people type it (base32 in groups of four). */
  keyText: string;
  /** The otpauth:// URI the QR code holds. */
  uri: string;
  /** The QR code as one SVG path over a `size` × `size` grid (quiet zone included). */
  qr: { size: number; path: string };
};

/** Only a signed-in person manages their own second factor: never a token. */
function sessionUser(actor: Actor): UserActor {
  if (actor.type !== "user") throw new AppError("FORBIDDEN", "Only a signed-in user manages their second factor, in the dashboard");
  return actor;
}

async function requiredBy(q: Tx | Db, userId: string): Promise<{ id: string; name: string }[]> {
  const rows = await q.membership.findMany({
    where: { userId, workspace: { requireMfa: true } },
    select: { workspace: { select: { id: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => r.workspace);
}

/** The account page's view of the second factor. */
export async function mfaStatus(actor: Actor): Promise<MfaStatus> {
  const { userId } = sessionUser(actor);
  const user = await db().user.findUnique({ where: { id: userId }, select: { totpEnabledAt: true, passwordHash: true } });
  if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  const [left, workspaces] = await Promise.all([
    user.totpEnabledAt ? db().recoveryCode.count({ where: { userId, usedAt: null } }) : Promise.resolve(0),
    requiredBy(db(), userId),
  ]);
  return { enabled: user.totpEnabledAt !== null, enabledAt: user.totpEnabledAt, recoveryCodesLeft: left, hasPassword: user.passwordHash !== null, requiredBy: workspaces };
}

/** The QR code of `text` as one path of unit squares (runs merged), with a 4-module quiet zone. */
export function qrPath(text: string): { size: number; path: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = modules.size;
  const quiet = 4;
  let path = "";
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && modules.get(row, col)) col++;
      path += `M${start + quiet} ${row + quiet}h${col - start}v1h-${col - start}z`;
    }
  }
  return { size: n + 2 * quiet, path };
}

/**
 * Starts an enrolment: a new key, stored sealed as the pending key (replacing an unconfirmed
 * one), returned once for the QR code and the typed key. Nothing changes for sign-in until it is
 * confirmed with a code. Needs the sudo window, so that a stolen session cannot put its own app on
 * the account (and lock its owner out).
 */
export async function startMfaEnrolment(actor: Actor): Promise<Enrolment> {
  const user = sessionUser(actor);
  requireRecentAuth(user, "user.mfa_enable");
  const key = newTotpKey();
  await inTransaction(user, async (tx) => {
    const r = await tx.user.updateMany({ where: { id: user.userId, totpEnabledAt: null }, data: { totpPendingSecret: sealTotpKey(user.userId, key) } });
    if (r.count !== 1) throw new AppError("CONFLICT", "Your second factor is already on. Turn it off first to move it to another app.");
  });
  const uri = totpUri(key, user.email);
  return { keyText: totpKeyText(key), uri, qr: qrPath(uri) };
}

/** Counts a code check of a signed-in user (the "Confirm it's you" budget); 429 past it. */
async function countCodeCheck(userId: string): Promise<void> {
  const count = await hit(reauthFailureKey(userId), REAUTH_WINDOW_MS);
  if (count.count > REAUTH_FAILURE_LIMIT) {
    throw new AppError("RATE_LIMITED", "Too many attempts. Try again later.", { retryAfterSeconds: count.retryAfterSeconds });
  }
}

const WRONG_CODE = "That code is not valid. Codes change every 30 seconds, and each works once.";

async function refuseCode(actor: UserActor, action: string, method: "totp" | "recovery_code"): Promise<never> {
  await transaction((tx) => recordAudit(tx, actor, { workspaceId: null, action, target: { type: "user", id: actor.userId }, result: "denied", metadata: { method } }));
  throw new AppError("UNAUTHORIZED", method === "totp" ? WRONG_CODE : "That recovery code is not valid, or was used already.");
}

/** Replaces the user's recovery codes with `codes` (HMACs under the active master key only). */
async function storeRecoveryCodes(tx: Tx, userId: string, codes: string[]): Promise<void> {
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((c) => ({ userId, hash: recoveryCodeHashes(c)[0]! })) });
}

/**
 * Confirms an enrolment with a code from the app: the pending key becomes the second factor, the
 * code's step is used up, and ten new recovery codes are made and returned (once: only their
 * HMACs are kept). Audited as `user.mfa_enable`; the user is told by mail.
 */
export async function confirmMfaEnrolment(actor: Actor, input: { code: string }): Promise<{ recoveryCodes: string[] }> {
  const user = sessionUser(actor);
  await countCodeCheck(user.userId);
  const row = await db().user.findUnique({ where: { id: user.userId }, select: { totpPendingSecret: true, totpEnabledAt: true } });
  if (!row) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  if (row.totpEnabledAt) throw new AppError("CONFLICT", "Your second factor is already on.");
  const pending = row.totpPendingSecret;
  if (!pending) throw new AppError("BAD_REQUEST", "There is no set-up to confirm: start again with \"Set up an authenticator app\".");
  const step = matchTotp(openTotpKey(user.userId, pending), String(input.code ?? "").slice(0, 20), null);
  if (step === null) return refuseCode(user, "user.mfa_enable", "totp");
  await giveBack(reauthFailureKey(user.userId));
  const codes = newRecoveryCodes();
  await inTransaction(user, async (tx) => {
    // Conditional on what was read: a second tab that started another enrolment meanwhile wins.
    const r = await tx.user.updateMany({
      where: { id: user.userId, totpEnabledAt: null, totpPendingSecret: pending },
      data: { totpSecret: pending, totpPendingSecret: null, totpEnabledAt: new Date(), totpLastStep: step },
    });
    if (r.count !== 1) throw new AppError("CONFLICT", "The set-up changed meanwhile (another tab?). Start again.");
    await storeRecoveryCodes(tx, user.userId, codes);
    await recordAudit(tx, user, { workspaceId: null, action: "user.mfa_enable", target: { type: "user", id: user.userId }, metadata: { method: "totp", recoveryCodes: codes.length } });
  });
  notify(user.email, "A second factor was added to your Tessera account", [
    `An authenticator app was set up as a second factor for your Tessera account (${user.email}). From now on, signing in with your password also asks for a code from that app.`,
    "If this was not you, sign in, turn the second factor off, change your password, and end your other sessions on the Account page.",
  ]);
  return { recoveryCodes: codes };
}

/**
 * Checks a current code (a TOTP code; with `allowRecovery`, a recovery code too) of a user whose
 * second factor is on, and uses it up inside `tx`: the TOTP step (conditional on the last step
 * read, so two requests cannot both use one code) or the recovery code (usedAt set where it was
 * null: exactly one request gets it). Null when the code is not valid or already used.
 */
async function useCode(
  tx: Tx,
  user: Pick<User, "id" | "totpSecret" | "totpLastStep">,
  code: string,
  allowRecovery: boolean,
): Promise<{ method: "totp" | "recovery_code"; remaining?: number } | null> {
  const typed = String(code ?? "").slice(0, 64);
  if (/^\d{6}$/.test(typed.replace(/\s+/g, ""))) {
    if (!user.totpSecret) return null;
    const step = matchTotp(openTotpKey(user.id, user.totpSecret), typed, user.totpLastStep);
    if (step === null) return null;
    const r = await tx.user.updateMany({ where: { id: user.id, totpLastStep: user.totpLastStep }, data: { totpLastStep: step } });
    return r.count === 1 ? { method: "totp" } : null;
  }
  if (!allowRecovery || normaliseRecoveryCode(typed).length !== 12) return null;
  const r = await tx.recoveryCode.updateMany({ where: { userId: user.id, hash: { in: recoveryCodeHashes(typed) }, usedAt: null }, data: { usedAt: new Date() } });
  if (r.count !== 1) return null;
  return { method: "recovery_code", remaining: await tx.recoveryCode.count({ where: { userId: user.id, usedAt: null } }) };
}

const looksLikeTotp = (code: string) => /^\d{6}$/.test(String(code ?? "").replace(/\s+/g, ""));

async function enabledUser(userId: string) {
  const row = await db().user.findUnique({ where: { id: userId }, select: { id: true, totpSecret: true, totpLastStep: true, totpEnabledAt: true } });
  if (!row) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  if (!row.totpEnabledAt || !row.totpSecret) throw new AppError("CONFLICT", "Your second factor is not on.");
  return row;
}

/**
 * New recovery codes for a user whose second factor is on, with a current code from the app (not
 * a recovery code: whoever holds only those should not be able to mint more). The old codes stop
 * working. Audited as `user.recovery_codes_regenerate`.
 */
export async function regenerateRecoveryCodes(actor: Actor, input: { code: string }): Promise<{ recoveryCodes: string[] }> {
  const user = sessionUser(actor);
  await countCodeCheck(user.userId);
  const row = await enabledUser(user.userId);
  if (!looksLikeTotp(input.code)) return refuseCode(user, "user.recovery_codes_regenerate", "totp");
  const codes = newRecoveryCodes();
  const used = await inTransaction(user, async (tx) => {
    const ok = await useCode(tx, row, input.code, false);
    if (!ok) return false;
    await storeRecoveryCodes(tx, user.userId, codes);
    await recordAudit(tx, user, { workspaceId: null, action: "user.recovery_codes_regenerate", target: { type: "user", id: user.userId }, metadata: { recoveryCodes: codes.length } });
    return true;
  });
  if (!used) return refuseCode(user, "user.recovery_codes_regenerate", "totp");
  await giveBack(reauthFailureKey(user.userId));
  return { recoveryCodes: codes };
}

/**
 * What turning the second factor off would mean, asked before the code: needs the sudo window
 * (REAUTH_REQUIRED otherwise, so the dashboard confirms it's you first and the code typed next is
 * not spent on that), and names the workspaces that would then refuse the user's password sessions.
 */
export async function prepareMfaDisable(actor: Actor): Promise<{ requiredBy: { id: string; name: string }[] }> {
  const user = sessionUser(actor);
  requireRecentAuth(user, "user.mfa_disable");
  await enabledUser(user.userId);
  return { requiredBy: await requiredBy(db(), user.userId) };
}

/**
 * Turns the second factor off: needs the sudo window and a current code from the app or a recovery
 * code. The key and every recovery code are deleted. Workspaces that require a second factor then
 * refuse the user's password sessions (they are not left: members stay members, and setting a
 * factor up again lets them back in). Audited as `user.mfa_disable`; the user is told by mail.
 */
export async function disableMfa(actor: Actor, input: { code: string }): Promise<{ requiredBy: { id: string; name: string }[] }> {
  const user = sessionUser(actor);
  requireRecentAuth(user, "user.mfa_disable");
  await countCodeCheck(user.userId);
  const row = await enabledUser(user.userId);
  const method = looksLikeTotp(input.code) ? "totp" : "recovery_code";
  const result = await inTransaction(user, async (tx) => {
    const used = await useCode(tx, row, input.code, true);
    if (!used) return null;
    const r = await tx.user.updateMany({
      where: { id: user.userId, totpEnabledAt: { not: null } },
      data: { totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null },
    });
    if (r.count !== 1) throw new AppError("CONFLICT", "Your second factor was turned off meanwhile.");
    await tx.recoveryCode.deleteMany({ where: { userId: user.userId } });
    const workspaces = await requiredBy(tx, user.userId);
    await recordAudit(tx, user, {
      workspaceId: null,
      action: "user.mfa_disable",
      target: { type: "user", id: user.userId },
      metadata: { method: used.method, workspacesRequiringMfa: workspaces.length },
    });
    return workspaces;
  });
  if (!result) return refuseCode(user, "user.mfa_disable", method);
  await giveBack(reauthFailureKey(user.userId));
  notify(user.email, "The second factor of your Tessera account was turned off", [
    `The second factor (authenticator app) of your Tessera account (${user.email}) was turned off. Signing in with your password no longer asks for a code, and your recovery codes no longer work.`,
    ...(result.length ? [`Workspaces that require a second factor refuse password sign-ins without one: ${result.map((w) => w.name).join(", ")}.`] : []),
    "If this was not you, sign in, change your password, end your other sessions and set the second factor up again on the Account page.",
  ]);
  return { requiredBy: result };
}

export type SignInCodeResult = { ok: true; method: "totp" | "recovery_code" } | { ok: false; method: "totp" | "recovery_code" };

/**
 * The code step of a password sign-in, after the right password, for a user whose second factor
 * is on: a current TOTP code (six digits) or an unused recovery code, used up atomically. A
 * recovery code's use is audited (`user.recovery_code_use`, with how many are left) and mailed.
 * Failures are counted and audited by the caller (signInWithPassword), like a wrong password.
 */
export async function checkSignInCode(user: User, code: string, meta: RequestMeta): Promise<SignInCodeResult> {
  const method = looksLikeTotp(code) ? "totp" : "recovery_code";
  if (!user.totpEnabledAt || !user.totpSecret) return { ok: false, method };
  const actor: UserActor = { type: "user", userId: user.id, email: user.email, isPlatformAdmin: user.isPlatformAdmin, sessionId: null, meta };
  const used = await transaction(async (tx) => {
    const r = await useCode(tx, user, code, true);
    if (r?.method === "recovery_code") {
      await recordAudit(tx, actor, { workspaceId: null, action: "user.recovery_code_use", target: { type: "user", id: user.id }, metadata: { remaining: r.remaining ?? 0 } });
    }
    return r;
  });
  if (!used) return { ok: false, method };
  if (used.method === "recovery_code") {
    const left = used.remaining ?? 0;
    notify(user.email, "A recovery code was used to sign in to your Tessera account", [
      `A recovery code was used to sign in to your Tessera account (${user.email}). Each code works once: ${left} ${left === 1 ? "is" : "are"} left.`,
      left <= FEW_RECOVERY_CODES
        ? "Make new recovery codes on the Account page (it needs a code from your authenticator app), or set the app up again if you lost it."
        : "If you lost your authenticator app, set it up again on the Account page.",
      "If this was not you, change your password and end your other sessions on the Account page.",
    ]);
  }
  return { ok: true, method: used.method };
}

/** A notice to the account's own address, in the background (never slows the answer, never throws). */
function notify(to: string, subject: string, paragraphs: string[]): void {
  void sendMail(composeMail({ to, subject, paragraphs, action: { label: "Open your account settings", url: `${publicBaseUrl()}/account` } })).catch((err: unknown) =>
    log.warn({ err: (err as Error)?.message }, "second-factor notice failed"),
  );
}

/**
 * Key rotation (npm run keys:rotate): re-seals every TOTP key (on or pending) sealed under an older
 * master key under the active one. Each user is one conditional update (only if the column still
 * holds what was read), so it runs beside live instances. Recovery codes cannot be re-made (only
 * their HMACs are stored): `usersWithRecoveryCodes` counts the users whose codes may still need
 * an older master key.
 */
export async function rewrapTotpKeys(q: Db = db()): Promise<{ rewrapped: number; total: number; failed: { userId: string; reason: string }[] }> {
  const rows = await q.user.findMany({
    where: { OR: [{ totpSecret: { not: null } }, { totpPendingSecret: { not: null } }] },
    select: { id: true, totpSecret: true, totpPendingSecret: true },
  });
  let rewrapped = 0;
  let total = 0;
  const failed: { userId: string; reason: string }[] = [];
  for (const row of rows) {
    for (const column of ["totpSecret", "totpPendingSecret"] as const) {
      const stored = row[column];
      if (!stored || !totpKeyNeedsRewrap(stored)) continue;
      total++;
      try {
        const resealed = sealTotpKey(row.id, openTotpKey(row.id, stored));
        const r = await q.$transaction((tx) => tx.user.updateMany({ where: { id: row.id, [column]: stored }, data: { [column]: resealed } }));
        rewrapped += r.count;
      } catch (err) {
        // Reported without the value: a damaged or unreadable key must not stop the others.
        failed.push({ userId: row.id, reason: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  return { rewrapped, total, failed };
}

/** Second-factor keys (on or pending) still sealed under a master key other than the active one. */
export async function totpKeysUnderOlderKeys(q: Db = db()): Promise<number> {
  const active = `${config().masterKeys[0]!.id}.`;
  const older = (column: "totpSecret" | "totpPendingSecret") => q.user.count({ where: { AND: [{ [column]: { not: null } }, { NOT: { [column]: { startsWith: active } } }] } });
  return (await older("totpSecret")) + (await older("totpPendingSecret"));
}

/**
 * Users with unused recovery codes. A code's row holds only its HMAC, not which master key made it,
 * so after a rotation these may need an older key: once it is removed, codes made under it stop
 * working (the authenticator app keeps working: its key is re-sealed), until their owners make new
 * ones on the Account page.
 */
export async function usersWithRecoveryCodes(q: Db = db()): Promise<number> {
  return (await q.recoveryCode.groupBy({ by: ["userId"], where: { usedAt: null } })).length;
}
