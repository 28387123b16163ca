// Runs before every request (Next.js "proxy", formerly middleware):
//  - security headers (lib/http/policy.mjs; the server sets them on every response already, static
//    files and its own refusals included). Pages get a CSP whose script-src is a fresh nonce, which
//    Next.js reads from the request's CSP header and puts on its own scripts (no 'unsafe-inline');
//  - cookie-authenticated writes (server actions, /api/auth) must come from our own origin:
//    a foreign or `null` Origin is refused, and so is one with cookies but neither an Origin nor
//    Sec-Fetch-Site: same-origin. /api/v1 uses bearer tokens and ignores cookies.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, securityHeaders } from "./lib/http/policy.mjs";
import { publicOrigin, sameOriginWrite } from "./lib/http/origin";

const DEV = process.env.NODE_ENV === "development";
const HEADERS = Object.entries(securityHeaders({ dev: DEV }));

export function withSecurityHeaders(res: NextResponse, csp?: string): NextResponse {
  for (const [name, value] of HEADERS) res.headers.set(name, value);
  if (csp) res.headers.set("Content-Security-Policy", csp);
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
  // Not pages: the API, and the CLI download (a file, public). They answer X-Request-Id themselves.
  if (path === "/api" || path.startsWith("/api/") || path.startsWith("/cli/")) return withSecurityHeaders(NextResponse.next());
  // A page: a nonce for this response only, and a request id (the client's, when it is well-formed,
  // as lib/http/request-meta.ts takes it) that the response carries and the server's log of a
  // render error names next to the error's digest (instrumentation.ts), so that an error page's
  // reference leads an operator to the request.
  const csp = contentSecurityPolicy({ dev: DEV, nonce: btoa(crypto.randomUUID()) });
  const given = req.headers.get("x-request-id");
  const requestId = given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
  const headers = new Headers(req.headers);
  headers.set("content-security-policy", csp);
  headers.set("x-request-id", requestId);
  const res = withSecurityHeaders(NextResponse.next({ request: { headers } }), csp);
  res.headers.set("x-request-id", requestId);
  return res;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export const config = {
  // favicon.ico is not left out: Next.js would run a server action posted there too (the server
  // refuses such calls before Next.js; this keeps the origin check on every path that renders).
  matcher: ["/((?!_next/static|_next/image).*)"],
};
