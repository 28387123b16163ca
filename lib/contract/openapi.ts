// The OpenAPI 3.1 document, generated from the contract (lib/contract/index.ts `operations`) with
// zod 4's `z.toJSONSchema` (the wire form: `io: "input"`, JSON Schema draft 2020-12, which is
// OpenAPI 3.1's dialect). Nothing here is a hand-written schema: the document is only assembled.
// Schemas that carry `.meta({ id })` become shared components (`#/components/schemas/<id>`).
// Imports nothing but zod and lib/contract, so that the SDK and the CLI can build it too.
import { z } from "zod";
import { COMMON_ERRORS, type BasePermission, type Operation } from "./define";
import { ERROR_CODES, ERROR_DESCRIPTIONS, errorEnvelopeSchema, type ErrorCode } from "./errors";
import { operations as declared } from "./index";

export const OPENAPI_VERSION = "3.1.1";
/** The API's version in the document (package.json's version; a test keeps them equal). */
export const API_VERSION = "0.1.0";

export type JsonSchema = { [key: string]: unknown };
type JsonObject = { [key: string]: unknown };

/** The document's shape, loosely: what the reference, the SDK and the tests read from it. */
export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: { url: string; description: string }[];
  tags: { name: string; description: string }[];
  security: { [scheme: string]: string[] }[];
  paths: { [path: string]: { [method: string]: OpenApiOperation } };
  components: {
    schemas: { [id: string]: JsonSchema };
    responses: { [name: string]: JsonObject };
    headers: { [name: string]: JsonObject };
    securitySchemes: { [name: string]: JsonObject };
  };
};

export type OpenApiOperation = {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: { [scheme: string]: string[] }[];
  "x-tessera-permission": BasePermission;
  "x-tessera-auth": Operation["auth"];
  parameters?: JsonObject[];
  requestBody?: JsonObject;
  responses: { [status: string]: JsonObject };
};

export type OpenApiOptions = {
  /** The public base URL of the server (TESSERA_PUBLIC_URL), without `/api/v1`. */
  serverUrl: string;
  /** Defaults to API_VERSION. */
  version?: string;
  /** Defaults to every operation of the contract. */
  operations?: readonly Operation[];
};

export const BEARER_SCHEME = "bearerAuth";
const COMPONENTS = "#/components/schemas/";

/** The name of an error code's shared response: `NOT_FOUND` → `NotFound`. */
export function errorResponseName(code: ErrorCode): string {
  return code
    .toLowerCase()
    .split("_")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

/** An example message per code, for the shared error responses (made up, never a real value). */
const ERROR_EXAMPLES: Record<ErrorCode, { message: string; details?: { path: string; message: string }[] }> = {
  BAD_REQUEST: { message: "The request body is not valid JSON" },
  UNAUTHORIZED: { message: "The token has expired" },
  FORBIDDEN: { message: "Your role in this workspace does not allow this" },
  NOT_FOUND: { message: "Token not found" },
  METHOD_NOT_ALLOWED: { message: "POST is not allowed here; allowed: GET, PATCH" },
  CONFLICT: { message: "A secret with this name already exists" },
  REAUTH_REQUIRED: { message: "Confirm it's you: this action needs your password, a second-factor code or a new SSO sign-in within the last 10 minutes." },
  PAYLOAD_TOO_LARGE: { message: "The request body is larger than 1 MiB" },
  UNSUPPORTED_MEDIA_TYPE: { message: "Send the body as JSON with Content-Type: application/json" },
  VALIDATION_FAILED: { message: "The body is invalid", details: [{ path: "name", message: "must not be empty" }] },
  RATE_LIMITED: { message: "Too many failed attempts from this address: retry later" },
  INTERNAL: { message: "Something went wrong" },
  SERVICE_UNAVAILABLE: { message: "The database is not reachable" },
  AUTHORIZATION_PENDING: { message: "Waiting for the code to be approved in the browser" },
  SLOW_DOWN: { message: "Polled too soon: wait at least 5 seconds between polls" },
  ACCESS_DENIED: { message: "The request was denied in the browser" },
  EXPIRED_TOKEN: { message: "This device code has expired; start the login again" },
};
const EXAMPLE_REQUEST_ID = "9f1c2d4e-0b7a-4c3e-8f51-6a2b9c0d1e2f";

/** The response headers that apply to a status (shared components). */
function errorHeaders(code: ErrorCode): JsonObject {
  const headers: JsonObject = { "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" } };
  if (code === "RATE_LIMITED" || code === "SERVICE_UNAVAILABLE") headers["Retry-After"] = { $ref: "#/components/headers/Retry-After" };
  if (code === "METHOD_NOT_ALLOWED") headers.Allow = { $ref: "#/components/headers/Allow" };
  if (code === "UNAUTHORIZED") headers["WWW-Authenticate"] = { $ref: "#/components/headers/WWW-Authenticate" };
  return headers;
}

