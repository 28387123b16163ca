// Runs before every request (Next.js "proxy", formerly middleware):
//  - security headers on every response (CSP, HSTS, nosniff, referrer policy, frame-ancestors);
//  - cookie-authenticated writes (server actions, /api/auth) must come from our own origin:
//    a foreign or `null` Origin is refused, and so is one with cookies but neither an Origin nor
//    Sec-Fetch-Site: same-origin. /api/v1 uses bearer tokens and ignores cookies.
import { NextResponse, type NextRequest } from "next/server";
import { publicOrigin, sameOriginWrite } from "./lib/http/origin";

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

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function proxy(req: NextRequest): NextResponse {
  const path = req.nextUrl.pathname;
  if (!SAFE.has(req.method) && !path.startsWith("/api/v1/") && path !== "/api/v1") {
    // The Origin must be TESSERA_PUBLIC_URL's (never derived from Host or X-Forwarded-Host); a
    // cookie-carrying write without Origin needs Sec-Fetch-Site: same-origin (lib/http/origin.ts).
    if (!sameOriginWrite(req.headers, publicOrigin())) {
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
