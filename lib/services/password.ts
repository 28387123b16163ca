// The password lifecycle: changing it while signed in (the current password, within the sudo
// window), and resetting it by email (a single-use link valid for 30 minutes, only its HMAC
// stored). Neither a password nor a link ever reaches a log, an error, an audit event or the
// database in plain text. Limits and behaviour: docs/account-security.md.
import { randomBytes } from "node:crypto";
import type { Actor, RequestMeta, SystemActor } from "../auth/actor";
import { credentialHashKeys, hmacHex } from "../auth/keys";
import { hashPassword, passwordSchema, verifyPassword } from "../auth/password";
import { config, publicBaseUrl } from "../config";
import { db, transaction } from "../db/client";
import { AppError, validationError } from "../errors";
import { log } from "../log";
import { composeMail, sendMail } from "../mail";
import { changePasswordSchema, resetCompleteSchema, resetRequestSchema, type ChangePasswordInput } from "../schemas/password";
import { recordAudit, recordDenied } from "./audit";
import { inTransaction } from "./authorize";
import { giveBack, hit } from "./rate-limit";
import { requireRecentAuth } from "./sudo";
import { clearSignInFailures } from "./users";

/** A reset link works once, for this long. */
export const RESET_LINK_TTL_MS = 30 * 60 * 1000;
/** Link requests per client address per 15 minutes, then 429 (RL-01). */
export const RESET_REQUEST_ADDRESS_LIMIT = 5;
export const RESET_REQUEST_ADDRESS_WINDOW_MS = 15 * 60 * 1000;
/**
 * Link requests per account (the normalised address typed, whether or not it has an account, so
 * the limit tells nothing) per hour, then 429. Each request replaces the previous link, so the
 * owner always has a working link in their latest mail, whoever else asked.
 */
export const RESET_REQUEST_ACCOUNT_LIMIT = 3;
export const RESET_REQUEST_ACCOUNT_WINDOW_MS = 60 * 60 * 1000;
/** Failed link redemptions (unknown, used or expired links) per client address per 15 minutes, then 429. */
export const RESET_REDEEM_FAILURE_LIMIT = 10;
export const RESET_REDEEM_WINDOW_MS = 15 * 60 * 1000;
/** Wrong current passwords per user per 15 minutes on "Change password", then 429 (as sign-in's per-account-and-address limit). */
export const PASSWORD_CHANGE_FAILURE_LIMIT = 10;
export const PASSWORD_CHANGE_WINDOW_MS = 15 * 60 * 1000;

const PURPOSE = "password_reset";
/** 32 random bytes, base64url: the link's secret (256 bits), checked for shape before any lookup. */
const LINK_SECRET = /^[A-Za-z0-9_-]{43}$/;

export const INVALID_LINK_MESSAGE = "This link is invalid or has expired. Ask for a new one.";

/** The HMAC of a link secret under each configured key (the first is the one new links use). */
function linkHashes(secret: string): string[] {
  return credentialHashKeys("account").map((k) => hmacHex(k.key, secret));
}

/** The reset page reads the secret from the URL fragment: browsers never send a fragment to a server, a proxy or a Referer. */
export function resetLink(secret: string): string {
  return `${publicBaseUrl()}/reset-password#${secret}`;
}

const systemActor = (meta: RequestMeta): SystemActor => ({ type: "system", label: "password-reset", meta });

function rateLimited(what: string, retryAfterSeconds: number): AppError {
  return new AppError("RATE_LIMITED", `${what} Try again in ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} min.`, { retryAfterSeconds });
}

function passwordRuleError(field: string, issues: { message: string }[], label: string): AppError {
  return new AppError("VALIDATION_FAILED", `${label} ${issues[0]!.message}`, { details: issues.map((i) => ({ path: field, message: i.message })) });
}

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
const from = (meta: RequestMeta) => (meta.ip ? ` from the address ${meta.ip}` : "");

// ---- Reset by email -----------------------------------------------------------------------------

/**
 * "Send me a reset link". The caller answers the same (202) whatever happens here, short of a
 * 429: the account may exist or not, sign in with SSO only, or be disabled. The work is the
 * same on every path (two counters, one lookup, one link secret and its HMAC); what differs (the
 * link's row and its mail, or a denied audit event) runs in the background, so the answer waits
 * on neither the database write nor SMTP.
 */
