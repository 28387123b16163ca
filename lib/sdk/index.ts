// Tessera's typed SDK, read from the API contract (lib/contract): every operation, with its input
// and output types, typed errors, retries with backoff on 429 and 503 (Retry-After honoured),
// timeouts, cancellation, pagination and streamed downloads. It uses only fetch, URL,
// AbortController and TextDecoder, so it runs in Node 20+ and in browsers (docs/sdk.md).
//
//   const tessera = new Tessera({ baseUrl: "https://tessera.example.com", token: process.env.TESSERA_TOKEN });
//   const token = await tessera.tokens.create({ workspaceId, name: "CI" });   // resource methods
//   const same = await tessera.request("tokens.get", { params: { workspaceId, tokenId: token.id } });
//   for await (const event of tessera.paginate("audit.list", { params: { workspaceId } })) …
import { z } from "zod";
import { operations, type OperationId, type OperationOf } from "../contract";
import type { Operation } from "../contract/define";
import { TesseraDownload } from "./download";
import { TesseraError, type TesseraErrorCode } from "./errors";
import { backoffDelay, certainlyNotSent, isIdempotent, networkErrorCode, parseRetryAfter, RETRY_STATUSES } from "./retry";
import type { CallOptions, Namespaces, PageItem, PaginatedId, RequestArgs, Result } from "./types";

export { TesseraDownload } from "./download";
export { isTesseraError, TesseraError, type ErrorDetail, type TesseraErrorCode } from "./errors";
export { backoffDelay, parseRetryAfter } from "./retry";
export type { CallOptions, FlatInput, PageItem, PaginatedId, RequestInput, Result, StreamId } from "./types";
export type { OperationId } from "../contract";

export const SDK_VERSION = "0.1.0";

export type TesseraOptions = {
  /** Tessera's address, e.g. `https://tessera.example.com` (a path prefix is kept). */
  baseUrl: string;
  /** The bearer token (`tsr_…`). Sent only to operations that authenticate, never shown in an error. */
  token?: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Each call's deadline, retries and waits included (default 60 s). 0: none. For a download, until its headers arrive. */
  timeoutMs?: number;
  /** Retries after a 429, a 503, or a network failure where a retry is safe (default 2: 3 attempts at most). */
  retries?: number;
  /** The first retry's wait without Retry-After, doubled each time (default 250 ms), with jitter. */
  retryBaseDelayMs?: number;
  /** The longest wait before a retry (default 30 s). A Retry-After longer than this is not waited for: the error is thrown, with `retryAfterMs`. */
  maxRetryDelayMs?: number;
  /** The User-Agent header (default `tessera-sdk/<version>` outside browsers, which set their own). */
  userAgent?: string;
  /** Headers added to every request. */
  headers?: Record<string, string>;
  /** Told before each retry (for logs and metrics). */
  onRetry?: (event: RetryEvent) => void;
};

export type RetryEvent = {
  operationId: string;
  /** The attempt about to be made (2 for the first retry). */
  attempt: number;
  /** How long the SDK waits before it. */
  delayMs: number;
  /** What the previous attempt got: the HTTP status (0 for a network failure) and the error code. */
  status: number;
  code: TesseraErrorCode;
  /** The Retry-After the server sent, in milliseconds, when it sent one. */
  retryAfterMs: number | undefined;
  requestId: string | undefined;
};

const DEFAULTS = { timeoutMs: 60_000, retries: 2, retryBaseDelayMs: 250, maxRetryDelayMs: 30_000 };
const RESERVED = new Set(["request", "paginate", "pages", "baseUrl", "constructor"]);

/** Any error answer: the envelope's fields, read loosely so that a newer server's codes pass through. */
const envelopeSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string().optional(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

type Parts = { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };

function shapeKeys(schema: z.ZodType | undefined): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape && typeof shape === "object" ? Object.keys(shape) : [];
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return "";
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (item === undefined || item === null) continue;
      qs.append(k, item instanceof Date ? item.toISOString() : String(item));
    }
  }
  const s = qs.toString();
  return s ? `?${s}` : "";
}

/** A 3xx answer (Node's fetch shows it with redirect: "manual"), or a browser's opaque one (status 0). */
function isRedirect(res: Response): boolean {
  return res.type === "opaqueredirect" || (res.status >= 300 && res.status < 400);
}

