// Email verification (issue 15): proof that the person who holds an account also reads its
// address. A password sign-up, and every change of address, sends a link to the address; the
// identity provider vouches for SSO addresses (email_verified: true); a platform admin may mark an
// address verified (the way out when mail is not configured). Until then the account cannot
// accept an invitation sent to its address, nor join a workspace that claimed its email domain.
//
// The link carries 32 random bytes (base64url); only their HMAC (credentialHashKeys("account")) is
// stored, as an AccountToken (purpose "email_verify") that records the address it was sent to. It
// works once, for 24 hours, only while the account still has that address, and only for someone
// signed in to that account: a link that verified whoever opened it would let an attacker who
// registered your address have it verified by you (or by a mail scanner that follows links).
import { randomBytes } from "node:crypto";
import type { Actor, UserActor } from "../auth/actor";
import { credentialHashKeys, hmacHex } from "../auth/keys";
import { config, publicBaseUrl } from "../config";
import { db, type Tx } from "../db/client";
import { AppError, parseInput } from "../errors";
import { composeMail, sendMail, type MailDelivery } from "../mail";
import { emailSchema } from "../schemas/user";
import { recordAudit, recordDenied } from "./audit";
import { inTransaction, platformAdmin } from "./authorize";
import { hit } from "./rate-limit";
import { requireRecentAuth } from "./sudo";

/** How long a verification link works. */
export const VERIFY_LINK_TTL_MS = 24 * 60 * 60 * 1000;
export const VERIFY_LINK_TTL_TEXT = "24 hours";
/** Verification mails (resends and changes of address) per user, and per address, per window; then 429. */
export const VERIFY_MAIL_LIMIT = 5;
export const VERIFY_MAIL_WINDOW_MS = 60 * 60 * 1000;
/** Changes of address per user per window (refused ones count too: each one probes an address). */
export const EMAIL_CHANGE_LIMIT = 5;
export const EMAIL_CHANGE_WINDOW_MS = 60 * 60 * 1000;
/** Unknown links opened per client address per window, then 429 (RL-01). */
export const VERIFY_FAILURE_LIMIT = 20;
const VERIFY_FAILURE_WINDOW_MS = 15 * 60 * 1000;

const PURPOSE = "email_verify";
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** Whether mail goes out here (TESSERA_SMTP_URL); without it nobody can receive a link, and an admin verifies. */
export function mailConfigured(): boolean {
  return Boolean(config().smtpUrl);
}

function linkHashes(secret: string): string[] {
  return credentialHashKeys("account").map((k) => hmacHex(k.key, secret));
}

export function verificationLink(secret: string): string {
  return `${publicBaseUrl()}/verify-email/${secret}`;
}

/** What an unverified account is told where it needs a verified address (accepting an invitation). */
export function verifyFirstMessage(email: string): string {
  return mailConfigured()
    ? `Verify your email address first: we sent a link to ${email}; resend from your account page (/account).`
    : `Verify your email address first: mail is not set up on this server, so a platform admin must mark ${email} verified.`;
}

/** Creates a link for the user's current address in the caller's transaction; returns its secret (mail it, never store it). */
export async function createVerificationIn(tx: Tx, user: { id: string; email: string }): Promise<string> {
  const secret = randomBytes(32).toString("base64url");
  await tx.accountToken.create({
    data: { userId: user.id, purpose: PURPOSE, hash: linkHashes(secret)[0]!, email: user.email, expiresAt: new Date(Date.now() + VERIFY_LINK_TTL_MS) },
  });
  return secret;
}

/** The mail with the link (text and HTML); the link is named sensitive, so the log-only mode never shows it. */
export function verificationMail(to: string, secret: string, reason: "signup" | "resend" | "change") {
  const base = publicBaseUrl();
  const why =
    reason === "signup"
      ? `Someone created a Tessera account at ${base} with this address (${to}).`
      : reason === "change"
        ? `The email address of a Tessera account at ${base} was changed to this address (${to}).`
        : `You asked for a new link to verify this address (${to}) for your Tessera account at ${base}.`;
  return composeMail({
    to,
    subject: "Verify your email address for Tessera",
    paragraphs: [
      why,
      "If that was you, open the link below while signed in to that account to verify the address. Until then the account cannot accept invitations sent to it.",
    ],
    action: { label: "Verify my address", url: verificationLink(secret) },
    footer: `The link works once and expires in ${VERIFY_LINK_TTL_TEXT}. If it was not you, ignore this mail: nothing is verified unless someone signed in to that account opens the link.`,
    sensitive: [secret],
  });
}

