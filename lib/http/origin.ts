// The origin check of cookie-authenticated writes (proxy.ts; security.md CSRF-03, CSRF-06).
// No imports: proxy.ts loads this before anything else, and it must not read the configuration
// through lib/config (which may generate key files).

/**
 * The origin browsers reach Tessera at: TESSERA_PUBLIC_URL, else `http://localhost:$PORT` (the
 * default of lib/config.ts). Never the request's Host or X-Forwarded-Host: a client can send any.
 * null when TESSERA_PUBLIC_URL is not a URL (start-up refuses that anyway): nothing matches then.
 */
export function publicOrigin(env: Record<string, string | undefined> = process.env): string | null {
  const configured = env.TESSERA_PUBLIC_URL?.trim();
  try {
    return new URL(configured || `http://localhost:${env.PORT?.trim() || "3000"}`).origin;
  } catch {
    return null;
  }
}

type Headers = { get(name: string): string | null };

/**
 * Whether a state-changing request outside /api/v1 may go on. With an Origin header it must be
 * exactly the public origin (`null` and foreign origins are refused). Without one, a request that
 * carries cookies (so could be authenticated by them) needs `Sec-Fetch-Site: same-origin`;
 * a request without cookies has no ambient credentials to abuse and goes on.
 */
export function sameOriginWrite(headers: Headers, expected: string | null): boolean {
  const origin = headers.get("origin");
  if (origin !== null) return expected !== null && origin === expected;
  if (!headers.get("cookie")) return true;
  return headers.get("sec-fetch-site") === "same-origin";
}

/**
 * The origin a request was addressed to, as the browser sees it: X-Forwarded-Proto and
 * X-Forwarded-Host (a reverse proxy's) else Host, over http. For display only (the Admin page's
 * "public URL differs" note): a client can send any of these, so never for a decision.
 */
export function requestOrigin(headers: Headers): string | null {
  const first = (name: string) => headers.get(name)?.split(",")[0]?.trim() || null;
  const host = first("x-forwarded-host") ?? first("host");
  const proto = (first("x-forwarded-proto") ?? "http").toLowerCase();
  if (!host || (proto !== "http" && proto !== "https")) return null;
  try {
    return new URL(`${proto}://${host}`).origin;
  } catch {
    return null;
  }
}