export async function requestPasswordReset(input: { email: string }, meta: RequestMeta): Promise<void> {
  const parsed = resetRequestSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { email } = parsed.data;
  // The address first: a refused address does not use up the account's budget.
  const byAddress = await hit(`reset:request:ip:${meta.ip ?? "unknown"}`, RESET_REQUEST_ADDRESS_WINDOW_MS);
  if (byAddress.count > RESET_REQUEST_ADDRESS_LIMIT) throw rateLimited("Too many reset requests from your network.", byAddress.retryAfterSeconds);
  const byAccount = await hit(`reset:request:account:${email}`, RESET_REQUEST_ACCOUNT_WINDOW_MS);
  if (byAccount.count > RESET_REQUEST_ACCOUNT_LIMIT) throw rateLimited("Too many reset requests for this address.", byAccount.retryAfterSeconds);

  const user = await db().user.findUnique({ where: { email }, select: { id: true, email: true, passwordHash: true, disabledAt: true } });
  const secret = randomBytes(32).toString("base64url");
  const hash = linkHashes(secret)[0]!;
  // The request's time orders the links, whichever background write lands first (see `redeemable`).
  const requestedAt = new Date();
  void deliverResetLink(user, secret, hash, requestedAt, meta).catch((err: unknown) => log.warn({ requestId: meta.requestId, err: (err as Error)?.message }, "password reset link could not be made"));
}

async function deliverResetLink(
  user: { id: string; email: string; passwordHash: string | null; disabledAt: Date | null } | null,
  secret: string,
  hash: string,
  requestedAt: Date,
  meta: RequestMeta,
): Promise<void> {
  const actor = systemActor(meta);
  const refusal = !user ? "unknown_account" : user.disabledAt ? "disabled" : !user.passwordHash ? "sso_only" : null;
  if (!user || refusal) {
    await transaction((tx) =>
      recordAudit(tx, actor, {
        workspaceId: null,
        action: "user.password_reset_request",
        target: { type: "user", id: user?.id ?? null },
        result: "denied",
        metadata: { reason: refusal },
      }),
    );
    // An SSO-only owner learns why no link came (and that nothing changed); the limit per account bounds these mails.
    if (user && refusal === "sso_only") {
      const base = publicBaseUrl();
      await sendMail(
        composeMail({
          to: user.email,
          subject: "About your Tessera password",
          paragraphs: [
            `Someone asked to reset the password of the Tessera account ${user.email} at ${base}.`,
            `This account signs in with single sign-on${config().oidc ? ` (${config().oidc!.label})` : ""}, so it has no password here: nothing was changed.`,
          ],
          action: { label: "Sign in", url: `${base}/login` },
          footer: "If you did not ask for this, you can ignore this mail.",
        }),
      );
    }
    return;
  }
  await transaction(async (tx) => {
    // One link at a time: a new request makes the older unused links stop working (deleted here;
    // and a link is redeemable only while it is its user's newest, should two requests' writes cross).
    await tx.accountToken.deleteMany({ where: { userId: user.id, purpose: PURPOSE, usedAt: null, createdAt: { lt: requestedAt } } });
    await tx.accountToken.create({
      data: { userId: user.id, purpose: PURPOSE, hash, email: user.email, createdAt: requestedAt, expiresAt: new Date(requestedAt.getTime() + RESET_LINK_TTL_MS) },
    });
    await recordAudit(tx, actor, {
      workspaceId: null,
      action: "user.password_reset_request",
      target: { type: "user", id: user.id },
      metadata: { expiresInMinutes: RESET_LINK_TTL_MS / 60_000 },
    });
  });
  const link = resetLink(secret);
  const base = publicBaseUrl();
  await sendMail(
    composeMail({
      to: user.email,
      subject: "Reset your Tessera password",
      paragraphs: [
        `Someone, hopefully you, asked to reset the password of your Tessera account ${user.email} at ${base}${from(meta)}.`,
        "Choose a new password with the link below. It works once, within 30 minutes; asking for another link makes this one stop working. Resetting signs you out everywhere.",
      ],
      action: { label: "Choose a new password", url: link },
      footer: "If you did not ask for this, ignore this mail: your password stays as it is.",
      sensitive: [link, secret],
    }),
  );
}

