// Users: sign-up, password and SSO sign-in, just-in-time provisioning with a personal workspace.
import type { Actor, RequestMeta, UserActor } from "../auth/actor";
import { hashPassword, passwordSchema, verifyPassword } from "../auth/password";
import { isRole } from "../auth/permissions";
import { config, publicBaseUrl } from "../config";
import { dbProvider, transaction, type Tx } from "../db/client";
import type { User } from "../generated/sqlite/client";
import { AppError, parseInput, validationError } from "../errors";
import { adminUsersQuerySchema, type AdminUsersQuery } from "../schemas/admin";
import { log } from "../log";
import { sendMail } from "../mail";
import { withoutHiddenCharacters } from "../schemas/common";
import { emailSchema, signUpSchema, type SignUpInput } from "../schemas/user";
import { recordAudit } from "./audit";
import { inTransaction, platformAdmin } from "./authorize";
import { checkSignInCode } from "./mfa";
import { giveBack, hit, peek, reset, type LimitState } from "./rate-limit";
import { createVerificationIn, mailConfigured, markVerifiedIn, sendSignupVerification } from "./verification";
import { createWorkspaceIn } from "./workspaces";

// Sign-in limits (security.md RL-01/RL-02). Nobody can lock the real user out alone: lock-outs
// are per (account, address) pair and per address, never per account. See docs/guide.md, "Signing in".
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
/** Failures of one account from one address before that pair is refused with 429. */
export const PAIR_FAILURE_LIMIT = 10;
/** Failures from one address, whatever the accounts, before the address is refused with 429. */
export const ADDRESS_FAILURE_LIMIT = 30;
/**
 * Failures of one account from all addresses (NIST SP 800-63B: at most 100) after which the
 * account is "under attack": an address that already failed for it in the window is refused;
 * an address with no failures for it still gets its attempt (so the real user still can sign in).
 */
export const ACCOUNT_FAILURE_LIMIT = 100;
/** Failures (of the account, or a third of the address's) after which each failure is slowed down. */
export const SLOWDOWN_AFTER = 3;

export function userActor(user: Pick<User, "id" | "email" | "isPlatformAdmin">, meta: RequestMeta, sessionId: string | null = null): UserActor {
  return { type: "user", userId: user.id, email: user.email, isPlatformAdmin: user.isPlatformAdmin, sessionId, meta };
}

/** A name from an SSO profile, held to the rule of typed names: nothing invisible (removed, not refused), at most 64 characters. */
function ssoName(name: string | null | undefined): string | null {
  return name ? withoutHiddenCharacters(name).trim().slice(0, 64) || null : null;
}

function personalName(name: string | null, email: string): string {
  const base = (name?.trim() || email.split("@")[0] || "My").slice(0, 50);
  return `${base}'s workspace`;
}

/**
 * Creates a user with a personal workspace (owner), all in the caller's transaction.
 * Platform admins: listed in TESSERA_ADMIN_EMAILS, or the first account of a fresh install.
 * SSO users whose email domain a workspace has claimed join it with its default role.
 */
async function provision(
  tx: Tx,
  data: { email: string; name: string | null; passwordHash?: string; identity?: { provider: string; subject: string }; idpVerified?: boolean },
  meta: RequestMeta,
): Promise<User> {
  const c = config();
  const isFirst = (await tx.user.count()) === 0;
  const user = await tx.user.create({
    data: {
      email: data.email,
      name: data.name,
      passwordHash: data.passwordHash ?? null,
      // TESSERA_ADMIN_EMAILS is trusted only for addresses the identity provider vouches for:
      // a password sign-up proves nothing about the address. The first account of a fresh
      // install is an admin either way.
      isPlatformAdmin: isFirst || (Boolean(data.identity) && c.adminEmails.includes(data.email)),
      ...(data.identity ? { identities: { create: { ...data.identity, email: data.email } } } : {}),
    },
  });
  const actor = userActor(user, meta);
  await recordAudit(tx, actor, {
    workspaceId: null,
    action: "user.create",
    target: { type: "user", id: user.id },
    metadata: { method: data.identity ? "oidc" : "password", platformAdmin: user.isPlatformAdmin },
  });
  await createWorkspaceIn(tx, actor, personalName(data.name, data.email), true);
  // A password sign-up proves nothing about the address, not even the first account's: it stays
  // unverified until its link is opened (or a platform admin, possibly itself, marks it verified).
  const provisioned = data.identity && data.idpVerified ? await idpVerifies(tx, user, meta) : user;
  if (data.identity) await joinClaimedDomain(tx, provisioned, meta);
  return provisioned;
}

