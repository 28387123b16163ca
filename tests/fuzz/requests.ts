// Requests generated from the API contract: for every operation, its method, path parameters, query
// and body, from the OpenAPI document's JSON Schemas (which lib/contract/openapi.ts converts from the
// contract's zod schemas), both valid and mutated, as one of the fuzzer's callers.
//
// A generated request is abstract (a `Spec`): real ids and values are `Ref`s, picked from the world
// when it is sent, so that a seed replays the same choices against a freshly built world.
import fc from "fast-check";
import { operations } from "@/lib/contract";
import { openApiDocument, type JsonSchema, type OpenApiOperation } from "@/lib/contract/openapi";
import { arbitraryOf, Ref, type Override } from "./schema-arbitrary";
import { CALLERS, type Caller, type Pools } from "./world";

export const DOC = openApiDocument({ serverUrl: "http://localhost" });

export type Op = { id: string; method: string; path: string; doc: OpenApiOperation };
export const OPS: Op[] = operations.map((o) => ({ id: o.id, method: o.method, path: o.path, doc: DOC.paths[o.path]![o.method.toLowerCase()]! }));

/** Every method, served or not (TRACE and CONNECT are the HTTP edge's, covered by http-edge.test.ts). */
export const ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"] as const;

/** A path segment: a real id, a random well-formed one, or an odd one. */
type Segment = { real: Ref } | { raw: string };

/** How the body is broken (or not). */
export type BodyKind =
  | "valid"
  | "none"
  | "wrong-type"
  | "missing-field"
  | "extra-field"
  | "huge-string"
  | "huge-array"
  | "deep"
  | "nul"
  | "invalid-utf8"
  | "garbage"
  | "any-json"
  | "duplicate-key"
  | "oversize";

export type Spec = {
  op: number;
  caller: Caller;
  /** The malformed caller's header, when the caller is `malformed`. */
  malformed: number;
  /** Another method than the operation's, or null. */
  method: string | null;
  params: Record<string, Segment>;
  pathTail: string;
  query: Record<string, unknown> | null;
  rawQuery: string;
  bodyKind: BodyKind;
  body: unknown;
  /** A number that picks what a mutation changes (a field, a size). */
  knob: number;
  contentType: string | null;
  /** The client address (X-Forwarded-For, the server trusting its proxy): see `clientAddress`. */
  address: number;
};

const ID_PATTERN = "^[a-z0-9]{20,32}$";

/** The pool of real values a parameter or field draws from. */
const POOL_OF: Record<string, keyof Pools> = {
  workspaceId: "workspace",
  userId: "user",
  tokenId: "token",
  secretId: "secret",
  workloadId: "workload",
  invitationId: "invitation",
  deviceCode: "deviceCode",
  token: "tokenValue",
  confirmName: "workspaceName",
};

/** Percent-encodings and segments that servers get wrong: NUL, bad escapes, overlong UTF-8, dot segments, encoded slashes. */
const ODD_SEGMENTS = [
  "%00", "a%00b", "%zz", "%", "%4", "%c0%ae%c0%ae", "%c0%af", "%2e%2e", "%2E%2E%2F", "..", ".", "%2F", "a%2Fb", "%252e%252e",
  "%ff%fe", "%ed%a0%80", "%e2%80%ae", "%ef%bb%bf", "%u0041", "me", "%20", "+", "~", "@", "%3Cscript%3E", "x".repeat(300), "A".repeat(40),
];
const ODD_TAILS = ["", "", "", "", "/", "//", "/%2e%2e", "/..", "/%2e%2e/%2e%2e/me", "/extra", "/%00", ";x=1", "/.", "%2F"];
const ODD_QUERIES = [
  "", "", "", "a=%zz", "limit=-1", "limit=1&limit=2", "%00=1", "cursor=%c0%af", "q=%ff%fe", "state=%00pending", "format=xml", "x=" + "y".repeat(5000),
  "limit=1e309", "limit=0x10", "from=2026-13-45", "to=%2e%2e", "&&&", "=", "a[b]=c", "__proto__=1", "constructor[prototype][x]=1",
];
const CONTENT_TYPES = [
  null, "text/plain", "application/json; charset=utf-16", "application/x-www-form-urlencoded", "multipart/form-data",
  "application/merge-patch+json", "APPLICATION/JSON", "application/jsonx", ";;;", "application/json, text/plain", "*/*",
];
/** The malformed caller's Authorization values: bad checksum (from the world), no value, another scheme, junk. */
export const MALFORMED_HEADERS = ["<checksum>", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer tsr_", "Bearer tsr_u_" + "A".repeat(60), "Bearer a b", "Token abc", "bearer " + "z".repeat(4000)];
const GARBAGE = ["", "{", '{"name":', "nul", "[]", "null", "0", '"x"', "NaN", "1e999", "{}{}", '{"a":1,}', "\ufeff{}", "[".repeat(64), "-0", "true"];

function segmentArb(pool: keyof Pools | undefined): fc.Arbitrary<Segment> {
  return fc.oneof(
    { weight: pool ? 6 : 0, arbitrary: fc.nat().map((n) => ({ real: new Ref(pool ?? "workspace", n) })) },
    { weight: 2, arbitrary: fc.stringMatching(new RegExp(ID_PATTERN)).map((raw) => ({ raw })) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_SEGMENTS).map((raw) => ({ raw })) },
  );
}