/**
 * A reset link for an operator to hand over (`npm run user:reset-link -- <email>`): the way back
 * into an account when the server cannot send mail. Made at once, like a mailed link (30 minutes,
 * once, replaces older links), and audited with the system actor "operator"; the link is returned,
 * never logged. Unlike "send me a link", this says why there is none (the operator may know).
 */
export async function issueResetLink(email: string, meta: RequestMeta): Promise<{ link: string; expiresAt: Date }> {
  const parsed = resetRequestSchema.safeParse({ email });
  if (!parsed.success) throw validationError(parsed.error);
  const user = await db().user.findUnique({ where: { email: parsed.data.email }, select: { id: true, email: true, passwordHash: true, disabledAt: true } });
  if (!user) throw new AppError("NOT_FOUND", `No account has the address ${parsed.data.email}`);
  if (user.disabledAt) throw new AppError("CONFLICT", "This account is disabled: enable it on the Admin page first");
  if (!user.passwordHash) throw new AppError("CONFLICT", "This account signs in with single sign-on: it has no password to reset");
  const secret = randomBytes(32).toString("base64url");
  const now = new Date();
  const expiresAt = new Date(now.getTime() + RESET_LINK_TTL_MS);
  await transaction(async (tx) => {
    await tx.accountToken.deleteMany({ where: { userId: user.id, purpose: PURPOSE, usedAt: null, createdAt: { lt: now } } });
    await tx.accountToken.create({ data: { userId: user.id, purpose: PURPOSE, hash: linkHashes(secret)[0]!, email: user.email, createdAt: now, expiresAt } });
    await recordAudit(tx, { type: "system", label: "operator", meta }, {
      workspaceId: null,
      action: "user.password_reset_request",
      target: { type: "user", id: user.id },
      metadata: { expiresInMinutes: RESET_LINK_TTL_MS / 60_000, delivery: "operator" },
    });
  });
  return { link: resetLink(secret), expiresAt };
}

type Redeemable = { id: string; user: { id: string; email: string; emailVerifiedAt: Date | null } };

/**
 * The link's row if it can still be used (known, unused, unexpired, for its user's current
 * address, and an enabled user with a password), else INVALID_LINK. Every failure counts toward
 * the client address's limit; a good link gives its attempt back.
 */
async function redeemable(secret: string, meta: RequestMeta): Promise<Redeemable> {
  const key = `reset:redeem:ip:${meta.ip ?? "unknown"}`;
  const limit = await hit(key, RESET_REDEEM_WINDOW_MS);
  if (limit.count > RESET_REDEEM_FAILURE_LIMIT) throw rateLimited("Too many invalid reset links from your network.", limit.retryAfterSeconds);
  const row = LINK_SECRET.test(secret)
    ? await db().accountToken.findFirst({
        where: { hash: { in: linkHashes(secret) }, purpose: PURPOSE },
        select: {
          id: true,
          email: true,
          usedAt: true,
          expiresAt: true,
          createdAt: true,
          user: { select: { id: true, email: true, emailVerifiedAt: true, passwordHash: true, disabledAt: true } },
        },
      })
    : null;
  const newer = row ? await db().accountToken.count({ where: { userId: row.user.id, purpose: PURPOSE, createdAt: { gt: row.createdAt } } }) : 0;
  const usable =
    row && !row.usedAt && row.expiresAt.getTime() > Date.now() && newer === 0 && !row.user.disabledAt && row.user.passwordHash && row.user.email === row.email;
  if (!row || !usable) {
    const err = new AppError("VALIDATION_FAILED", INVALID_LINK_MESSAGE, { details: [{ path: "token", message: "is invalid or has expired" }] });
    err.denied = {
      workspaceId: null,
      action: "user.password_reset",
      target: { type: "user", id: row?.user.id ?? null },
      metadata: { reason: !row ? "unknown_link" : row.usedAt ? "used" : row.expiresAt.getTime() <= Date.now() ? "expired" : newer ? "replaced" : "not_usable" },
    };
    throw err;
  }
  await giveBack(key);
  return { id: row.id, user: { id: row.user.id, email: row.user.email, emailVerifiedAt: row.user.emailVerifiedAt } };
}

