// What the HTTP server does before Next.js sees a request (lib/launcher/server.mjs), kept cheap:
// a few header writes and string checks per request.
//  - Security headers on every response, static files and errors included (proxy.ts then gives
//    pages a CSP with a nonce).
//  - The socket's peer address in `x-tessera-client-ip`, overwriting whatever a client sent.
//  - A method the app does not serve (TRACE, PROPFIND, …) gets 405 with `Allow`.
//  - A path that is not valid percent-encoding gets 400 with the error envelope under /api, or
//    the 404 page elsewhere (Next.js would answer 500).
//  - A body over MAX_BODY_BYTES gets 413 before it is read: by Content-Length, or counted while
//    a chunked body arrives. The connection is closed and the rest is never read or buffered.
//  - Next.js answers a method that a route handler does not export with an empty 405: the
//    answer gets the error envelope and an `Allow` derived from the route module's exports.
//  - A server-action call (`Next-Action` header) that is not a POST of one of the build's action
//    ids, or that targets a static file (/_next/…, /favicon.ico, which proxy.ts does not see),
//    gets 400: Next.js would log a stack trace for each one, or run the action where the origin
//    check does not look.
// Each refusal writes one short JSON log line (the logger's format); never a stack trace.
// Plain JavaScript so that it runs with node alone.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { MAX_BODY_BYTES, SERVED_METHODS, securityHeaders } from "../http/policy.mjs";

const SERVED = new Set(SERVED_METHODS);
/** When the route's methods are unknown (`next dev`): every method served, but the one refused. */
const anyAllowBut = (/** @type {string | undefined} */ method) => SERVED_METHODS.filter((m) => m !== method).join(", ");
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
/** A server-action id as Next.js makes them (hex). */
const ACTION_ID = /^[0-9a-f]{40,64}$/;
const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
/** Where a page path that cannot be decoded is sent: no route matches it, so Next.js renders its 404 page. */
export const UNDECODABLE_PAGE = "/_tessera/undecodable-path";

/**
 * A path as it may be logged: credentials in it (an invitation link's `tsr_inv_…` code, or any
 * other `tsr_` value) are replaced, as the logger's redaction does for everything else.
 * @param {string} pathname
 */
export function redactPath(pathname) {
  return pathname.replace(/tsr_[A-Za-z0-9]+_[A-Za-z0-9%._~-]*/g, (m) => `${m.slice(0, 8)}[redacted]`);
}

/** @param {string} pathname */
function decodable(pathname) {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/**
 * A copy of a request whose body was read here, for Next.js to read again.
 * @param {http.IncomingMessage} req
 * @param {Buffer} body
 */
function replay(req, body) {
  const copy = new http.IncomingMessage(/** @type {import("node:net").Socket} */ (req.socket));
  const headers = { ...req.headers, "content-length": String(body.length) };
  delete headers["transfer-encoding"];
  copy.method = req.method;
  copy.url = req.url;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy.headers = headers;
  copy.rawHeaders = Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v.flatMap((x) => [k, x]) : [k, String(v)]));
  copy.complete = true;
  copy.push(body);
  copy.push(null);
  return copy;
}

/** @type {{ loaded: (pathname: string) => string | null | undefined, load: (pathname: string) => Promise<string | null> }} */
const NO_ROUTES = { loaded: () => null, load: async () => null };

/**
 * @param {{
 *   handle: (req: http.IncomingMessage, res: http.ServerResponse) => unknown,
 *   dev?: boolean,
 *   routes?: typeof NO_ROUTES,
 *   actions?: Set<string> | null,
 *   write?: (line: string) => void,
 * }} opts `routes`: the Allow of the route handler serving a path (route-methods.mjs); `actions`:
 *   the build's server-action ids (null: unknown, as under `next dev`: only their shape is checked)
 */
