// What the sign-in pages say for NextAuth's ?error= codes: clear, and never whether an account exists.
export const AUTH_ERRORS: Record<string, string> = {
  CredentialsSignin: "Email or password is incorrect.",
  RateLimited: "Too many failed sign-in attempts. Wait a few minutes and try again.",
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

/** Only same-site paths are kept as the place to return to. */
export function safeCallback(raw: string | undefined | null): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  return raw.slice(0, 500);
}