const PERMISSION_TEXT: Record<string, string> = {
  "platform.admin": "a platform administrator (a user token of one, with the `platform` scope).",
  authenticated: "any valid credential; the operation is about the caller itself.",
  workload: "a workload token, or its short-lived credential, bound to the workload in the path.",
  public: "none: a public endpoint (rate-limited).",
};

function authText(op: Operation): string {
  const permission = PERMISSION_TEXT[op.permission] ?? `\`${op.permission}\` in the path's workspace (from the caller's role; a token's scopes can narrow it).`;
  const lines = [`**Permission:** ${permission}`];
  if (op.auth === "workload-credential") {
    lines.push(
      "**Authentication:** a short-lived workload credential (`Authorization: Bearer tsr_wlc_…`) from the workload's credentials endpoint. The workload token itself is refused here (403): exchange it first.",
    );
  } else if (op.auth === "bearer") {
    lines.push("**Authentication:** `Authorization: Bearer <token>` (a user, workspace or workload token).");
  } else {
    lines.push("**Authentication:** none.");
  }
  return lines.join("\n\n");
}

/**
 * Converts the contract's schemas to JSON Schema and collects the shared ones: each `$defs`
 * entry (a schema with `.meta({ id })`) moves to components, and its references follow it.
 */
class SchemaCollector {
  readonly components: { [id: string]: JsonSchema } = {};

  convert(schema: z.ZodType): JsonSchema {
    const json = z.toJSONSchema(schema, {
      io: "input",
      target: "draft-2020-12",
      unrepresentable: "throw",
      override: ({ jsonSchema }) => tidy(jsonSchema as JsonSchema),
    }) as JsonSchema;
    const { $schema: _schema, $defs, ...rest } = json;
    for (const [id, def] of Object.entries(($defs ?? {}) as { [id: string]: JsonSchema })) {
      const moved = rewriteRefs(def) as JsonSchema;
      const known = this.components[id];
      if (known && JSON.stringify(known) !== JSON.stringify(moved)) {
        throw new Error(`Two different schemas use the id "${id}" (.meta({ id })): give one of them another id`);
      }
      this.components[id] = moved;
    }
    return rewriteRefs(rest) as JsonSchema;
  }
}

/** Drops what only repeats the format (zod's date and date-time regexes, the safe-integer bounds). */
function tidy(s: JsonSchema): void {
  if ((s.format === "date-time" || s.format === "date") && typeof s.pattern === "string") delete s.pattern;
  if (s.type === "integer") {
    if (s.minimum === Number.MIN_SAFE_INTEGER) delete s.minimum;
    if (s.maximum === Number.MAX_SAFE_INTEGER) delete s.maximum;
  }
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "$ref" && typeof v === "string") {
      if (!v.startsWith("#/$defs/")) throw new Error(`Unsupported reference ${v} in a contract schema (a recursive schema needs an id)`);
      out[k] = COMPONENTS + v.slice("#/$defs/".length);
    } else {
      out[k] = rewriteRefs(v);
    }
  }
  return out;
}

/** A parameter's description: its schema's, or that of the component it refers to. */
function takeDescription(schema: JsonSchema, collect: SchemaCollector): { description?: string; schema: JsonSchema } {
  const { description, ...rest } = schema;
  if (typeof description === "string") return { description, schema: rest };
  const ref = typeof schema.$ref === "string" ? collect.components[schema.$ref.slice(COMPONENTS.length)] : undefined;
  return { description: typeof ref?.description === "string" ? ref.description : undefined, schema: rest };
}

function parameters(op: Operation, collect: SchemaCollector): JsonObject[] {
  const out: JsonObject[] = [];
  if (op.params) {
    const json = collect.convert(op.params);
    for (const [name, prop] of Object.entries((json.properties ?? {}) as { [k: string]: JsonSchema })) {
      const { description, schema } = takeDescription(prop, collect);
      const example = op.examples.params?.[name];
      out.push({ name, in: "path", required: true, description, schema, ...(example !== undefined ? { example } : {}) });
    }
  }
  if (op.query) {
    const json = collect.convert(op.query);
    const required = new Set((json.required ?? []) as string[]);
    const props = (json.properties ?? {}) as { [k: string]: JsonSchema };
    if (Object.keys(props).length === 0) {
      // A free-form query (filters as name=value pairs): one object parameter, exploded.
      out.push({
        name: "query",
        in: "query",
        required: false,
        style: "form",
        explode: true,
        description: typeof json.description === "string" ? json.description : "Filters, as name=value pairs.",
        schema: json,
        ...(op.examples.query ? { example: op.examples.query } : {}),
      });
    }
    for (const [name, prop] of Object.entries(props)) {
      const { description, schema } = takeDescription(prop, collect);
      const example = op.examples.query?.[name];
      out.push({ name, in: "query", required: required.has(name), description, schema, ...(example !== undefined ? { example } : {}) });
    }
  }
  return out;
}

