// The route-handler wrapper: `bind(operation, handler)` authenticates as the contract entry says,
// parses input, calls one service, encodes the output, and turns any failure into the error
// envelope. Handlers stay a few lines long. `publicRoute` serves the few routes outside /api/v1.
import { z } from "zod";
import type { Actor, RequestMeta } from "../auth/actor";
import { authenticateBearer, bearerValue, BearerError } from "../auth/bearer";
import { countFailure } from "../auth/failure-limit";
import { checkCredentialValue, isCredentialValue } from "../auth/workload-credential";
import type { CredentialCaller } from "../services/workloads";
import { AppError, errorEnvelope, toAppError, validationError } from "../errors";
import type { Auth, Operation } from "../contract/define";
import { log } from "../log";
import { MAX_BODY_BYTES } from "./policy.mjs";
import { requestMeta } from "./request-meta";

type Params = Record<string, string | string[] | undefined>;
type RouteContext = { params: Promise<Params> };

type CallerOf<A extends Auth> = A extends "bearer" ? Actor : A extends "workload-credential" ? Actor | CredentialCaller : null;

type Def<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, O extends z.ZodType, A extends Auth> = {
  params?: P;
  query?: Q;
  body?: B;
  output: O;
  status?: number;
  handler: (ctx: {
    actor: CallerOf<A>;
    params: z.infer<P>;
    query: z.infer<Q>;
    body: z.infer<B>;
    meta: RequestMeta;
  }) => Promise<z.output<O>>;
};

/**
 * Every API response is `Cache-Control: no-store`: some carry a secret (a token or invitation link
 * at creation, workload credentials, the env), and no API answer is meant to be kept by a browser
 * or a proxy cache.
 */
export const NO_STORE = "no-store";

export function jsonError(err: AppError, meta: RequestMeta): Response {
  const headers: Record<string, string> = { "x-request-id": meta.requestId, "cache-control": NO_STORE };
  if (err.retryAfterSeconds) headers["retry-after"] = String(err.retryAfterSeconds);
  if (err instanceof BearerError) headers["www-authenticate"] = `Bearer error="invalid_token"`;
  return Response.json(errorEnvelope(err, meta.requestId), { status: err.status, headers });
}

async function readJson(req: Request, optional: boolean): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  // A route whose body is optional takes an empty request without a content type.
  if (optional && !type && (req.headers.get("content-length") ?? "0") === "0") {
    if ((await req.text()) === "") return undefined;
  }
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON with Content-Type: application/json");
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", "The request body is larger than 1 MiB");
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new AppError("PAYLOAD_TOO_LARGE", "The request body is larger than 1 MiB");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON");
  }
}

/**
 * The env endpoint's authentication (`workload-credential`): a short-lived workload credential
 * (`tsr_wlc_…`, checked here without the database; the service re-reads its parent token), or any
 * other bearer token, authenticated as usual so that the service can refuse it with the right status.
 */
async function authenticateCredentialOrBearer(header: string | null, meta: RequestMeta): Promise<Actor | CredentialCaller> {
  // Failures count toward the address's limit (429 past it); a valid credential always passes.
  let value: string;
  try {
    value = bearerValue(header);
  } catch (err) {
    countFailure(meta.ip);
    throw err;
  }
  if (!isCredentialValue(value)) return authenticateBearer(header, meta);
  const checked = checkCredentialValue(value);
  if (!checked.ok) {
    countFailure(meta.ip);
    throw new BearerError(checked.reason);
  }
  return { type: "workload-credential", credential: checked.credential, meta };
}

/** A route without credentials (health-like and gateway endpoints). */
export function publicRoute<
  O extends z.ZodType,
  P extends z.ZodType = z.ZodObject<Record<string, never>>,
  Q extends z.ZodType = z.ZodObject<Record<string, never>>,
  B extends z.ZodType = z.ZodUndefined,
>(def: Def<P, Q, B, O, "none">) {
  return makeRoute(def, "none");
}

/** A download: chunks pulled from an async iterable as the client reads (backpressure), never buffered whole. */
export type StreamResult = { contentType: string; filename: string; chunks: AsyncIterable<string> };

export function streamBody(chunks: AsyncIterable<string>, requestId: string): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await it.next();
          if (done) controller.close();
          else controller.enqueue(encoder.encode(value));
        } catch (err) {
          log.error({ requestId, err: err instanceof Error ? err.message : String(err) }, "stream failed");
          controller.error(err);
        }
      },
      async cancel() {
        await it.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}

