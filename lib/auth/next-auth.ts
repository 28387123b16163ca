// NextAuth (v4, the stable line) options: OIDC single sign-on and email + password.
// Sessions are JWTs that carry a database session secret (see lib/auth/session.ts), so no
// session state lives in process memory and every request is checked against the database.
import type { NextAuthOptions, User as NextAuthUser } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { config } from "../config";
import { AppError } from "../errors";
import { log } from "../log";
import { signInWithOidc, signInWithPassword } from "../services/users";
import { createSession, cookiesSecure, resolveSession, revokeSession, sessionCookieName, sessionSecretFromCookie, SESSION_TTL_MS } from "./session";
import type { RequestMeta } from "./actor";

export const OIDC_PROVIDER_ID = "oidc";

async function currentMeta(): Promise<RequestMeta> {
  const { headers } = await import("next/headers");
  const { requestMeta } = await import("../http/request-meta");
  return requestMeta(await headers());
}

/** Relative paths (not protocol-relative) and same-origin URLs only: never off-site. */
export function safeRedirect(url: string, baseUrl: string): string {
  if (url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\")) return `${baseUrl}${url}`;
  try {
    const target = new URL(url);
    if (target.origin === new URL(baseUrl).origin) return target.toString();
  } catch {
    /* not a URL */
  }
  return baseUrl;
}

type TesseraUser = NextAuthUser & { method?: "password" | "oidc" };

type OidcClaims = { sub?: string; email?: string; email_verified?: boolean; name?: string };

/**
 * Conformant providers may leave email and name out of the ID token and serve them from the
 * userinfo endpoint only; fetch them there when the ID token lacks an email.
 */
async function withUserinfo(issuer: string, claims: OidcClaims, accessToken: string | undefined): Promise<OidcClaims> {
  if (claims.email || !accessToken) return claims;
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { userinfo_endpoint?: string };
  if (!discovery.userinfo_endpoint) return claims;
  const res = await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
  if (!res.ok) return claims;
  const info = (await res.json()) as OidcClaims;
  // The userinfo subject must be the ID token's subject (OIDC Core 5.3.2).
  return info.sub === claims.sub ? { ...info, ...claims, email: info.email, email_verified: info.email_verified, name: claims.name ?? info.name } : claims;
}

export function authOptions(): NextAuthOptions {
  const c = config();
  // NextAuth builds redirect URLs from NEXTAUTH_URL (the launcher sets it; this covers `next dev`).
  process.env.NEXTAUTH_URL ??= c.publicUrl ?? `http://localhost:${c.port}`;
  const secure = cookiesSecure();
  const cookie = (name: string, httpOnly = true) => ({
    name: secure ? `__Host-${name}` : name,
    options: { httpOnly, sameSite: "lax" as const, path: "/", secure },
  });
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      // `code`: the second factor (a code from the authenticator app, or a recovery code), sent
      // again with the password once a first attempt answered MfaRequired.
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" }, code: { label: "Code", type: "text" } },
      async authorize(credentials) {
        const meta = await currentMeta();
        const code = String(credentials?.code ?? "").trim().slice(0, 64);
        const result = await signInWithPassword(String(credentials?.email ?? ""), String(credentials?.password ?? ""), meta, undefined, code || undefined);
        if (result.ok) return { id: result.user.id, email: result.user.email, name: result.user.name, method: "password" } as TesseraUser;
        // The message becomes ?error=… on the sign-in page: it never says whether the account exists
        // (MfaRequired and MfaInvalid come only after the right password).
        if (result.reason === "rate_limited") throw new Error("RateLimited");
        if (result.reason === "mfa_required") throw new Error("MfaRequired");
        if (result.reason === "invalid_code") throw new Error("MfaInvalid");
        return null;
      },
    }),
  ];
  if (c.oidc) {
    providers.unshift({
      id: OIDC_PROVIDER_ID,
      name: c.oidc.label,
      type: "oauth",
      wellKnown: `${c.oidc.issuer}/.well-known/openid-configuration`,
      clientId: c.oidc.clientId,
      clientSecret: c.oidc.clientSecret,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state", "nonce"],
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? null };
      },
    });
  }
  return {
    secret: c.authSecret,
    useSecureCookies: secure,
    session: { strategy: "jwt", maxAge: SESSION_TTL_MS / 1000 },
    pages: { signIn: "/login", error: "/auth-error", signOut: "/login" },
    cookies: {
      sessionToken: { name: sessionCookieName(secure), options: { httpOnly: true, sameSite: "lax", path: "/", secure } },
      callbackUrl: cookie("tessera.callback-url"),
      csrfToken: cookie("tessera.csrf"),
      pkceCodeVerifier: cookie("tessera.pkce"),
      state: cookie("tessera.state"),
      nonce: cookie("tessera.nonce"),
    },
    providers,
    logger: {
      error: (code, metadata) => log.warn({ code, error: (metadata as { message?: string })?.message }, "auth error"),
      warn: (code) => log.debug({ code }, "auth warning"),
      debug: () => {},
    },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        try {
          const p = await withUserinfo(c.oidc!.issuer, (profile ?? {}) as OidcClaims, account.access_token);
          const ours = await signInWithOidc(
            OIDC_PROVIDER_ID,
            { sub: String(p.sub ?? account.providerAccountId), email: p.email, email_verified: p.email_verified, name: p.name },
            await currentMeta(),
          );
          // The JWT callback receives this same object: make it our user.
          Object.assign(user as TesseraUser, { id: ours.id, email: ours.email, name: ours.name, method: "oidc" });
          return true;
        } catch (err) {
          const code = err instanceof AppError && err.code === "FORBIDDEN" ? "AccessDenied" : "OAuthSignin";
          log.warn({ err: (err as Error)?.message }, "sso sign-in refused");
          return `/auth-error?error=${code}`;
        }
      },
      async jwt({ token, user }) {
        if (user) {
          const u = user as TesseraUser;
          // A new sign-in ends the session this browser had, if any (SES-03): signing in again,
          // or "Confirm it's you" through SSO, leaves one session per browser in the list.
          const { cookies } = await import("next/headers");
          await revokeSession(await sessionSecretFromCookie((await cookies()).get(sessionCookieName(secure))?.value));
          const { value } = await createSession(u.id, await currentMeta(), u.method ?? "password");
          return { sub: u.id, sst: value };
        }
        // Later reads (e.g. /api/auth/session) also honour revocation: a dead session empties the token.
        return (await resolveSession(token.sst, await currentMeta())) ? token : {};
      },
      async session({ session, token }) {
        if (!token.sub) return { expires: new Date(0).toISOString() };
        return { ...session, user: { ...session.user, id: token.sub } };
      },
      redirect({ url, baseUrl }) {
        return safeRedirect(url, baseUrl);
      },
    },
    events: {
      async signOut({ token }) {
        await revokeSession((token as { sst?: unknown } | null)?.sst);
      },
    },
  };
}
