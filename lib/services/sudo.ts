// Re-authentication ("sudo mode", SES-07): a dashboard session may do a sensitive action only
// within SUDO_WINDOW_MS of the last time its user proved it was them (sign-in, or "Confirm it's
// you" with the password, a second-factor code, or an SSO round trip). API tokens are not asked:
// they carry their own limits (scopes, role, expiry).
import type { Actor } from "../auth/actor";
import { AppError, type DeniedAudit } from "../errors";

/** 10 minutes: documented in docs/account-security.md. */
export const SUDO_WINDOW_MS = 10 * 60 * 1000;

/** The sensitive actions, named in the refusal so the dashboard can say what it is confirming. */
export type SudoAction = "workspace.delete" | "token.create_privileged" | "user.email_change" | "user.password_change" | "user.mfa_enable" | "user.mfa_disable" | "workspace.sso_domain_claim";

/** Whether a dashboard session is inside its sudo window now. Non-session actors always are. */
export function inSudoWindow(actor: Actor, now = Date.now()): boolean {
  if (actor.type !== "user" || actor.sessionId === null) return true;
  return actor.reauthAt !== undefined && now - actor.reauthAt.getTime() < SUDO_WINDOW_MS;
}

/**
 * Throws REAUTH_REQUIRED (403) when a dashboard session is outside its sudo window. Call it in the
 * service before the change, inside or outside its transaction (it reads nothing). With `denied`,
 * the refusal is audited (as denied, with `reauth: "required"`) once `inTransaction` has rolled
 * back: a stale or stolen session trying a sensitive action leaves a trace.
 */
export function requireRecentAuth(actor: Actor, action: SudoAction, denied?: DeniedAudit): void {
  if (inSudoWindow(actor)) return;
  const err = new AppError("REAUTH_REQUIRED", "Confirm it's you: this action needs your password, a second-factor code or a new SSO sign-in within the last 10 minutes.", {
    details: [{ path: "(root)", message: action }],
  });
  if (denied) err.denied = { ...denied, metadata: { ...denied.metadata, reauth: "required" } };
  throw err;
}