export function createGuard({ handle, dev = false, routes = NO_ROUTES, actions = null, write = (line) => process.stdout.write(line) }) {
  const headers = Object.entries(securityHeaders({ dev }));
  const level = LEVELS[/** @type {keyof typeof LEVELS} */ (process.env.TESSERA_LOG_LEVEL)] ?? LEVELS.info;

  /** @param {http.IncomingMessage} req @param {string} pathname @param {number} status @param {string} msg */
  function logRefusal(req, pathname, status, msg) {
    if (level > LEVELS.info) return;
    const line = { level: LEVELS.info, time: new Date().toISOString(), service: "tessera", msg, status, method: req.method, path: redactPath(pathname.slice(0, 200)) };
    write(`${JSON.stringify(line)}\n`);
  }

  /**
   * Sets the headers of an answer of ours and returns its body (the envelope under /api).
   * @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {boolean} api
   * @param {string} code @param {string} message @param {Record<string, string>} [extra]
   */
  function prepare(req, res, api, code, message, extra = {}) {
    const given = req.headers["x-request-id"];
    const requestId = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
    res.setHeader("x-request-id", requestId);
    res.setHeader("cache-control", "no-store");
    res.setHeader("content-type", api ? "application/json" : "text/plain; charset=utf-8");
    res.removeHeader("content-length");
    return api ? JSON.stringify({ error: { code, message, requestId } }) : `${message}\n`;
  }

  /**
   * @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {boolean} api
   * @param {number} status @param {string} code @param {string} message @param {Record<string, string>} [extra]
   */
  function send(req, res, api, status, code, message, extra = {}) {
    res.statusCode = status;
    res.end(prepare(req, res, api, code, message, extra));
  }

  /** @param {http.IncomingMessage} req @param {string} allow */
  const notAllowedMessage = (req, allow) => `${req.method} is not allowed here (allowed: ${allow})`;

  /** A method the app does not serve at all: refused before Next.js. */
  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {string} pathname @param {boolean} api */
  function methodNotAllowed(req, res, pathname, api) {
    routes
      .load(pathname)
      .catch(() => null)
      .then((allow) => {
        const list = allow ?? anyAllowBut(req.method);
        send(req, res, api, 405, "METHOD_NOT_ALLOWED", notAllowedMessage(req, list), { allow: list });
      });
  }

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {string} pathname @param {boolean} api */
  function payloadTooLarge(req, res, pathname, api) {
    logRefusal(req, pathname, 413, "request body too large");
    // The connection closes once the answer is written: the rest of the body is never read.
    send(req, res, api, 413, "PAYLOAD_TOO_LARGE", `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`, { connection: "close" });
  }

  /**
   * Hands the request to Next.js. A 405 it answers (a method the route module does not export;
   * always without a body) gets our body and headers instead: the headers when the status is
   * written (Next.js's compression hooks end() too, so end() alone comes too late), the body at
   * end(); anything Next.js writes in between is dropped.
   * @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {string} pathname @param {boolean} api
   */
  function forward(req, res, pathname, api) {
    const { writeHead, write, end } = res;
    /** @type {string | null} */
    let replacement = null;
    res.writeHead = /** @type {any} */ (
      function (/** @type {number} */ status, /** @type {any[]} */ ...rest) {
        if (status === 405 && replacement === null && !res.headersSent) {
          const allow = routes.loaded(pathname) ?? anyAllowBut(req.method);
          replacement = prepare(req, res, api, "METHOD_NOT_ALLOWED", notAllowedMessage(req, allow), { allow });
          res.setHeader("content-length", Buffer.byteLength(replacement));
          return writeHead.call(this, status);
        }
        return writeHead.call(this, status, ...rest);
      }
    );
    res.write = /** @type {any} */ (
      function (/** @type {any[]} */ ...args) {
        return replacement === null ? write.apply(this, /** @type {any} */ (args)) : true;
      }
    );
    res.end = /** @type {any} */ (
      function (/** @type {any[]} */ ...args) {
        return replacement === null ? end.apply(this, /** @type {any} */ (args)) : end.call(this, replacement);
      }
    );
    handle(req, res);
  }

  /** A chunked body (no Content-Length): counted as it arrives, refused past the limit. */
  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {string} pathname @param {boolean} api */
  function readChunked(req, res, pathname, api) {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    let refused = false;
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      refused = true;
      chunks.length = 0;
      req.off("data", onData);
      req.pause();
      payloadTooLarge(req, res, pathname, api);
    };
    req.on("data", onData);
    req.on("end", () => {
      if (!refused) forward(replay(req, Buffer.concat(chunks, size)), res, pathname, api);
    });
  }

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  function onRequest(req, res) {
    for (const [k, v] of headers) res.setHeader(k, v);
    req.headers["x-tessera-client-ip"] = req.socket.remoteAddress ?? "";
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const pathname = q === -1 ? url : url.slice(0, q);
    const api = pathname.startsWith("/api/") || pathname === "/api";

    if (!SERVED.has(/** @type {string} */ (req.method))) {
      logRefusal(req, pathname, 405, "method not allowed");
      return methodNotAllowed(req, res, pathname, api);
    }
    const action = req.headers["next-action"];
    if (
      action !== undefined &&
      (req.method !== "POST" ||
        typeof action !== "string" ||
        !ACTION_ID.test(action) ||
        (actions !== null && !actions.has(action)) ||
        pathname.startsWith("/_next/") ||
        pathname === "/favicon.ico")
    ) {
      logRefusal(req, pathname, 400, "not a server action of this build");
      return send(req, res, api, 400, "BAD_REQUEST", "Not a server action of this version of Tessera: reload the page");
    }
    if (pathname.includes("%") && !decodable(pathname)) {
      logRefusal(req, pathname, api ? 400 : 404, "path is not valid percent-encoding");
      if (api) return send(req, res, api, 400, "BAD_REQUEST", "The path is not valid percent-encoding (UTF-8)");
      req.url = UNDECODABLE_PAGE;
    }
    const length = req.headers["content-length"];
    if (length !== undefined) {
      if (Number(length) > MAX_BODY_BYTES) return payloadTooLarge(req, res, pathname, api);
    } else if (req.headers["transfer-encoding"] !== undefined) {
      return readChunked(req, res, pathname, api);
    }
    forward(req, res, pathname, api);
  }

  /** `Expect: 100-continue`: a body that is too large is refused before the client sends it. */
  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  function onCheckContinue(req, res) {
    if (!(Number(req.headers["content-length"]) > MAX_BODY_BYTES)) res.writeContinue();
    onRequest(req, res);
  }

  return { onRequest, onCheckContinue };
}