/**
 * The identity provider vouches for this account's address (email_verified: true for the same
 * address): it is verified from now on, if it was not. Audited as `user.email_verify` ({by: "idp"}).
 */
async function idpVerifies(tx: Tx, user: User, meta: RequestMeta): Promise<User> {
  if (user.emailVerifiedAt) return user;
  const updated = await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
  await recordAudit(tx, userActor(updated, meta), {
    workspaceId: null,
    action: "user.email_verify",
    target: { type: "user", id: user.id },
    metadata: { email: user.email, by: "idp" },
  });
  return updated;
}

/**
 * SSO sign-in: joins the workspace that claimed the user's email domain, if any. Only a verified
 * address is matched (issue 15): an address nobody proved could be anyone's.
 */
async function joinClaimedDomain(tx: Tx, user: User, meta: RequestMeta): Promise<void> {
  const domain = user.email.split("@")[1];
  if (!domain || !user.emailVerifiedAt) return;
  const ws = await tx.workspace.findUnique({ where: { ssoDomain: domain } });
  if (!ws) return;
  const existing = await tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId: ws.id, userId: user.id } } });
  if (existing) return;
  const role = isRole(ws.ssoDefaultRole) && ws.ssoDefaultRole !== "owner" ? ws.ssoDefaultRole : "member";
  await tx.membership.create({ data: { workspaceId: ws.id, userId: user.id, role } });
  await recordAudit(tx, userActor(user, meta), {
    workspaceId: ws.id,
    action: "member.join_sso",
    target: { type: "user", id: user.id },
    metadata: { domain, role },
  });
}

/** Sign-ups (that pass validation) per client address per window, then 429 (RL-03). */
export const SIGNUP_ADDRESS_LIMIT = 10;
export const SIGNUP_WINDOW_MS = 15 * 60 * 1000;
/** At most one "someone tried to sign up with your address" mail per account per window. */
const SIGNUP_NOTICE_WINDOW_MS = 60 * 60 * 1000;

/**
 * Email and password sign-up. The caller must answer exactly the same whether an account was
 * made (the new user is returned) or the address already had one (null is returned: nothing is
 * created or changed, nobody is signed in, the attempt is audited, and the owner gets a notice
 * mail in the background). Both paths hash the password, so timing does not tell either.
 * Limited per client address (RATE_LIMITED with retryAfterSeconds).
 */
export async function signUpWithPassword(input: SignUpInput, meta: RequestMeta): Promise<User | null> {
  if (!config().allowSignup) throw new AppError("FORBIDDEN", "Sign-up is closed on this server. Ask an admin for an invitation.");
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { name, email, password } = parsed.data;
  const pw = passwordSchema(email).safeParse(password);
  if (!pw.success) {
    throw new AppError("VALIDATION_FAILED", `Password ${pw.error.issues[0]!.message}`, {
      details: pw.error.issues.map((i) => ({ path: "password", message: i.message })),
    });
  }
  const limit = await hit(`signup:ip:${meta.ip ?? "unknown"}`, SIGNUP_WINDOW_MS);
  if (limit.count > SIGNUP_ADDRESS_LIMIT) {
    throw new AppError("RATE_LIMITED", `Too many sign-ups from this address. Try again in ${Math.ceil(limit.retryAfterSeconds / 60)} min.`, {
      retryAfterSeconds: limit.retryAfterSeconds,
    });
  }
  const passwordHash = await hashPassword(password);
  let existing: User | null;
  try {
    const r = await transaction(async (tx) => {
      const found = await tx.user.findUnique({ where: { email } });
      if (found) return { created: null, existing: found, secret: null };
      const created = await provision(tx, { email, name, passwordHash }, meta);
      // The verification link (only with mail configured: otherwise nobody could receive it, and an admin verifies).
      return { created, existing: null, secret: mailConfigured() ? await createVerificationIn(tx, created) : null };
    });
    if (r.created) {
      // In the background, like the existing account's notice: the answer must not wait for SMTP.
      const { secret } = r;
      if (secret) void sendSignupVerification(r.created.email, secret).catch((err: unknown) => log.warn({ err: (err as Error)?.message }, "verification mail failed"));
      return r.created;
    }
    existing = r.existing;
  } catch (err) {
    // Two sign-ups for one new address at once: the loser answers as for an existing account.
    if ((err as { code?: string })?.code !== "P2002") throw err;
    existing = await transaction((tx) => tx.user.findUnique({ where: { email } }));
    if (!existing) throw err;
  }
  await existingAccountSignUp(existing, meta);
  return null;
}