export function streamResponse(result: StreamResult, requestId: string): Response {
  return new Response(streamBody(result.chunks, requestId), {
    headers: {
      "content-type": result.contentType,
      "content-disposition": `attachment; filename="${result.filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "cache-control": NO_STORE,
      "x-request-id": requestId,
    },
  });
}

/** What a handler bound to an operation receives: its caller and its parsed (decoded) input. */
type BoundCtx<Op extends Operation> = {
  actor: CallerOf<Op["auth"]>;
  params: Op["params"] extends z.ZodType ? z.output<Op["params"]> : Record<string, never>;
  query: Op["query"] extends z.ZodType ? z.output<Op["query"]> : Record<string, never>;
  body: Op["body"] extends z.ZodType ? z.output<Op["body"]> : undefined;
  meta: RequestMeta;
};
type BoundResult<Op extends Operation> = Op["stream"] extends object ? StreamResult : z.output<Op["output"]>;

/** The operation a route handler serves (read by the test that walks the route tree). */
export const OPERATION = Symbol.for("tessera.operation");
export type BoundHandler = ((req: Request, ctx?: RouteContext) => Promise<Response>) & { [OPERATION]: Operation };

/**
 * A route handler bound to its contract entry (lib/contract): the entry's authentication, path,
 * query and body schemas, success status and output schema. The handler calls one service.
 *
 *   export const GET = bind(api["tokens.get"], ({ actor, params }) => getToken(actor, params.workspaceId, params.tokenId));
 */
export function bind<const Op extends Operation>(op: Op, handler: (ctx: BoundCtx<Op>) => Promise<BoundResult<Op>>): BoundHandler {
  const h = op.stream
    ? makeRoute(
        {
          params: op.params,
          query: op.query,
          output: z.instanceof(Response),
          handler: async (ctx) => streamResponse((await handler(ctx as never)) as StreamResult, ctx.meta.requestId),
        },
        op.auth,
      )
    : makeRoute({ params: op.params, query: op.query, body: op.body, output: op.output, status: op.status, handler: handler as never }, op.auth);
  return Object.assign(h, { [OPERATION]: op });
}

function makeRoute<O extends z.ZodType, P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, A extends Auth>(
  def: Def<P, Q, B, O, A>,
  auth: A,
) {
  // Whether the body may be left out, decided once per route rather than per request.
  const bodyOptional = def.body ? def.body.safeParse(undefined).success : false;
  return async function handle(req: Request, ctx?: RouteContext): Promise<Response> {
    const meta = requestMeta(req.headers);
    try {
      const header = req.headers.get("authorization");
      const actor =
        auth === "bearer" ? await authenticateBearer(header, meta) : auth === "workload-credential" ? await authenticateCredentialOrBearer(header, meta) : null;

      const rawParams = (await ctx?.params) ?? {};
      const params = def.params ? def.params.safeParse(rawParams) : { success: true as const, data: {} };
      // A path id that cannot exist is simply not found.
      if (!params.success) {
        // Named, so that a mistyped ID is easy to spot ("workloadId" → "Workload"); the value itself is not echoed.
        const key = String(params.error.issues[0]?.path[0] ?? "");
        const what = key.endsWith("Id") ? key.slice(0, 1).toUpperCase() + key.slice(1, -2) : "Resource";
        throw new AppError("NOT_FOUND", `${what} not found: the ${key || "ID"} in the path is not a valid ID`);
      }

      const url = new URL(req.url);
      const rawQuery = Object.fromEntries(url.searchParams);
      const query = def.query ? def.query.safeParse(rawQuery) : { success: true as const, data: {} };
      if (!query.success) throw validationError(query.error, "query");

      let body: unknown = undefined;
      if (def.body) {
        const parsed = def.body.safeParse(await readJson(req, bodyOptional));
        if (!parsed.success) throw validationError(parsed.error, "body");
        body = parsed.data;
      }

      const result = await def.handler({
        actor: actor as never,
        params: params.data as z.infer<P>,
        query: query.data as z.infer<Q>,
        body: body as z.infer<B>,
        meta,
      });
      if (result instanceof Response) return result;
      // Encoded on the way out (Dates become ISO strings): only the fields of the output schema reach the client.
      const output = z.encode(def.output, result as z.output<O>);
      return Response.json(output, { status: def.status ?? 200, headers: { "x-request-id": meta.requestId, "cache-control": NO_STORE } });
    } catch (err) {
      const appErr = toAppError(err);
      if (appErr.status >= 500) {
        log.error(
          { requestId: meta.requestId, err: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err) },
          "request failed",
        );
      }
      return jsonError(appErr, meta);
    }
  };
}
