// What every response carries and what every request may send. Shared by the HTTP server
// (lib/launcher/server.mjs, plain JavaScript run by node alone), proxy.ts and the route helpers,
// so the values live in one place. Types: policy.d.mts.

/** The largest request body accepted anywhere (API JSON, server actions, /api/auth): 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Methods the app serves. Anything else (TRACE, PROPFIND, …) gets 405 before Next.js sees it. */
export const SERVED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/**
 * The Content-Security-Policy. Pages get a per-request nonce (set by proxy.ts; Next.js puts it on
 * its own scripts); 'strict-dynamic' then lets those scripts load the app's chunks. Without a
 * nonce (static files, JSON, errors answered by the server itself) no inline script may run.
 * Styles keep 'unsafe-inline': style attributes (Radix, sonner) cannot carry a nonce.
 * @param {{ dev?: boolean, nonce?: string }} [opts]
 */
export function contentSecurityPolicy({ dev = false, nonce } = {}) {
  const script = nonce ? `'self' 'nonce-${nonce}' 'strict-dynamic'` : "'self'";
  return [
    "default-src 'self'",
    // Development also needs eval (React's debugging) and websockets (fast refresh).
    `script-src ${script}${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The headers set on every response (the server sets them before anything else runs; proxy.ts
 * replaces the CSP of pages with the nonce variant).
 * @param {{ dev?: boolean }} [opts]
 * @returns {Record<string, string>}
 */
export function securityHeaders({ dev = false } = {}) {
  return {
    "Content-Security-Policy": contentSecurityPolicy({ dev }),
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  };
}