async function existingAccountSignUp(user: User, meta: RequestMeta): Promise<void> {
  await transaction((tx) =>
    recordAudit(tx, { type: "system", label: "sign-up", meta }, {
      workspaceId: null,
      action: "user.signup_existing",
      target: { type: "user", id: user.id },
      result: "denied",
      metadata: { method: "password" },
    }),
  );
  // In the background: an SMTP round trip would make this answer slower than a new account's.
  void (async () => {
    const notice = await hit(`signup:notice:${user.email}`, SIGNUP_NOTICE_WINDOW_MS);
    if (notice.count > 1) return;
    const base = publicBaseUrl();
    await sendMail({
      to: user.email,
      subject: "Someone tried to create a Tessera account with your address",
      text: [
        `Someone tried to create a new Tessera account at ${base} with this email address (${user.email}).`,
        "",
        "You already have an account, so nothing was created or changed, and nobody was signed in.",
        `If it was you, sign in at ${base}/login with your existing password.`,
        "If it was not you, you can ignore this mail.",
      ].join("\n"),
    });
  })().catch((err: unknown) => log.warn({ err: (err as Error)?.message }, "sign-up notice failed"));
}

/** Wrong second-factor codes per account per window, from every address together; then 429. */
export const CODE_FAILURE_LIMIT = 10;
export const codeFailureKey = (userId: string) => `signin:code:${userId}`;

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number }
  // The password was right and the account has a second factor: sign in again with a code.
  | { ok: false; reason: "mfa_required" }
  // The password was right, the code was not (counted and audited like a wrong password).
  | { ok: false; reason: "invalid_code" };

const normEmail = (email: string) => email.trim().toLowerCase().slice(0, 254);
const accountKey = (email: string) => `signin:account:${email}`;
const addressKey = (ip: string | null) => `signin:ip:${ip ?? "unknown"}`;
const pairKey = (email: string, ip: string | null) => `signin:pair:${ip ?? "unknown"}:${email}`;

/**
 * Forgets the failed sign-ins of one account from one address (the pair's count): a password
 * reset proved the owner, who may then sign in at once from where they failed. The address's and
 * the account's counts stay (a reset does not end an attack).
 */
export async function clearSignInFailures(email: string, ip: string | null, userId?: string): Promise<void> {
  await Promise.all([reset(pairKey(normEmail(email), ip)), ...(userId ? [reset(codeFailureKey(userId))] : [])]);
}

type Counts = { pair: LimitState; address: LimitState; account: LimitState };

/**
 * Seconds to wait when these counts (of earlier failures, not counting this attempt) refuse the
 * attempt, else 0: the pair or the address used up its failures, or the account is under attack
 * and this address already failed for it.
 */
function refusal({ pair, address, account }: Counts): number {
  if (pair.count >= PAIR_FAILURE_LIMIT) return pair.retryAfterSeconds;
  if (address.count >= ADDRESS_FAILURE_LIMIT) return address.retryAfterSeconds;
  if (account.count >= ACCOUNT_FAILURE_LIMIT && pair.count > 0) return Math.min(account.retryAfterSeconds, pair.retryAfterSeconds);
  return 0;
}