function errorResponse(code: ErrorCode): JsonObject {
  return {
    description: ERROR_DESCRIPTIONS[code],
    headers: errorHeaders(code),
    content: {
      "application/json": {
        schema: { $ref: `${COMPONENTS}Error` },
        example: { error: { code, ...ERROR_EXAMPLES[code], requestId: EXAMPLE_REQUEST_ID } },
      },
    },
  };
}

function operationObject(op: Operation, collect: SchemaCollector): OpenApiOperation {
  const responses: { [status: string]: JsonObject } = {};
  const requestIdHeader = { "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" } };
  const output = collect.convert(op.output);
  if (op.stream) {
    const examples = op.examples.response;
    const content: JsonObject = {};
    for (const type of op.stream.contentTypes) {
      const byType = examples && typeof examples === "object" && type in examples ? (examples as JsonObject)[type] : examples;
      content[type] = { schema: output, ...(byType !== undefined ? { example: byType } : {}) };
    }
    responses[String(op.status)] = {
      description: op.outputDescription,
      headers: { ...requestIdHeader, "Content-Disposition": { $ref: "#/components/headers/Content-Disposition" } },
      content,
    };
  } else {
    responses[String(op.status)] = {
      description: op.outputDescription,
      headers: requestIdHeader,
      content: { "application/json": { schema: output, example: op.examples.response } },
    };
  }
  for (const [status, codes] of errorsByStatus(op)) {
    responses[String(status)] = { $ref: `#/components/responses/${sharedErrorResponseName(codes)}` };
  }

  const result: OpenApiOperation = {
    operationId: op.id,
    summary: op.summary,
    description: `${op.description}\n\n${authText(op)}`,
    tags: [op.tag],
    security: op.auth === "none" ? [] : [{ [BEARER_SCHEME]: [] }],
    "x-tessera-permission": op.permission,
    "x-tessera-auth": op.auth,
    responses: sortByStatus(responses),
  };
  const params = parameters(op, collect);
  if (params.length) result.parameters = params;
  if (op.body) {
    const schema = collect.convert(op.body);
    result.requestBody = {
      description: typeof schema.description === "string" ? schema.description : `The input of "${op.summary}".`,
      required: !op.body.safeParse(undefined).success,
      content: { "application/json": { schema, ...(op.examples.body !== undefined ? { example: op.examples.body } : {}) } },
    };
  }
  return result;
}

/** The error codes an operation can answer: its own, the ones of its kind of authentication, and the common ones. */
export function errorCodes(op: Operation): ErrorCode[] {
  const codes = new Set<ErrorCode>([...op.errors, ...COMMON_ERRORS]);
  if (op.auth !== "none") {
    codes.add("UNAUTHORIZED");
    codes.add("RATE_LIMITED");
  }
  return [...codes].sort((a, b) => ERROR_CODES[a] - ERROR_CODES[b]);
}

/**
 * An operation's error codes by status. Codes that share a status (the device-login poll answers
 * AUTHORIZATION_PENDING, SLOW_DOWN, ACCESS_DENIED and EXPIRED_TOKEN with 400, as RFC 8628 does, and
 * any request can get BAD_REQUEST) share one response, which lists them all.
 */
function errorsByStatus(op: Operation): Map<number, ErrorCode[]> {
  const order = Object.keys(ERROR_CODES);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodes(op)) byStatus.set(ERROR_CODES[code], [...(byStatus.get(ERROR_CODES[code]) ?? []), code]);
  for (const codes of byStatus.values()) codes.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return byStatus;
}

/** The shared response of one code (`NotFound`), or of several codes that share a status (`BadRequestOrSlowDown`). */
function sharedErrorResponseName(codes: readonly ErrorCode[]): string {
  return codes.map(errorResponseName).join("Or");
}