function limited(message: string, retryAfterSeconds: number): AppError {
  return new AppError("RATE_LIMITED", `${message} Try again in ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} min.`, { retryAfterSeconds });
}

/** Counts one verification mail for the user and for the address; throws 429 past either limit. */
async function verificationMailBudget(userId: string | null, email: string): Promise<void> {
  const [byUser, byAddress] = await Promise.all([
    userId ? hit(`verify-mail:user:${userId}`, VERIFY_MAIL_WINDOW_MS) : Promise.resolve({ count: 0, retryAfterSeconds: 0 }),
    hit(`verify-mail:address:${email}`, VERIFY_MAIL_WINDOW_MS),
  ]);
  const over = [byUser, byAddress].filter((s) => s.count > VERIFY_MAIL_LIMIT);
  if (over.length) throw limited("Too many verification mails.", Math.max(...over.map((s) => s.retryAfterSeconds)));
}

/**
 * The sign-up's link, sent in the background by the caller (so that a new address is not answered
 * slower than an existing one). Counted against the address's limit; past it, nothing is sent.
 */
export async function sendSignupVerification(email: string, secret: string): Promise<MailDelivery | "limited"> {
  try {
    await verificationMailBudget(null, email);
  } catch {
    return "limited";
  }
  return sendMail(verificationMail(email, secret, "signup"));
}

export function sessionUser(actor: Actor, what: string): UserActor {
  if (actor.type !== "user") throw new AppError("FORBIDDEN", `Only a signed-in user ${what}`);
  return actor;
}

/** Whether the user's current address is verified. */
export async function emailVerified(userId: string): Promise<boolean> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { emailVerifiedAt: true } });
  return Boolean(user?.emailVerifiedAt);
}

/**
 * Sends a new link to the signed-in user's address. Limited per user and per address (429 with
 * retryAfterSeconds). Without mail configured there is nobody to send it to: 400, and the page says
 * an admin verifies instead. Audited as `user.email_verify_request` (the address, never the link).
 */
export async function resendVerification(actor: Actor): Promise<{ email: string; expiresAt: Date; delivery: MailDelivery }> {
  const me = sessionUser(actor, "asks for a verification link");
  if (!mailConfigured()) {
    throw new AppError("BAD_REQUEST", "Mail is not set up on this server, so no link can be sent. Ask a platform admin to mark your address verified.");
  }
  const user = await db().user.findUnique({ where: { id: me.userId }, select: { email: true, emailVerifiedAt: true } });
  if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  if (user.emailVerifiedAt) throw new AppError("CONFLICT", "Your address is already verified");
  await verificationMailBudget(me.userId, user.email);
  const { secret, email } = await inTransaction(me, async (tx) => {
    // Read again inside the transaction: the address may have changed since.
    const current = await tx.user.findUniqueOrThrow({ where: { id: me.userId }, select: { id: true, email: true, emailVerifiedAt: true } });
    if (current.emailVerifiedAt) throw new AppError("CONFLICT", "Your address is already verified");
    const secret = await createVerificationIn(tx, current);
    await recordAudit(tx, me, { workspaceId: null, action: "user.email_verify_request", target: { type: "user", id: me.userId }, metadata: { email: current.email } });
    return { secret, email: current.email };
  });
  const delivery = await sendMail(verificationMail(email, secret, "resend"));
  return { email, expiresAt: new Date(Date.now() + VERIFY_LINK_TTL_MS), delivery };
}

type Link = { id: string; userId: string; email: string; expiresAt: Date; usedAt: Date | null };

async function findLink(secret: string): Promise<Link | null> {
  if (!SECRET.test(secret)) return null;
  return db().accountToken.findFirst({
    where: { hash: { in: linkHashes(secret) }, purpose: PURPOSE },
    select: { id: true, userId: true, email: true, expiresAt: true, usedAt: true },
  });
}

