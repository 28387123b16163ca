// "Confirm it's you" (sudo mode, SES-07): a dashboard session proves its user again with the
// password or a second-factor code, which opens the sudo window (lib/services/sudo.ts) for
// SUDO_WINDOW_MS. SSO users confirm with a new SSO sign-in instead (a new session starts fresh).
// Failures are limited like sign-in (per user, RL-01) and audited; nothing typed is ever logged.
import type { Actor } from "../auth/actor";
import { verifyPassword } from "../auth/password";
import { matchTotp, openTotpKey } from "../auth/totp";
import { transaction } from "../db/client";
import { AppError } from "../errors";
import { recordAudit } from "./audit";
import { inTransaction } from "./authorize";
import { giveBack, hit } from "./rate-limit";

export const REAUTH_WINDOW_MS = 15 * 60 * 1000;
/** Failed confirmations per user per window, then 429. */
export const REAUTH_FAILURE_LIMIT = 10;

/** The failure budget of a signed-in user's code and password checks (also the second factor's, lib/services/mfa.ts). */
export const reauthFailureKey = (userId: string) => `reauth:user:${userId}`;

export type ReauthInput = { password?: string; code?: string };

export async function reauthenticate(actor: Actor, input: ReauthInput): Promise<{ method: "password" | "totp" }> {
  if (actor.type !== "user" || !actor.sessionId) throw new AppError("FORBIDDEN", "Only a dashboard session confirms it's you");
  const password = typeof input.password === "string" ? input.password.slice(0, 1000) : "";
  const code = typeof input.code === "string" ? input.code.slice(0, 20) : "";
  if (!password && !code) throw new AppError("VALIDATION_FAILED", "Enter your password or a code from your authenticator app", { details: [{ path: "password", message: "is required" }] });
  const key = reauthFailureKey(actor.userId);
  const count = await hit(key, REAUTH_WINDOW_MS);
  if (count.count > REAUTH_FAILURE_LIMIT) {
    throw new AppError("RATE_LIMITED", "Too many attempts. Try again later.", { retryAfterSeconds: count.retryAfterSeconds });
  }
  const user = await transaction((tx) =>
    tx.user.findUnique({ where: { id: actor.userId }, select: { passwordHash: true, totpSecret: true, totpEnabledAt: true, totpLastStep: true } }),
  );
  if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  let method: "password" | "totp" | null = null;
  let step: number | null = null;
  if (code && user.totpEnabledAt && user.totpSecret) {
    step = matchTotp(openTotpKey(actor.userId, user.totpSecret), code, user.totpLastStep);
    if (step !== null) method = "totp";
  } else if (password && (await verifyPassword(password, user.passwordHash))) {
    method = "password";
  }
  if (!method) {
    await transaction((tx) =>
      recordAudit(tx, actor, { workspaceId: null, action: "user.reauthenticate", target: { type: "user", id: actor.userId }, result: "denied", metadata: { method: code ? "totp" : "password" } }),
    );
    throw new AppError("UNAUTHORIZED", code ? "That code is not valid. Codes change every 30 seconds, and each works once." : "That password is not right.");
  }
  await giveBack(key);
  const confirmed = method;
  await inTransaction(actor, async (tx) => {
    // A code is used up: the same step never confirms twice (conditional on the last step read).
    if (step !== null) {
      const r = await tx.user.updateMany({ where: { id: actor.userId, totpLastStep: user.totpLastStep }, data: { totpLastStep: step } });
      if (r.count !== 1) throw new AppError("UNAUTHORIZED", "That code was just used. Wait for the next one.");
    }
    await tx.session.update({ where: { id: actor.sessionId! }, data: { reauthAt: new Date() } });
    await recordAudit(tx, actor, { workspaceId: null, action: "user.reauthenticate", target: { type: "user", id: actor.userId }, metadata: { method: confirmed } });
  });
  return { method: confirmed };
}