/** The shared response of several codes with one status: each code's meaning, and an example of the last. */
function combinedErrorResponse(codes: readonly ErrorCode[]): JsonObject {
  const last = codes[codes.length - 1]!;
  return {
    description: `One of these codes (the envelope's \`code\` says which). ${codes.map((c) => `\`${c}\`: ${ERROR_DESCRIPTIONS[c]}`).join(" ")}`,
    headers: Object.assign({}, ...codes.map(errorHeaders)) as JsonObject,
    content: {
      "application/json": {
        schema: { $ref: `${COMPONENTS}Error` },
        example: { error: { code: last, ...ERROR_EXAMPLES[last], requestId: EXAMPLE_REQUEST_ID } },
      },
    },
  };
}

function sortByStatus<T>(o: { [status: string]: T }): { [status: string]: T } {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => Number(a) - Number(b)));
}

const DESCRIPTION = [
  "The REST API of Tessera, a self-hosted control plane for AI and GPU platforms: workspaces, members, invitations, API tokens, secrets, workloads and the audit log.",
  "",
  "**Authentication.** Send `Authorization: Bearer <token>`: a user token (acts as its user, within its scopes), a workspace token, or a workload token. A workload fetches its environment with a short-lived workload credential (`tsr_wlc_…`). Cookies are ignored here. Failed attempts are counted per client address; past the limit the answer is 429 with `Retry-After`.",
  "",
  "**Errors** share one shape (`Error`): `{ \"error\": { \"code\", \"message\", \"requestId\", \"details\"? } }`, with the status the code implies. A known path with a method it does not serve answers 405 with an `Allow` header; an unknown path answers 404; a body over 1 MiB answers 413.",
  "",
  "**Dates** are ISO 8601 strings in UTC (`format: date-time`). **Ids** are opaque strings; an id from another workspace answers 404, as an unknown one does.",
  "",
  "Every answer is `Cache-Control: no-store` and carries `X-Request-Id`.",
].join("\n");

/** The OpenAPI 3.1 document of the API. */
export function openApiDocument(opts: OpenApiOptions): OpenApiDocument {
  const ops = opts.operations ?? (declared as readonly Operation[]);
  const collect = new SchemaCollector();
  const error = collect.convert(errorEnvelopeSchema);
  if (error.$ref !== `${COMPONENTS}Error`) throw new Error("the error envelope must carry .meta({ id: \"Error\" })");

  const paths: OpenApiDocument["paths"] = {};
  const tags = new Map<string, string[]>();
  for (const op of ops) {
    const item = (paths[op.path] ??= {});
    if (item[op.method.toLowerCase()]) throw new Error(`${op.method} ${op.path} is declared twice`);
    item[op.method.toLowerCase()] = operationObject(op, collect);
    tags.set(op.tag, [...(tags.get(op.tag) ?? []), op.summary]);
  }

  const responses: { [name: string]: JsonObject } = {};
  // Every code has its shared response, the ones no operation lists too (405 is answered for
  // methods a path does not serve, which no operation describes).
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) responses[errorResponseName(code)] = errorResponse(code);
  for (const op of ops) {
    for (const codes of errorsByStatus(op).values()) if (codes.length > 1) responses[sharedErrorResponseName(codes)] ??= combinedErrorResponse(codes);
  }

  return {
    openapi: OPENAPI_VERSION,
    info: { title: "Tessera API", version: opts.version ?? API_VERSION, description: DESCRIPTION },
    servers: [{ url: opts.serverUrl.replace(/\/+$/, ""), description: "This Tessera server" }],
    tags: [...tags].map(([name, summaries]) => ({
      name,
      description: `${summaries.map((s) => s.charAt(0).toLowerCase() + s.slice(1)).join("; ")}.`.replace(/^./, (c) => c.toUpperCase()),
    })),
    security: [{ [BEARER_SCHEME]: [] }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(collect.components).sort(([a], [b]) => a.localeCompare(b))),
      responses,
      headers: {
        "X-Request-Id": { description: "The request's id, also in the error envelope. Quote it in a support request.", schema: { type: "string" } },
        "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 0 } },
        Allow: { description: "The methods this path serves, comma-separated.", schema: { type: "string" }, example: "GET, PATCH" },
        "WWW-Authenticate": { description: "`Bearer error=\"invalid_token\"` when a token was sent but refused.", schema: { type: "string" } },
        "Content-Disposition": { description: "`attachment; filename=\"…\"`: the download's file name.", schema: { type: "string" } },
      },
      securitySchemes: {
        [BEARER_SCHEME]: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "tsr_…",
          description:
            "A Tessera token (`tsr_…`) or a short-lived workload credential (`tsr_wlc_…`), sent as `Authorization: Bearer <value>`. Tokens are created in the dashboard or with `POST /api/v1/workspaces/{workspaceId}/tokens`; the value is shown once.",
        },
      },
    },
  };
}