/** Where a redirect points, for the message: origin and path only (no credentials, no query), or "another address". */
function redirectTarget(res: Response, requestUrl: string): string {
  const location = res.headers.get("location");
  if (!location) return "another address";
  try {
    const u = new URL(location, requestUrl);
    return `${u.origin}${u.pathname}`.replace(/[^\x21-\x7e]/g, "?");
  } catch {
    return "another address";
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The client's own members; `Tessera` adds a namespace per resource of the contract. */
class TesseraBase {
  /** Tessera's address, without a trailing slash. */
  readonly baseUrl: string;
  // Private fields: the token does not show when the client is logged or inspected.
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch | undefined;
  readonly #origin: string;
  readonly #opts: Required<Pick<TesseraOptions, "timeoutMs" | "retries" | "retryBaseDelayMs" | "maxRetryDelayMs">>;
  readonly #headers: Record<string, string>;
  readonly #onRetry: TesseraOptions["onRetry"];

  constructor(options: TesseraOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new TypeError("Tessera: baseUrl must be an absolute http(s) URL, such as https://tessera.example.com");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError("Tessera: baseUrl must be an http(s) URL");
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    // For messages: no credentials, query or fragment of the address.
    this.#origin = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
    this.#token = options.token;
    this.#fetch = options.fetch;
    this.#opts = {
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      retries: options.retries ?? DEFAULTS.retries,
      retryBaseDelayMs: options.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs,
      maxRetryDelayMs: options.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs,
    };
    const userAgent = options.userAgent ?? (typeof document === "undefined" ? `tessera-sdk/${SDK_VERSION}` : undefined);
    this.#headers = { ...options.headers, ...(userAgent ? { "user-agent": userAgent } : {}) };
    this.#onRetry = options.onRetry;
    this.#mountNamespaces(this);
  }

  /**
   * Calls an operation by its contract id, with its `params`, `query` and `body` as the contract
   * declares them (wire form: dates as ISO strings), and call options (`signal`, `timeoutMs`, …).
   * Resolves to the decoded output (dates as Date), or a TesseraDownload for a streamed operation;
   * rejects with a TesseraError.
   */
  async request<I extends OperationId>(id: I, ...args: RequestArgs<I>): Promise<Result<OperationOf<I>>> {
    const op = this.#op(id);
    const { params, query, body, signal, timeoutMs, retries, token, headers, onRetry } = ((args as unknown[])[0] ?? {}) as Parts & CallOptions;
    return (await this.#call(op, { params, query, body }, { signal, timeoutMs, retries, token, headers, onRetry })) as never;
  }

  /**
   * Every page of a paginated list, following `nextCursor` until there is none (from the `cursor`
   * in the input's query, if any). Each page is one call, with the call options given.
   */
  async *pages<I extends PaginatedId>(id: I, ...args: RequestArgs<I>): AsyncGenerator<Result<OperationOf<I>>, void, undefined> {
    const input = ((args as unknown[])[0] ?? {}) as Parts & CallOptions;
    let cursor = input.query?.cursor as string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const query = { ...input.query, ...(cursor ? { cursor } : {}) };
      const page = (await this.request(id, { ...input, query } as never)) as { data: unknown[]; nextCursor: string | null };
      yield page as never;
      const next = page.nextCursor;
      if (!next) return;
      if (seen.has(next)) {
        throw new TesseraError({ status: 200, code: "BAD_RESPONSE", operationId: id, message: `${id}: the server answered a cursor it had already answered` });
      }
      seen.add(next);
      cursor = next;
    }
  }

  /**
   * Every item of a paginated list, page after page: `for await (const e of client.paginate("audit.list", { params: { workspaceId } }))`.
   * Breaking out of the loop stops fetching.
   */
  async *paginate<I extends PaginatedId>(id: I, ...args: RequestArgs<I>): AsyncGenerator<PageItem<I>, void, undefined> {
    for await (const page of this.pages(id, ...(args as unknown as RequestArgs<I>))) yield* (page as { data: PageItem<I>[] }).data;
  }

  #op(id: string): Operation {
    const op = byId.get(id);
    if (!op) throw new TypeError(`Tessera: no operation "${id}" in the contract`);
    return op;
  }

  /** A resource method's one object: path parameters, then the body's fields (or the query's). */
  #callFlat(op: Operation, input: Record<string, unknown> | undefined, options: CallOptions | undefined): Promise<unknown> {
    const paramKeys = shapeKeys(op.params);
    const queryKeys = op.body ? shapeKeys(op.query) : [];
    const params: Record<string, unknown> = {};
    const query: Record<string, unknown> = {};
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input ?? {})) {
      if (v === undefined) continue;
      if (paramKeys.includes(k)) params[k] = v;
      else if (op.body && !queryKeys.includes(k)) body[k] = v;
      else if (op.query) query[k] = v;
      else throw new TypeError(`Tessera: ${op.id} takes no input named "${k}"`);
    }
    const sendBody = op.body && (Object.keys(body).length > 0 || !op.body.safeParse(undefined).success);
    return this.#call(op, { params, query, body: sendBody ? body : undefined }, options ?? {});
  }

  /** One namespace per id prefix on `root` (the client): `tokens.create` → `root.tokens.create`. */
  #mountNamespaces(root: object): void {
    for (const op of operations as readonly Operation[]) {
      const names = op.id.split(".");
      if (RESERVED.has(names[0]!)) continue;
      let node = root;
      names.forEach((name, i) => {
        const existing = Object.hasOwn(node, name) ? (node as Record<string, object>)[name] : undefined;
        let next: object;
        if (i === names.length - 1) {
          next = async (input?: Record<string, unknown>, options?: CallOptions) => this.#callFlat(op, input, options);
          // A method that is also a namespace (`a.b` and `a.b.c`) keeps the namespace's members.
          if (existing) for (const [k, v] of Object.entries(existing)) Object.defineProperty(next, k, { value: v, enumerable: true, configurable: true });
        } else next = existing ?? {};
        Object.defineProperty(node, name, { value: next, enumerable: true, configurable: true });
        node = next;
      });
    }
  }

  async #call(op: Operation, parts: Parts, options: CallOptions): Promise<unknown> {
    const url = this.#url(op, parts);
    const headers: Record<string, string> = { accept: op.stream ? op.stream.contentTypes.join(", ") : "application/json", ...this.#headers, ...options.headers };
    const bearer = options.token ?? this.#token;
    if (bearer && op.auth !== "none") headers.authorization = `Bearer ${bearer}`;
    const payload = parts.body === undefined ? undefined : JSON.stringify(parts.body);
    if (payload !== undefined) headers["content-type"] = "application/json";

    const maxRetries = Math.max(0, options.retries ?? this.#opts.retries);
    const timeoutMs = options.timeoutMs ?? this.#opts.timeoutMs;
    const onRetry = options.onRetry ?? this.#onRetry;
    const started = Date.now();

    // One controller for the call: the caller's signal and the deadline both abort it.
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = timeoutMs > 0 ? setTimeout(() => ((timedOut = true), ctrl.abort()), timeoutMs) : undefined;
    const onAbort = () => ctrl.abort(options.signal?.reason);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    const release = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    const stopped = (): TesseraError =>
      timedOut
        ? new TesseraError({ status: 0, code: "TIMEOUT", operationId: op.id, message: `${op.id}: no answer from Tessera at ${this.#origin} within ${timeoutMs} ms` })
        : new TesseraError({ status: 0, code: "ABORTED", operationId: op.id, message: `${op.id}: cancelled`, cause: options.signal?.reason });

    let handedOver = false;
    try {
      for (let attempt = 1; ; attempt++) {
        if (ctrl.signal.aborted) throw stopped();
        let failure: TesseraError;
        let retryable: boolean;
        let res: Response | undefined;
        try {
          // Never followed: a 307/308 would send the body (a secret's value) and the token's request on
          // to wherever the Location header points.
          res = await (this.#fetch ?? fetch)(url, { method: op.method, headers, body: payload, signal: ctrl.signal, redirect: "manual" });
        } catch (err) {
          if (ctrl.signal.aborted) throw stopped();
          const why = networkErrorCode(err) ?? (err instanceof Error ? err.message : "fetch failed");
          failure = new TesseraError({ status: 0, code: "NETWORK", operationId: op.id, message: this.#redact(`Cannot reach Tessera at ${this.#origin} (${why})`, bearer), cause: err });
          // A request that may have reached the server is sent again only where that is harmless.
          retryable = isIdempotent(op.method) || certainlyNotSent(err);
        }
        if (res) {
          if (isRedirect(res)) {
            await res.body?.cancel().catch(() => undefined);
            throw new TesseraError({
              status: res.status,
              code: "BAD_RESPONSE",
              operationId: op.id,
              requestId: res.headers.get("x-request-id") ?? undefined,
              message: `${op.id}: Tessera answered a redirect to ${redirectTarget(res, url)} (not followed): set the server's address to the final one`,
            });
          }
          if (res.ok) {
            if (op.stream) {
              // Headers are in: the deadline is over, the caller's signal still stops the download.
              clearTimeout(timer);
              handedOver = true;
              return new TesseraDownload(res, release);
            }
            return await this.#decode(op, res, ctrl.signal, stopped);
          }
          failure = await this.#errorOf(op, res, ctrl.signal, stopped, bearer);
          retryable = RETRY_STATUSES.has(res.status);
        }
        if (!retryable! || attempt > maxRetries) throw failure!;
        const delayMs = failure!.retryAfterMs ?? backoffDelay(attempt, { baseDelayMs: this.#opts.retryBaseDelayMs, maxDelayMs: this.#opts.maxRetryDelayMs });
        // Not waited for: a wait longer than the cap, or one that would outlast the deadline.
        if (delayMs > this.#opts.maxRetryDelayMs) throw failure!;
        if (timeoutMs > 0 && Date.now() - started + delayMs >= timeoutMs) throw failure!;
        onRetry?.({
          operationId: op.id,
          attempt: attempt + 1,
          delayMs,
          status: failure!.status,
          code: failure!.code,
          retryAfterMs: failure!.retryAfterMs,
          requestId: failure!.requestId,
        });
        try {
          await sleep(delayMs, ctrl.signal);
        } catch {
          throw stopped();
        }
      }
    } finally {
      if (!handedOver) release();
    }
  }

  #url(op: Operation, parts: Parts): string {
    const path = op.path.replace(/\{(\w+)\}/g, (_, key: string) => {
      const v = parts.params?.[key];
      if (v === undefined || v === null || v === "") throw new TypeError(`Tessera: ${op.id} needs the path parameter ${key}`);
      // "." and ".." survive encodeURIComponent, and URL parsing would climb the path with them
      // (secretId ".." would PATCH the workspace): never a valid id, so refused before any request.
      if (v === "." || v === "..") throw new TypeError(`Tessera: ${op.id}: ${JSON.stringify(v)} is not a valid ${key}`);
      return encodeURIComponent(String(v));
    });
    return `${this.baseUrl}${path}${queryString(parts.query)}`;
  }

  async #text(op: Operation, res: Response, signal: AbortSignal, stopped: () => TesseraError): Promise<string> {
    try {
      return await res.text();
    } catch (err) {
      if (signal.aborted) throw stopped();
      throw new TesseraError({ status: res.status, code: "NETWORK", operationId: op.id, message: `${op.id}: the connection broke while the answer arrived`, cause: err });
    }
  }

  async #decode(op: Operation, res: Response, signal: AbortSignal, stopped: () => TesseraError): Promise<unknown> {
    const text = await this.#text(op, res, signal, stopped);
    const requestId = res.headers.get("x-request-id") ?? undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new TesseraError({ status: res.status, code: "BAD_RESPONSE", operationId: op.id, requestId, message: `${op.id}: the answer is not JSON` });
    }
    // The output schema decodes the wire form: ISO strings become Dates.
    const parsed = op.output.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
        .join("; ");
      throw new TesseraError({ status: res.status, code: "BAD_RESPONSE", operationId: op.id, requestId, message: `${op.id}: the answer does not match the contract (${where})` });
    }
    return parsed.data;
  }

  async #errorOf(op: Operation, res: Response, signal: AbortSignal, stopped: () => TesseraError, bearer: string | undefined): Promise<TesseraError> {
    const text = await this.#text(op, res, signal, stopped);
    const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
    const headerId = res.headers.get("x-request-id") ?? undefined;
    let json: unknown = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON: a proxy's page */
    }
    const env = envelopeSchema.safeParse(json);
    if (env.success) {
      const e = env.data.error;
      return new TesseraError({
        status: res.status,
        code: e.code as TesseraErrorCode,
        message: this.#redact(e.message, bearer),
        operationId: op.id,
        requestId: e.requestId ?? headerId,
        details: e.details,
        retryAfterMs,
      });
    }
    return new TesseraError({
      status: res.status,
      code: "BAD_RESPONSE",
      operationId: op.id,
      requestId: headerId,
      retryAfterMs,
      message: `${op.id}: Tessera answered ${res.status}${res.statusText ? ` ${res.statusText}` : ""} without an error envelope`,
    });
  }

  /** Belt and braces: a credential never appears in a message, whatever a server or runtime said. */
  #redact(message: string, bearer: string | undefined): string {
    for (const t of [this.#token, bearer]) if (t && t.length >= 8) message = message.split(t).join("[redacted]");
    return message;
  }
}

/**
 * The client. Every contract operation is a method of its resource (`client.tokens.create(input)`)
 * and can be called by id (`client.request("tokens.create", { params, body })`).
 */
export type Tessera = TesseraBase & Namespaces;
export const Tessera = TesseraBase as new (options: TesseraOptions) => Tessera;

const byId = new Map<string, Operation>((operations as readonly Operation[]).map((o) => [o.id, o]));

/** The same as `new Tessera(options)`. */
export function createClient(options: TesseraOptions): Tessera {
  return new Tessera(options);
}

/** A resource method's type, for wrappers: `Method<"tokens.create">`. */
export type { Method } from "./types";