/** Whether a reset link can be used (the reset page asks before showing its form): its account's address, or INVALID_LINK. */
export async function checkResetLink(secret: string, meta: RequestMeta): Promise<{ email: string }> {
  const found = await redeemable(secret, meta);
  return { email: found.user.email };
}

/**
 * Sets a new password with a reset link: the link is used up, every session of the user ends
 * (this browser is not signed in either), other unused links stop working, the address counts as
 * proven (the mail reached it), and the user gets a notice mail. Audited as `user.password_reset`.
 */
export async function completePasswordReset(raw: { token: string; password: string }, meta: RequestMeta): Promise<{ sessionsEnded: number }> {
  const parsed = resetCompleteSchema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  const input = parsed.data;
  const actor = systemActor(meta);
  let found: Redeemable;
  try {
    found = await redeemable(input.token, meta);
  } catch (err) {
    if (err instanceof AppError && err.denied) await recordDenied(actor, err.denied);
    throw err;
  }
  const rule = passwordSchema(found.user.email).safeParse(input.password);
  if (!rule.success) throw passwordRuleError("password", rule.error.issues, "Password");
  const passwordHash = await hashPassword(input.password);
  const now = new Date();
  const sessionsEnded = await transaction(async (tx) => {
    // Conditional: of two submissions of one link, one wins and the other finds it used.
    const used = await tx.accountToken.updateMany({ where: { id: found.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (used.count !== 1) throw new AppError("VALIDATION_FAILED", INVALID_LINK_MESSAGE, { details: [{ path: "token", message: "is invalid or has expired" }] });
    await tx.accountToken.deleteMany({ where: { userId: found.user.id, purpose: PURPOSE, usedAt: null } });
    await tx.user.update({
      where: { id: found.user.id },
      data: { passwordHash, passwordChangedAt: now, ...(found.user.emailVerifiedAt ? {} : { emailVerifiedAt: now }) },
    });
    const ended = await tx.session.updateMany({ where: { userId: found.user.id, revokedAt: null }, data: { revokedAt: now } });
    await recordAudit(tx, actor, {
      workspaceId: null,
      action: "user.password_reset",
      target: { type: "user", id: found.user.id },
      metadata: { sessionsEnded: ended.count, emailVerified: found.user.emailVerifiedAt === null },
    });
    return ended.count;
  });
  // The link proved the owner: their failed sign-ins from this address, and wrong second-factor
  // codes (the per-account code limit), no longer hold them back.
  await clearSignInFailures(found.user.email, meta.ip, found.user.id);
  notify(found.user.email, "reset", now, meta);
  return { sessionsEnded };
}

// ---- Change while signed in ----------------------------------------------------------------------

/** What the Account page shows: whether the user has a password (SSO-only users do not), and when it was last set. */
export async function passwordStatus(actor: Actor): Promise<{ hasPassword: boolean; changedAt: Date | null }> {
  if (actor.type !== "user") throw new AppError("FORBIDDEN", "Only a signed-in user has a password");
  const user = await db().user.findUnique({ where: { id: actor.userId }, select: { passwordHash: true, passwordChangedAt: true } });
  return { hasPassword: Boolean(user?.passwordHash), changedAt: user?.passwordChangedAt ?? null };
}

/**
 * Changes the signed-in user's password: needs the current one and the sudo window (SES-07).
 * Every other session of the user ends; this one stays. Wrong current passwords are audited
 * (denied) and limited per user (429 past PASSWORD_CHANGE_FAILURE_LIMIT). The user gets a notice mail.
 */
export async function changePassword(actor: Actor, raw: ChangePasswordInput): Promise<{ otherSessionsEnded: number }> {
  if (actor.type !== "user") throw new AppError("FORBIDDEN", "Only a signed-in user changes their password");
  const parsed = changePasswordSchema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  const input = parsed.data;
  const user = await db().user.findUnique({ where: { id: actor.userId }, select: { email: true, passwordHash: true } });
  if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  if (!user.passwordHash) throw new AppError("BAD_REQUEST", "You sign in with single sign-on: your password is managed by your identity provider.");
  // The new password's rule first: a typo there costs no attempt.
  const rule = passwordSchema(user.email).safeParse(input.newPassword);
  if (!rule.success) throw passwordRuleError("newPassword", rule.error.issues, "New password");
  // Outside the sudo window the dashboard asks "Confirm it's you", then sends the form again.
  requireRecentAuth(actor, "user.password_change");

  const key = `password-change:user:${actor.userId}`;
  const count = await hit(key, PASSWORD_CHANGE_WINDOW_MS);
  if (count.count > PASSWORD_CHANGE_FAILURE_LIMIT) throw rateLimited("Too many wrong passwords.", count.retryAfterSeconds);
  if (!(await verifyPassword(input.currentPassword.slice(0, 1000), user.passwordHash))) {
    await recordDenied(actor, { workspaceId: null, action: "user.password_change", target: { type: "user", id: actor.userId }, metadata: { reason: "wrong_current_password" } });
    throw new AppError("VALIDATION_FAILED", "Your current password is not right.", { details: [{ path: "currentPassword", message: "is not right" }] });
  }
  await giveBack(key);
  if (await verifyPassword(input.newPassword, user.passwordHash)) {
    throw new AppError("VALIDATION_FAILED", "New password must differ from your current password.", {
      details: [{ path: "newPassword", message: "must differ from your current password" }],
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const now = new Date();
  const otherSessionsEnded = await inTransaction(actor, async (tx) => {
    // Conditional on the hash just checked: a concurrent change (or reset) wins, and this one is refused.
    const changed = await tx.user.updateMany({ where: { id: actor.userId, passwordHash: user.passwordHash }, data: { passwordHash, passwordChangedAt: now } });
    if (changed.count !== 1) throw new AppError("CONFLICT", "Your password was changed meanwhile. Reload the page and try again.");
    const ended = await tx.session.updateMany({
      where: { userId: actor.userId, revokedAt: null, ...(actor.sessionId ? { id: { not: actor.sessionId } } : {}) },
      data: { revokedAt: now },
    });
    // A reset link mailed before the change would undo it: it stops working.
    await tx.accountToken.deleteMany({ where: { userId: actor.userId, purpose: PURPOSE, usedAt: null } });
    await recordAudit(tx, actor, { workspaceId: null, action: "user.password_change", target: { type: "user", id: actor.userId }, metadata: { otherSessionsEnded: ended.count } });
    return ended.count;
  });
  notify(user.email, "change", now, actor.meta);
  return { otherSessionsEnded };
}

/** The notice to the account's address after a change or a reset; in the background (the answer does not wait on SMTP). */
function notify(email: string, kind: "change" | "reset", at: Date, meta: RequestMeta): void {
  const base = publicBaseUrl();
  const mail =
    kind === "change"
      ? composeMail({
          to: email,
          subject: "Your Tessera password was changed",
          paragraphs: [
            `The password of your Tessera account ${email} was changed on ${when(at)}${from(meta)}.`,
            "Your other sessions were signed out; the one that made the change stays signed in.",
            `If this was not you, reset your password now at ${base}/forgot-password, then check your sessions and API tokens on your account page.`,
          ],
          action: { label: "Review your account", url: `${base}/account` },
        })
      : composeMail({
          to: email,
          subject: "Your Tessera password was reset",
          paragraphs: [
            `The password of your Tessera account ${email} was reset with a link sent to this address, on ${when(at)}${from(meta)}.`,
            "Every session was signed out: sign in again with the new password.",
            `If this was not you, someone can read your mail: secure your mailbox, then reset your password again at ${base}/forgot-password.`,
          ],
          action: { label: "Review your account", url: `${base}/account` },
        });
  void sendMail(mail);
}

/** Reset links a day past their expiry, used or not, are deleted by the hourly job (lib/jobs/audit-retention.ts); returns how many. */
export async function purgeExpiredResetLinks(now = new Date()): Promise<number> {
  const { count } = await transaction((tx) => tx.accountToken.deleteMany({ where: { purpose: PURPOSE, expiresAt: { lt: new Date(now.getTime() - 24 * 60 * 60 * 1000) } } }));
  return count;
}