/** Real values for fields named like ids (and the few other fields that take one), often. */
const override: Override = (name, schema) => {
  const pool = POOL_OF[name];
  if (!pool) return undefined;
  return fc.oneof({ weight: 2, arbitrary: arbitraryOf(schema, undefined) }, { weight: 3, arbitrary: fc.nat().map((n) => new Ref(pool, n)) });
};

function querySchema(op: Op): JsonSchema | null {
  const params = (op.doc.parameters ?? []).filter((p) => p.in === "query") as { name: string; required: boolean; schema: JsonSchema }[];
  if (!params.length) return null;
  return {
    type: "object",
    properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
    required: params.filter((p) => p.required).map((p) => p.name),
  };
}

function bodySchema(op: Op): JsonSchema | null {
  const body = op.doc.requestBody as { content: { "application/json": { schema: JsonSchema } } } | undefined;
  return body?.content["application/json"].schema ?? null;
}

const BODY_KINDS: [BodyKind, number][] = [
  ["valid", 10], ["none", 2], ["wrong-type", 3], ["missing-field", 2], ["extra-field", 2], ["huge-string", 1], ["huge-array", 1], ["deep", 1],
  ["nul", 2], ["invalid-utf8", 2], ["garbage", 2], ["any-json", 2], ["duplicate-key", 1], ["oversize", 0.2],
];

/** Callers that hold some permission in the fuzzed workspace (or the platform), for well-formed requests. */
const ABLE_CALLERS: Caller[] = ["owner", "admin", "member", "viewer", "platformAdmin", "workloadToken", "workloadCredential", "narrowWorkspaceToken"];

/**
 * An operation's requests, two ways: mostly anything (any caller, mutations everywhere), and, 2 in
 * 5, well-formed ones (the operation's own method, real ids, mostly the fuzzed workspace's, a valid
 * body as JSON, a caller with some permission), so that requests reach the services' deeper paths
 * and succeed often enough to change the world.
 */
