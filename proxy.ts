// Runs before every request (Next.js "proxy", formerly middleware):
//  - security headers on every response (CSP, HSTS, nosniff, referrer policy, frame-ancestors);
//  - cookie-authenticated writes (server actions, /api/auth) must come from our own origin:
//    a foreign or `null` Origin is refused. /api/v1 uses bearer tokens and ignores cookies.
import { NextResponse, type NextRequest } from "next/server";

const DEV = process.env.NODE_ENV === "development";

function csp(): string {
  return [
    "default-src 'self'",
    // Next.js hydration uses inline scripts; development also needs eval for fast refresh.
    `script-src 'self' 'unsafe-inline'${DEV ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${DEV ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function withSecurityHeaders(res: NextResponse): NextResponse {
  res.headers.set("Content-Security-Policy", csp());
  res.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  res.headers.set("X-Content-Type-Options", "nosniff");
  res.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  res.headers.set("X-Frame-Options", "DENY");
  res.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  return res;
}

/** The origin the browser sees: TESSERA_PUBLIC_URL when set, else the Host header. */
function expectedOrigin(req: NextRequest): string {
  const configured = process.env.TESSERA_PUBLIC_URL;
  if (configured) return new URL(configured).origin;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? req.nextUrl.host;
  const proto = req.headers.get("x-forwarded-proto") ?? req.nextUrl.protocol.replace(":", "");
  return `${proto}://${host}`;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function proxy(req: NextRequest): NextResponse {
  const path = req.nextUrl.pathname;
  if (!SAFE.has(req.method) && !path.startsWith("/api/v1/") && path !== "/api/v1") {
    const origin = req.headers.get("origin");
    if (origin !== null && origin !== expectedOrigin(req)) {
      return withSecurityHeaders(
        NextResponse.json(
          { error: { code: "FORBIDDEN", message: "Cross-origin request refused" } },
          { status: 403 },
        ),
      );
    }
  }
  return withSecurityHeaders(NextResponse.next());
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
