// Checks real API responses against the OpenAPI document (lib/contract/openapi.ts) with ajv:
// the operation is found by method and path template, its status must be one the document lists,
// and the body must validate against that status's schema (error bodies against `Error`). A
// download (a streamed success) is checked by its content type only.
//
// tests/setup/per-file.ts wraps the global fetch with `watchFetch()` and fails the file in an
// afterAll when `mismatches()` is not empty. Tests that call route handlers directly call
// `checkResponse(method, url, res)` before they read the body.
//
// A mismatch lists the method, the path template, the status and ajv's errors (paths in the body
// and the rule broken: ajv runs without `verbose`, so no value of the body is ever reported).
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { ERROR_CODES, type ErrorCode } from "@/lib/contract/errors";
import { openApiDocument, type JsonSchema, type OpenApiDocument, type OpenApiOperation } from "@/lib/contract/openapi";

// ajv-formats is CommonJS: its default export is the function (or holds it as `default`).
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

export type Mismatch = { method: string; path: string; status: number; problem: string };

type Route = { template: string; pattern: RegExp; params: number; methods: Map<string, OpenApiOperation> };

export class ResponseChecker {
  readonly doc: OpenApiDocument;
  private readonly ajv: Ajv2020;
  private readonly routes: Route[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDocument = openApiDocument({ serverUrl: "http://localhost" })) {
    this.doc = doc;
    // `example` (OpenAPI's keyword) is not JSON Schema's: strict mode would refuse it.
    this.ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: "openapi", components: { schemas: doc.components.schemas } });
    this.routes = Object.entries(doc.paths)
      .map(([template, item]) => ({
        template,
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[^/]+")}$`),
        params: (template.match(/\{/g) ?? []).length,
        methods: new Map(Object.entries(item).map(([m, op]) => [m.toUpperCase(), op])),
      }))
      // `/members/me` before `/members/{userId}`: the template with fewer parameters wins.
      .sort((a, b) => a.params - b.params);
  }

  /** The route whose template matches a request path. */
  route(pathname: string): Route | undefined {
    return this.routes.find((r) => r.pattern.test(pathname));
  }

  /** A validator for a schema of the document (its references resolve to the document's components). */
  validator(schema: JsonSchema): ValidateFunction {
    const key = JSON.stringify(schema);
    let v = this.compiled.get(key);
    if (!v) {
      v = this.ajv.compile(absoluteRefs(schema) as JsonSchema);
      this.compiled.set(key, v);
    }
    return v;
  }

  /** The response object of a status, with a shared response (`$ref`) resolved. */
  response(op: OpenApiOperation, status: number): { [k: string]: unknown } | undefined {
    const r = op.responses[String(status)] as { $ref?: string } | undefined;
    if (!r?.$ref) return r;
    return this.doc.components.responses[r.$ref.replace("#/components/responses/", "")];
  }

  /**
   * The problems with one response (an empty list when it matches the document). `body` is the
   * response's text, or undefined for a download, which is not read.
   */
  problems(method: string, pathname: string, status: number, contentType: string, body: string | undefined, headers: Headers): { path: string; problems: string[] } {
    const route = this.route(pathname);
    const op = route?.methods.get(method);
    // An unknown path is reported without its ids or any credential it may hold.
    const path = route?.template ?? pathname.replace(/\/[a-z0-9]{20,32}(?=\/|$)/g, "/{id}").replace(/\/[^/]*tsr_[^/]*/g, "/{credential}");
    if (!route || !op) {
      // No operation: the path is unknown (404) or does not serve the method (405 with Allow).
      const problems = this.errorBody(status, contentType, body);
      if (route && status !== 405) problems.push(`a path that does not serve ${method} answered ${status}, not 405`);
      if (status === 405 && !headers.get("allow")) problems.push("405 without an Allow header");
      return { path, problems };
    }
    const response = this.response(op, status);
    if (!response) return { path, problems: [`status ${status} is not in the document (it lists ${Object.keys(op.responses).join(", ")})`] };
    if (status >= 400) return { path, problems: this.errorBody(status, contentType, body) };

    const content = (response.content ?? {}) as { [type: string]: { schema?: JsonSchema } };
    const type = contentType.split(";")[0]!.trim().toLowerCase();
    const media = content[type];
    if (!media) return { path, problems: [`content type ${type || "(none)"} is not in the document (it lists ${Object.keys(content).join(", ")})`] };
    if (body === undefined || type !== "application/json") return { path, problems: [] };
    return { path, problems: this.validate(media.schema ?? {}, body) };
  }

  private errorBody(status: number, contentType: string, body: string | undefined): string[] {
    if (!/^application\/json\b/i.test(contentType)) return [`an error answer in ${contentType || "no content type"}, not the JSON error envelope`];
    if (body === undefined) return [];
    const problems = this.validate({ $ref: "#/components/schemas/Error" }, body);
    if (problems.length) return problems;
    const code = (JSON.parse(body) as { error: { code: ErrorCode } }).error.code;
    if (ERROR_CODES[code] !== status) problems.push(`the error code ${code} means ${ERROR_CODES[code]}, but the status is ${status}`);
    return problems;
  }

  private validate(schema: JsonSchema, text: string): string[] {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return ["the body is not JSON"];
    }
    const v = this.validator(schema);
    if (v(json)) return [];
    return (v.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? e.keyword}${Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ""}`);
  }
}

function absoluteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(absoluteRefs);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `openapi${v}` : absoluteRefs(v)]),
  );
}

// --- Recording, for the test files -------------------------------------------------------------

let checker: ResponseChecker | undefined;
const found: Mismatch[] = [];
const pending = new Set<Promise<void>>();

function sharedChecker(): ResponseChecker {
  return (checker ??= new ResponseChecker());
}

/** Whether a URL is an API operation's (the OpenAPI document itself is not checked against itself). */
function isApiUrl(pathname: string): boolean {
  return pathname.startsWith("/api/v1/") && pathname !== "/api/v1/openapi.json";
}

/**
 * Checks one response of an `/api/v1/…` URL against the document and records what does not match.
 * Reads a clone of the body, so call it before reading the response. HEAD and OPTIONS answers
 * are not operations of the document and are not checked.
 */
export function checkResponse(method: string, url: string | URL, res: Response): Promise<void> {
  const pathname = new URL(url, "http://localhost").pathname;
  const m = method.toUpperCase();
  if (!isApiUrl(pathname) || m === "HEAD" || m === "OPTIONS") return Promise.resolve();
  const c = sharedChecker();
  const op = c.route(pathname)?.methods.get(m);
  const contentType = res.headers.get("content-type") ?? "";
  // A download is checked by its content type: reading a clone would hold the whole stream.
  const isDownload = res.ok && op && !/^application\/json\b/i.test(contentType);
  const body = isDownload || res.body === null ? Promise.resolve(isDownload ? undefined : "") : res.clone().text();
  const task = body
    .then((text) => {
      const { path, problems } = c.problems(m, pathname, res.status, contentType, text, res.headers);
      for (const problem of problems) found.push({ method: m, path, status: res.status, problem });
    })
    .catch(() => {
      // The body could not be read (the server went away mid-answer): nothing to judge.
    })
    .finally(() => pending.delete(task));
  pending.add(task);
  return task;
}

/** Waits for the checks still reading bodies, then answers every mismatch recorded so far. */
export async function mismatches(): Promise<Mismatch[]> {
  while (pending.size) await Promise.all([...pending]);
  return [...found];
}

/** Forgets the mismatches recorded after the first `keep` (for the test of this checker itself). */
export function clearMismatches(keep = 0): void {
  found.length = keep;
}

export function formatMismatches(list: Mismatch[]): string {
  return list.map((x) => `${x.method} ${x.path} → ${x.status}: ${x.problem}`).join("\n");
}

/** Wraps the global fetch: every response to an /api/v1 URL is checked (not awaited: the test goes on). */
export function watchFetch(): void {
  const original = globalThis.fetch;
  if ((original as { checked?: boolean }).checked) return;
  const wrapped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const res = await original(input, init);
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    void checkResponse(method, url, res);
    return res;
  };
  globalThis.fetch = Object.assign(wrapped, { checked: true }) as typeof fetch;
}