export type VerificationPreview =
  | { state: "invalid" }
  | {
      /** ready: the signed-in owner may confirm; verified: this address is verified already (the link may have been used for it). */
      state: "ready" | "verified" | "used" | "expired" | "changed";
      email: string;
      expiresAt: Date;
      /** Whether the viewer is signed in to the account the link is for (null: not signed in). */
      viewerIsOwner: boolean | null;
    };

/** What the link's page shows to whoever opens it (nothing for an unknown link). Changes nothing. */
export async function previewVerification(secret: string, viewerId?: string | null): Promise<VerificationPreview> {
  const link = await findLink(secret);
  if (!link) return { state: "invalid" };
  const user = await db().user.findUnique({ where: { id: link.userId }, select: { email: true, emailVerifiedAt: true } });
  const base = { email: link.email, expiresAt: link.expiresAt, viewerIsOwner: viewerId ? viewerId === link.userId : null };
  if (!user || user.email !== link.email) return { ...base, state: "changed" };
  if (user.emailVerifiedAt) return { ...base, state: "verified" };
  if (link.usedAt) return { ...base, state: "used" };
  if (link.expiresAt.getTime() <= Date.now()) return { ...base, state: "expired" };
  return { ...base, state: "ready" };
}

/**
 * Verifies the address a link was sent to, for the signed-in owner of the account it was made for:
 * the link is used up (a conditional update, so once also under concurrency), and the account's
 * address is verified if it still is the link's address. Audited as `user.email_verify`
 * ({by: "link"}); a link for another account is refused (403, audited), an unknown one counted
 * against the client address (429 past VERIFY_FAILURE_LIMIT).
 */
export async function verifyEmail(actor: Actor, secret: string): Promise<{ email: string; emailVerifiedAt: Date }> {
  const me = sessionUser(actor, "verifies an address: sign in first");
  const link = await findLink(typeof secret === "string" ? secret : "");
  const target = { type: "user", id: me.userId };
  if (!link) {
    const failures = await hit(`verify-email:ip:${me.meta.ip ?? "unknown"}`, VERIFY_FAILURE_WINDOW_MS);
    if (failures.count > VERIFY_FAILURE_LIMIT) throw limited("Too many invalid verification links.", failures.retryAfterSeconds);
    await recordDenied(me, { workspaceId: null, action: "user.email_verify", target });
    throw new AppError("NOT_FOUND", "This verification link is not valid. Check that you opened the whole link from the mail.");
  }
  return inTransaction(me, async (tx) => {
    if (link.userId !== me.userId) {
      const err = new AppError("FORBIDDEN", `This link is for another account. Sign out, then sign in as ${link.email} and open it again.`);
      err.denied = { workspaceId: null, action: "user.email_verify", target: { type: "user", id: link.userId } };
      throw err;
    }
    const user = await tx.user.findUniqueOrThrow({ where: { id: me.userId }, select: { email: true, emailVerifiedAt: true } });
    if (user.email !== link.email) {
      throw new AppError("CONFLICT", `This link was sent to ${link.email}, which is no longer your account's address. Open the newest link we sent, or send one from your account page.`);
    }
    if (user.emailVerifiedAt) return { email: user.email, emailVerifiedAt: user.emailVerifiedAt };
    if (link.expiresAt.getTime() <= Date.now()) throw new AppError("CONFLICT", "This link has expired. Send a new one from your account page.");
    const claimed = await tx.accountToken.updateMany({ where: { id: link.id, usedAt: null }, data: { usedAt: new Date() } });
    if (claimed.count !== 1) throw new AppError("CONFLICT", "This link has already been used. Send a new one from your account page.");
    // Conditional on the address too: a change of address committed meanwhile is not verified by this link.
    const now = new Date();
    const verified = await tx.user.updateMany({ where: { id: me.userId, email: link.email }, data: { emailVerifiedAt: now } });
    if (verified.count !== 1) throw new AppError("CONFLICT", "Your account's address changed meanwhile. Open the newest link we sent.");
    await recordAudit(tx, me, { workspaceId: null, action: "user.email_verify", target, metadata: { email: link.email, by: "link" } });
    return { email: link.email, emailVerifiedAt: now };
  });
}

/**
 * A platform admin marks a user's current address verified (also their own: on a server without
 * mail that is how the first admin's address gets verified). In the caller's transaction, after
 * the admin check. Already verified: unchanged, not audited again. Audited as `user.email_verify`
 * ({by: "admin"}).
 */