/** Whether sign-in attempts for this account from this address are currently refused (seconds to wait, or 0). */
export async function signInBlocked(email: string, ip: string | null): Promise<number> {
  const norm = normEmail(email);
  const [pair, address, account] = await Promise.all([
    peek(pairKey(norm, ip), SIGN_IN_WINDOW_MS),
    peek(addressKey(ip), SIGN_IN_WINDOW_MS),
    peek(accountKey(norm), SIGN_IN_WINDOW_MS),
  ]);
  return refusal({ pair, address, account });
}

const before = (s: LimitState): LimitState => ({ ...s, count: s.count - 1 });

/**
 * Email and password sign-in. The answer never says whether the account exists. Failures are
 * counted per (account, address) pair, per address and per account; failures are slowed down
 * after a few, and refused past the pair and address limits (see the constants above). The
 * account count alone never refuses an address that has not failed for it.
 *
 * A user with a second factor also gives `code` (a TOTP code or a recovery code). Without one,
 * the right password answers `mfa_required` (and gives its attempt back): only someone who knows
 * the password learns that the account has a second factor. A wrong code is a failed sign-in
 * under the same limits, audited with method "totp" (or "recovery_code").
 */
export async function signInWithPassword(
  email: string,
  password: string,
  meta: RequestMeta,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  code?: string,
): Promise<SignInResult> {
  const norm = normEmail(email);
  const keys = { pair: pairKey(norm, meta.ip), address: addressKey(meta.ip), account: accountKey(norm) };
  // Count the attempt first, then decide from the count: parallel bursts cannot all slip in
  // under the limit. A successful sign-in gives the attempt back (and clears the pair).
  const [pair, address, account] = await Promise.all([
    hit(keys.pair, SIGN_IN_WINDOW_MS),
    hit(keys.address, SIGN_IN_WINDOW_MS),
    hit(keys.account, SIGN_IN_WINDOW_MS),
  ]);
  const wait = refusal({ pair: before(pair), address: before(address), account: before(account) });
  if (wait) return { ok: false, reason: "rate_limited", retryAfterSeconds: wait };

  const parsedEmail = emailSchema.safeParse(norm);
  const user = parsedEmail.success ? await transaction((tx) => tx.user.findUnique({ where: { email: parsedEmail.data } })) : null;
  const valid = await verifyPassword(password.slice(0, 1000), user?.passwordHash);
  let method: "password" | "totp" | "recovery_code" = "password";
  if (valid && user && !user.disabledAt) {
    if (user.totpEnabledAt && !code) {
      await Promise.all([giveBack(keys.pair), giveBack(keys.address), giveBack(keys.account)]);
      return { ok: false, reason: "mfa_required" };
    }
    // App codes (six digits, a million of them) are guessed only by someone who has the password,
    // so they get a hard limit per account from all addresses together: it locks out no stranger,
    // and stops guessing spread over many addresses (each new address would otherwise get its try
    // under the "under attack" rule). A recovery code (60 bits, not guessable) is not held to it:
    // that is the owner's way in while the limit holds (RL-02), and a password reset clears it.
    const appCode = /^\d{6}$/.test((code ?? "").replace(/\s+/g, ""));
    // Counted first, like the attempt itself (one atomic increment in the shared table): a burst of
    // guesses sent at once, to one instance or spread over several, cannot all pass a check made
    // before any of them is counted. A right code gives its attempt back.
    const countsCode = Boolean(user.totpEnabledAt) && appCode;
    if (countsCode) {
      const codes = await hit(codeFailureKey(user.id), SIGN_IN_WINDOW_MS);
      if (codes.count > CODE_FAILURE_LIMIT) return { ok: false, reason: "rate_limited", retryAfterSeconds: codes.retryAfterSeconds };
    }
    const second = user.totpEnabledAt ? await checkSignInCode(user, code!, meta) : null;
    if (second?.ok && countsCode) await giveBack(codeFailureKey(user.id));
    if (!second || second.ok) {
      // The account's count keeps other addresses' failures: the owner signing in does not wipe an attack's.
      await Promise.all([reset(keys.pair), giveBack(keys.address), giveBack(keys.account)]);
      return { ok: true, user };
    }
    method = second.method;
  }
  const failures = Math.max(account.count, Math.ceil(address.count / 3));
  if (failures > SLOWDOWN_AFTER) await sleep(Math.min(2000, 250 * (failures - SLOWDOWN_AFTER)));
  await transaction((tx) =>
    recordAudit(tx, { type: "system", label: "sign-in", meta }, {
      workspaceId: null,
      action: "user.signin_failed",
      target: { type: "user", id: user?.id ?? null },
      result: "denied",
      metadata: { method },
    }),
  );
  return { ok: false, reason: method === "password" ? "invalid" : "invalid_code" };
}