function opArb(index: number): fc.Arbitrary<Spec> {
  const op = OPS[index]!;
  const names = (op.doc.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name as string);
  const params = fc.record(Object.fromEntries(names.map((n) => [n, segmentArb(POOL_OF[n])])) as Record<string, fc.Arbitrary<Segment>>);
  const realParams = fc.record(
    Object.fromEntries(
      names.map((n) => {
        const pool = POOL_OF[n] ?? "workspace";
        // The fuzzed workspace is the pool's first entry.
        const real = n === "workspaceId" ? fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat() }) : fc.nat();
        return [n, real.map((pick): Segment => ({ real: new Ref(pool, pick) }))];
      }),
    ) as Record<string, fc.Arbitrary<Segment>>,
  );
  const qs = querySchema(op);
  const bs = bodySchema(op);
  const validBody = bs ? arbitraryOf(bs, override) : fc.constant(undefined);
  const query = qs ? fc.option(arbitraryOf(qs, override) as fc.Arbitrary<Record<string, unknown>>, { freq: 4 }) : fc.constant(null);
  const anything = fc.record({
    op: fc.constant(index),
    caller: fc.constantFrom(...CALLERS),
    malformed: fc.nat({ max: MALFORMED_HEADERS.length - 1 }),
    method: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...ALL_METHODS) }),
    params,
    pathTail: fc.oneof({ weight: 12, arbitrary: fc.constant("") }, { weight: 1, arbitrary: fc.constantFrom(...ODD_TAILS) }),
    query,
    rawQuery: fc.oneof({ weight: 6, arbitrary: fc.constant("") }, { weight: 1, arbitrary: fc.constantFrom(...ODD_QUERIES) }),
    bodyKind: fc.oneof(...BODY_KINDS.map(([k, w]) => ({ weight: Math.round(w * 5), arbitrary: fc.constant(k) }))).map((k) => (!bs && k === "valid" ? "none" : k)),
    body: fc.oneof({ weight: 4, arbitrary: validBody }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) }),
    knob: fc.nat(),
    contentType: fc.oneof({ weight: 8, arbitrary: fc.constant("application/json") }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
    address: fc.nat(),
  });
  const wellFormed = fc.record({
    op: fc.constant(index),
    caller: fc.constantFrom(...ABLE_CALLERS),
    malformed: fc.constant(0),
    method: fc.constant(null),
    params: realParams,
    pathTail: fc.constant(""),
    query,
    rawQuery: fc.constant(""),
    bodyKind: fc.constant<BodyKind>(bs ? "valid" : "none"),
    body: validBody,
    knob: fc.nat(),
    contentType: fc.constant("application/json"),
    address: fc.nat(),
  });
  return fc.oneof({ weight: 3, arbitrary: anything }, { weight: 2, arbitrary: wellFormed });
}

/** Requests for every operation, each operation equally likely. */
export function specArb(): fc.Arbitrary<Spec> {
  // Built once per operation: building them (regexes, records) costs far more than drawing from them.
  const perOp = OPS.map((_, i) => opArb(i));
  return fc.nat({ max: OPS.length - 1 }).chain((i) => perOp[i]!);
}

// --- From an abstract request to bytes on the wire ----------------------------------------------

export type Concrete = { method: string; path: string; headers: Record<string, string>; body: Buffer | undefined; op: Op };

function resolve(value: unknown, pools: Pools): unknown {
  if (value instanceof Ref) {
    const pool = pools[value.kind as keyof Pools];
    return pool[value.pick % pool.length];
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, pools));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, pools)]));
  return value;
}

function deep(depth: number): string {
  return `${"[".repeat(depth)}${"]".repeat(depth)}`;
}

/** The body's bytes for a body kind (the valid body, the value that replaces one field, ...). */
function bodyBytes(spec: Spec, valid: unknown): Buffer | undefined {
  const obj = valid && typeof valid === "object" && !Array.isArray(valid) ? (valid as Record<string, unknown>) : {};
  const keys = Object.keys(obj);
  const key = keys.length ? keys[spec.knob % keys.length]! : "name";
  const json = (v: unknown) => Buffer.from(JSON.stringify(v) ?? "");
  switch (spec.bodyKind) {
    case "valid":
      return valid === undefined ? undefined : json(valid);
    case "none":
      return undefined;
    case "wrong-type": {
      const wrong = [42, -1.5, true, null, [], {}, "text", [1, 2], { a: 1 }, 1e308][spec.knob % 10];
      return json({ ...obj, [key]: wrong });
    }
    case "missing-field": {
      const { [key]: _dropped, ...rest } = obj;
      return json(rest);
    }
    case "extra-field":
      return json({ ...obj, [["__proto__", "constructor", "isAdmin", "role", "workspaceId", "x"][spec.knob % 6]!]: { polluted: true } });
    case "huge-string":
      return json({ ...obj, [key]: "x".repeat(10_000 + (spec.knob % 900_000)) });
    case "huge-array":
      return json({ ...obj, [key]: Array.from({ length: 1000 + (spec.knob % 60_000) }, (_, i) => i) });
    case "deep": {
      // Up to ~500,000 levels: under the 1 MiB limit, far past any recursive parser's stack.
      const d = 1000 + (spec.knob % 499_000);
      return spec.knob % 2 ? Buffer.from(deep(d)) : Buffer.from(`{"${key}":${deep(d)}}`);
    }
    case "nul":
      return json({ ...obj, [key]: `a\u0000b${typeof obj[key] === "string" ? obj[key] : ""}` });
    case "invalid-utf8": {
      const bad = [Buffer.from([0xff, 0xfe]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe2, 0x82]), Buffer.from([0x80])][spec.knob % 5]!;
      return Buffer.concat([Buffer.from(`{"${key}":"a`), bad, Buffer.from(`b"}`)]);
    }
    case "garbage":
      return Buffer.from(GARBAGE[spec.knob % GARBAGE.length]!);
    case "any-json":
      return json(spec.body);
    case "duplicate-key": {
      const text = JSON.stringify(obj);
      return Buffer.from(text === "{}" ? `{"${key}":1,"${key}":2}` : `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(spec.body) ?? "null"}}`);
    }
    case "oversize":
      // Just over the 1 MiB limit (413), as one JSON string.
      return json({ [key]: "x".repeat(1024 * 1024 + (spec.knob % 4096)) });
  }
}