export async function markVerifiedIn(tx: Tx, actor: Actor, userId: string): Promise<void> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, emailVerifiedAt: true } });
  if (!user) throw new AppError("NOT_FOUND", "User not found");
  if (user.emailVerifiedAt) return;
  await tx.user.update({ where: { id: userId }, data: { emailVerifiedAt: new Date() } });
  await recordAudit(tx, actor, { workspaceId: null, action: "user.email_verify", target: { type: "user", id: userId }, metadata: { email: user.email, by: "admin" } });
}

/** Platform admins (a session, or a full user token with the platform scope): marks a user's address verified. */
export async function markEmailVerified(actor: Actor, userId: string): Promise<void> {
  await inTransaction(actor, async (tx) => {
    await platformAdmin(actor, "write", tx, "user.email_verify");
    await markVerifiedIn(tx, actor, userId);
  });
}

/**
 * Changes the signed-in user's address, inside the sudo window (SES-07). The new address takes
 * over at once, unverified: a link goes to it, and a notice to the old one. Accounts that sign in
 * through SSO keep the address their identity provider gives them. An address another account
 * has is refused (409): the new address shows on the account page at once, so answering as if it
 * had changed would not hide anything; the probing that allows is bounded by the sudo window and
 * EMAIL_CHANGE_LIMIT, and each refusal is audited. Audited as `user.email_change` ({from, to}).
 */
export async function changeEmail(actor: Actor, input: { email: unknown }): Promise<{ email: string; delivery: MailDelivery | "none" }> {
  const me = sessionUser(actor, "changes their address");
  const email = parseInput(emailSchema, input.email);
  requireRecentAuth(me, "user.email_change");
  const current = await db().user.findUnique({ where: { id: me.userId }, select: { email: true, _count: { select: { identities: true } } } });
  if (!current) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  if (current._count.identities > 0) {
    throw new AppError("BAD_REQUEST", "You sign in with single sign-on: your address comes from your identity provider. Change it there.");
  }
  if (email === current.email) throw new AppError("VALIDATION_FAILED", "That is already your address", { details: [{ path: "email", message: "is already your address" }] });
  const changes = await hit(`email-change:user:${me.userId}`, EMAIL_CHANGE_WINDOW_MS);
  if (changes.count > EMAIL_CHANGE_LIMIT) throw limited("Too many changes of address.", changes.retryAfterSeconds);
  if (mailConfigured()) await verificationMailBudget(me.userId, email);
  const target = { type: "user", id: me.userId };
  const { from, secret } = await inTransaction(me, async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: me.userId }, select: { id: true, email: true } });
    const taken = await tx.user.findUnique({ where: { email }, select: { id: true } });
    if (taken) {
      const err = new AppError("CONFLICT", "That address belongs to another Tessera account.");
      err.denied = { workspaceId: null, action: "user.email_change", target, metadata: { from: user.email, to: email } };
      throw err;
    }
    await tx.user.update({ where: { id: me.userId }, data: { email, emailVerifiedAt: null } });
    const secret = mailConfigured() ? await createVerificationIn(tx, { id: me.userId, email }) : null;
    await recordAudit(tx, me, { workspaceId: null, action: "user.email_change", target, metadata: { from: user.email, to: email } });
    return { from: user.email, secret };
  }).catch((err: unknown) => {
    // Two accounts taking one address at the same moment: the unique index decides.
    if ((err as { code?: string })?.code === "P2002") throw new AppError("CONFLICT", "That address belongs to another Tessera account.");
    throw err;
  });
  const base = publicBaseUrl();
  const notice = composeMail({
    to: from,
    subject: "The email address of your Tessera account was changed",
    paragraphs: [
      `The email address of your Tessera account at ${base} was changed from ${from} to ${email}. Sign-in and mail now use the new address.`,
      "If you made this change, there is nothing to do. If you did not, someone who knows your password changed it: tell your Tessera administrator at once.",
    ],
    action: { label: "Open your account", url: `${base}/account` },
  });
  const [delivery] = await Promise.all([secret ? sendMail(verificationMail(email, secret, "change")) : Promise.resolve("none" as const), sendMail(notice)]);
  return { email, delivery };
}