export type OidcProfile = { sub: string; email?: string | null; email_verified?: boolean | null; name?: string | null };

/** SSO sign-in: the identity's user, a verified-email match (linked), or a new user. */
export async function signInWithOidc(provider: string, profile: OidcProfile, meta: RequestMeta): Promise<User> {
  if (!profile.sub) throw new AppError("BAD_REQUEST", "The identity provider did not send a subject");
  const email = emailSchema.safeParse(profile.email ?? "");
  return transaction(async (tx) => {
    const identity = await tx.identity.findUnique({
      where: { provider_subject: { provider, subject: profile.sub } },
      include: { user: true },
    });
    let user = identity?.user ?? null;
    if (!user) {
      if (!email.success) throw new AppError("BAD_REQUEST", "The identity provider did not send a valid email address");
      if (profile.email_verified === false) throw new AppError("FORBIDDEN", "Your email address is not verified at the identity provider");
      const existing = await tx.user.findUnique({ where: { email: email.data } });
      if (existing && (profile.email_verified !== true || existing.passwordHash)) {
        // Linking an SSO identity to an account somebody else could have registered would hand
        // that account to them (pre-account takeover): only an explicitly verified email links,
        // and only to an account without a password.
        throw new AppError("FORBIDDEN", "An account with this email already exists. Sign in with your password instead.");
      }
      if (existing) {
        await tx.identity.create({ data: { userId: existing.id, provider, subject: profile.sub, email: email.data } });
        await recordAudit(tx, userActor(existing, meta), {
          workspaceId: null,
          action: "user.identity_link",
          target: { type: "user", id: existing.id },
          metadata: { provider },
        });
        // Linking needs email_verified: true for this very address: the provider vouches for it.
        user = await idpVerifies(tx, existing, meta);
        await joinClaimedDomain(tx, user, meta);
      } else {
        user = await provision(
          tx,
          { email: email.data, name: ssoName(profile.name), identity: { provider, subject: profile.sub }, idpVerified: profile.email_verified === true },
          meta,
        );
      }
    } else {
      // A returning SSO user whose provider now vouches for the account's address (e.g. an account
      // made before verification existed) is verified; another address in the profile proves nothing.
      if (profile.email_verified === true && email.success && email.data === user.email) user = await idpVerifies(tx, user, meta);
      await joinClaimedDomain(tx, user, meta);
    }
    if (user.disabledAt) throw new AppError("FORBIDDEN", "This account is disabled");
    return user;
  });
}

/** What platform admins see of a user. */
const ADMIN_USER_FIELDS = { id: true, email: true, name: true, isPlatformAdmin: true, disabledAt: true, emailVerifiedAt: true, createdAt: true } as const;

/**
 * Disables or enables a user; a disabled user's sessions end at once and their user tokens stop.
 * Authorization: a platform admin's session, or a `full`-scope user token whose creator is a
 * platform admin now (lib/services/authorize.ts `platformAdmin`); anyone else 403. Nobody disables
 * their own account (a token: its creator's). The audit records the token as the actor.
 */
export async function setUserDisabled(actor: Actor, userId: string, disabled: boolean) {
  return updateUser(actor, userId, { disabled });
}

/**
 * Platform admins change a user (PATCH /api/v1/admin/users/{userId}, the Admin page): `disabled`
 * disables or enables the account (as setUserDisabled), `emailVerified: true` marks its current
 * address verified (audited as `user.email_verify` with {by: "admin"}; an admin may mark their own).
 * Both in one transaction; authorization as setUserDisabled.
 */
