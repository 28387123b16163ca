// What the sign-in pages say for NextAuth's ?error= codes: clear, and never whether an account exists.
export const AUTH_ERRORS: Record<string, string> = {
  CredentialsSignin: "Email or password is incorrect.",
  RateLimited: "Too many failed sign-in attempts. Wait a few minutes and try again.",
  // Only after the right password (lib/services/users.ts signInWithPassword).
  MfaRequired: "Enter the code from your authenticator app to finish signing in.",
  MfaInvalid: "That code is not valid. Codes change every 30 seconds and each works once; a recovery code works once.",
  OAuthSignin: "Single sign-on could not start. Try again, or contact your administrator.",
  OAuthCallback: "The identity provider returned an error. Try again, or contact your administrator.",
  OAuthAccountNotLinked: "This email is already used by another sign-in method.",
  AccessDenied: "Access was denied. Your account may be disabled or not allowed to sign in.",
  Callback: "Sign-in could not be completed. Try again.",
  SessionRequired: "Sign in to continue.",
  Configuration: "Sign-in is not configured correctly on this server. Contact your administrator.",
  Verification: "The sign-in link is no longer valid.",
};

export function authErrorMessage(code: string | undefined | null): string | null {
  if (!code) return null;
  return AUTH_ERRORS[code] ?? "Sign-in failed. Try again.";
}

/**
 * Only a path on this site is kept as the place to return to. Control characters and
 * backslashes are refused outright (browsers drop tabs and newlines, so `/\t/evil.example`
 * would become `//evil.example`), and the result must resolve to our own origin.
 */
export function safeCallback(raw: string | undefined | null): string {
  if (!raw || raw.length > 500 || !raw.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(raw)) return "/";
  try {
    const base = "http://tessera.invalid";
    const url = new URL(raw, base);
    if (url.origin !== base) return "/";
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return "/";
  }
}