/** The address whose failures trip the failed-token limit, so that its 429s stay exercised. */
export const HOT_ADDRESS = "198.51.100.1";
const ODD_ADDRESSES = ["unknown", "1.2.3.4, 5.6.7.8", " ", "::1", "2001:db8::1", "999.1.1.1", "x".repeat(100)];

/**
 * The server trusts its proxy (TESSERA_TRUST_PROXY=true), so the client address is the last
 * X-Forwarded-For entry. Most requests come from an address of their own, so that the per-address
 * failed-token limit does not turn every later failure into a 429; 15% come from one hot address,
 * which trips it within seconds (its 429s are checked like any answer); a few send junk.
 */
export function clientAddress(n: number): string {
  const r = n % 100;
  if (r < 15) return HOT_ADDRESS;
  if (r < 18) return ODD_ADDRESSES[n % ODD_ADDRESSES.length]!;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

export function materialize(spec: Spec, pools: Pools, auth: Record<Caller, string | undefined>): Concrete {
  const op = OPS[spec.op]!;
  const segments: Record<string, string> = {};
  for (const [name, seg] of Object.entries(spec.params)) {
    segments[name] = "real" in seg ? encodeURIComponent(String(resolve(seg.real, pools))) : seg.raw;
  }
  let path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => segments[name] ?? "x") + spec.pathTail;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries((resolve(spec.query, pools) ?? {}) as Record<string, unknown>)) q.append(k, String(v));
  const query = [q.toString(), spec.rawQuery].filter(Boolean).join("&");
  if (query) path += `?${query}`;
  const method = spec.method ?? op.method;
  const headers: Record<string, string> = { "user-agent": "tessera-fuzz", "x-forwarded-for": clientAddress(spec.address) };
  const authorization = spec.caller === "malformed" && spec.malformed > 0 ? MALFORMED_HEADERS[spec.malformed] : auth[spec.caller];
  if (authorization) headers.authorization = authorization;
  const body = method === "GET" || method === "HEAD" ? undefined : bodyBytes(spec, resolve(spec.body, pools));
  if (body !== undefined && spec.contentType) headers["content-type"] = spec.contentType;
  // Node's client sends no length for a DELETE or OPTIONS body unless told (the bytes would then be read as the next request).
  if (body !== undefined) headers["content-length"] = String(body.length);
  return { method, path, headers, body, op };
}

/** A short description of a request, without any credential or value: the operation, the caller, what was mutated. */
export function describeSpec(spec: Spec): string {
  const op = OPS[spec.op]!;
  const params = Object.entries(spec.params).map(([k, s]) => `${k}=${"real" in s ? JSON.stringify(s.real) : JSON.stringify(s.raw.slice(0, 40))}`);
  const parts = [
    `${spec.method ?? op.method} ${op.path}${spec.pathTail ? ` + ${JSON.stringify(spec.pathTail)}` : ""} (${op.id})`,
    `caller=${spec.caller}${spec.caller === "malformed" ? `#${spec.malformed}` : ""}`,
    params.length ? params.join(" ") : "",
    spec.query ? `query=${JSON.stringify(spec.query).slice(0, 200)}` : "",
    spec.rawQuery ? `rawQuery=${JSON.stringify(spec.rawQuery.slice(0, 60))}` : "",
    `body=${spec.bodyKind} knob=${spec.knob} content-type=${spec.contentType ?? "(none)"}`,
  ];
  return parts.filter(Boolean).join(" ");
}