export async function updateUser(actor: Actor, userId: string, input: { disabled?: boolean; emailVerified?: true }) {
  return inTransaction(actor, async (tx) => {
    const action = input.disabled === undefined ? "user.email_verify" : input.disabled ? "user.disable" : "user.enable";
    const adminId = await platformAdmin(actor, "write", tx, action);
    if (input.disabled !== undefined) {
      const disabled = input.disabled;
      if (adminId === userId) throw new AppError("BAD_REQUEST", "You cannot disable your own account");
      const user = await tx.user.findUnique({ where: { id: userId } });
      if (!user) throw new AppError("NOT_FOUND", "User not found");
      await tx.user.update({ where: { id: userId }, data: { disabledAt: disabled ? new Date() : null } });
      if (disabled) await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
      await recordAudit(tx, actor, {
        workspaceId: null,
        action: disabled ? "user.disable" : "user.enable",
        target: { type: "user", id: userId },
      });
    }
    if (input.emailVerified) await markVerifiedIn(tx, actor, userId);
    const updated = await tx.user.findUnique({ where: { id: userId }, select: ADMIN_USER_FIELDS });
    if (!updated) throw new AppError("NOT_FOUND", "User not found");
    return updated;
  });
}

/**
 * Platform admins (a session, or a `read` or `full` user token of one: `platformAdmin`): one page
 * of users, oldest first, optionally those whose email or name contains `q` (case-insensitive:
 * SQLite's LIKE folds ASCII case, PostgreSQL is asked to), with the cursor of the next page.
 */
export async function listUsers(actor: Actor, query: AdminUsersQuery = {}) {
  const { q, cursor, limit } = parseInput(adminUsersQuerySchema, query);
  const after = decodeUserCursor(cursor);
  return inTransaction(actor, async (tx) => {
    await platformAdmin(actor, "read", tx, "user.list");
    // LIKE (what Prisma's `contains` becomes) reads % and _ as wildcards and Prisma does not escape
    // them (nor can SQLite's LIKE without an ESCAPE clause): the query asks for the pieces between
    // them, and the exact, case-insensitive substring test is made here.
    const pieces = q ? q.split(/[%_]/).filter(Boolean) : [];
    const exact = q && /[%_]/.test(q) ? q.toLowerCase() : null;
    const text = (field: "email" | "name", piece: string) => ({ [field]: dbProvider() === "postgres" ? { contains: piece, mode: "insensitive" as const } : { contains: piece } });
    const matches = (u: { email: string; name: string | null }) => !exact || u.email.toLowerCase().includes(exact) || (u.name ?? "").toLowerCase().includes(exact);
    const rows: Awaited<ReturnType<typeof tx.user.findMany<{ select: typeof ADMIN_USER_FIELDS }>>> = [];
    let from = after;
    for (;;) {
      const batch = await tx.user.findMany({
        where: {
          AND: [
            ...pieces.map((piece) => ({ OR: [text("email", piece), text("name", piece)] })),
            // After the cursor: later, or the same moment and a later id (the order is stable on ties).
            ...(from ? [{ OR: [{ createdAt: { gt: from.at } }, { createdAt: from.at, id: { gt: from.id } }] }] : []),
          ],
        },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: limit + 1,
        select: ADMIN_USER_FIELDS,
      });
      rows.push(...batch.filter(matches));
      const end = batch[batch.length - 1];
      if (rows.length > limit || batch.length <= limit || !end) break;
      from = { at: end.createdAt, id: end.id };
    }
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return { data, nextCursor: rows.length > limit && last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString("base64url") : null };
  });
}

function decodeUserCursor(raw: string | undefined): { at: Date; id: string } | null {
  if (!raw) return null;
  const [at, id] = Buffer.from(raw, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (!id || !/^[a-z0-9]{20,40}$/.test(id) || Number.isNaN(date.getTime())) {
    throw new AppError("VALIDATION_FAILED", "Invalid query at cursor: is not a cursor from this API", { details: [{ path: "cursor", message: "is not a cursor from this API" }] });
  }
  return { at: date, id };
}
