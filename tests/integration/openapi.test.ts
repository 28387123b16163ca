// The OpenAPI document (lib/contract/openapi.ts, served at GET /api/v1/openapi.json): it passes
// Redocly's linter, documents every operation, parameter and field, and every example it shows
// validates against its own schema (ajv, JSON Schema 2020-12 with formats).
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/openapi.json/route";
import { operations as declared, type Operation } from "@/lib/contract";
import { errorEnvelopeSchema } from "@/lib/contract/errors";
import { API_VERSION, openApiDocument, type JsonSchema, type OpenApiOperation } from "@/lib/contract/openapi";
import { publicBaseUrl, resetConfig } from "@/lib/config";
import { clearMismatches, mismatches, ResponseChecker } from "../helpers/openapi-check";

const operations: readonly Operation[] = declared;
const ROOT = path.resolve(import.meta.dirname, "../..");
const doc = openApiDocument({ serverUrl: "https://tessera.example.org/" });
const checker = new ResponseChecker(doc);

function* eachOperation(): Generator<[string, OpenApiOperation]> {
  for (const [p, item] of Object.entries(doc.paths)) for (const [m, op] of Object.entries(item)) yield [`${m.toUpperCase()} ${p}`, op];
}

/** Every schema node under `node`, with where it is. */
function* schemaNodes(node: unknown, where: string): Generator<[JsonSchema, string]> {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) yield* schemaNodes(n, `${where}/${i}`);
    return;
  }
  const s = node as JsonSchema;
  yield [s, where];
  for (const key of ["items", "additionalProperties", "not", "contains", "propertyNames"]) if (s[key]) yield* schemaNodes(s[key], `${where}/${key}`);
  for (const key of ["anyOf", "oneOf", "allOf", "prefixItems"]) if (Array.isArray(s[key])) yield* schemaNodes(s[key], `${where}/${key}`);
  for (const [name, p] of Object.entries((s.properties ?? {}) as Record<string, unknown>)) yield* schemaNodes(p, `${where}.${name}`);
}

/** A property's description: its own, or that of the component it refers to. */
function describedAt(prop: JsonSchema): boolean {
  if (typeof prop.description === "string" && prop.description.trim()) return true;
  const ref = typeof prop.$ref === "string" ? doc.components.schemas[prop.$ref.replace("#/components/schemas/", "")] : undefined;
  return typeof ref?.description === "string" && ref.description.trim() !== "";
}

/** Every schema of the document: the components and each operation's parameters, bodies and responses. */
function* everySchema(): Generator<[JsonSchema, string]> {
  for (const [id, s] of Object.entries(doc.components.schemas)) yield [s, `components.${id}`];
  for (const [key, op] of eachOperation()) {
    for (const p of (op.parameters ?? []) as { name: string; schema: JsonSchema }[]) yield [p.schema, `${key} parameter ${p.name}`];
    const body = op.requestBody?.content as Record<string, { schema: JsonSchema }> | undefined;
    for (const [type, media] of Object.entries(body ?? {})) yield [media.schema, `${key} body (${type})`];
    for (const [status, r] of Object.entries(op.responses)) {
      const content = (r as { content?: Record<string, { schema: JsonSchema }> }).content;
      for (const [type, media] of Object.entries(content ?? {})) yield [media.schema, `${key} ${status} (${type})`];
    }
  }
}

function validate(schema: JsonSchema, value: unknown): string[] {
  const v = checker.validator(schema);
  return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message}`);
}

describe("the OpenAPI document", () => {
  it("passes Redocly's recommended rules, and its stricter ones on descriptions and examples, with no error", async () => {
    const config = await createConfig({
      extends: ["recommended"],
      rules: {
        "operation-description": "error",
        "parameter-description": "error",
        "tag-description": "error",
        "operation-tag-defined": "error",
        "no-invalid-media-type-examples": "error",
        "no-invalid-parameter-examples": "error",
        "no-invalid-schema-examples": "error",
        "no-unresolved-refs": "error",
        "operation-4xx-response": "error",
        "operation-2xx-response": "error",
      },
    });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: "/openapi.json", config });
    const line = (p: (typeof problems)[number]) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? "?"}`;
    const warnings = problems.filter((p) => p.severity === "warn");
    if (warnings.length) console.log(`OpenAPI lint: ${warnings.length} warning(s)\n${warnings.map(line).join("\n")}`);
    expect(problems.filter((p) => p.severity === "error").map(line)).toEqual([]);
  });

  it("is OpenAPI 3.1 with the API's version, the given server, the bearer scheme and every operation of the contract", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(API_VERSION).toBe(pkg.version);
    expect(doc.servers).toEqual([{ url: "https://tessera.example.org", description: expect.any(String) }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    const ids = [...eachOperation()].map(([, op]) => op.operationId).sort();
    expect(ids).toEqual(operations.map((o) => o.id).sort());
    for (const o of operations) {
      const op = doc.paths[o.path]![o.method.toLowerCase()]!;
      expect(op["x-tessera-permission"], o.id).toBe(o.permission);
      expect(op.security, o.id).toEqual(o.auth === "none" ? [] : [{ bearerAuth: [] }]);
      expect(op.responses[String(o.status)], o.id).toBeDefined();
      if (o.auth === "workload-credential") expect(op.description, o.id).toContain("workload credential");
    }
  });

  it("shares the error envelope: one Error component, a shared response per code with Retry-After and Allow where they apply", () => {
    expect(Object.keys(doc.components.schemas)).toContain("Error");
    for (const [key, op] of eachOperation()) {
      for (const [status, r] of Object.entries(op.responses)) {
        if (Number(status) >= 400) expect((r as { $ref?: string }).$ref, `${key} ${status}`).toMatch(/^#\/components\/responses\/\w+$/);
      }
    }
    const headers = (name: string) => Object.keys((doc.components.responses[name]!.headers ?? {}) as object);
    expect(headers("RateLimited")).toContain("Retry-After");
    expect(headers("ServiceUnavailable")).toContain("Retry-After");
    expect(headers("MethodNotAllowed")).toContain("Allow");
    expect(headers("NotFound")).not.toContain("Retry-After");
    // The component is the envelope the server sends (errors.ts), converted.
    expect(validate({ $ref: "#/components/schemas/Error" }, errorEnvelopeSchema.parse({ error: { code: "NOT_FOUND", message: "x" } }))).toEqual([]);
    expect(validate({ $ref: "#/components/schemas/Error" }, { error: { code: "NOPE", message: "x" } })).not.toEqual([]);
  });

  it("describes every operation, parameter, request body, response and field", () => {
    const missing: string[] = [];
    for (const [key, op] of eachOperation()) {
      if (!op.summary?.trim()) missing.push(`${key}: summary`);
      if (!op.description?.trim()) missing.push(`${key}: description`);
      for (const p of (op.parameters ?? []) as { name: string; description?: string }[]) if (!p.description?.trim()) missing.push(`${key}: parameter ${p.name}`);
      if (op.requestBody && !(op.requestBody.description as string | undefined)?.trim()) missing.push(`${key}: request body`);
      for (const [status, r] of Object.entries(op.responses)) {
        const resolved = checker.response(op, Number(status));
        if (!(resolved?.description as string | undefined)?.trim()) missing.push(`${key}: response ${status}`);
        void r;
      }
    }
    const seen = new Set<string>();
    for (const [root, rootWhere] of everySchema()) {
      for (const [node, where] of schemaNodes(root, rootWhere)) {
        for (const [name, prop] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) {
          const at = `${where}.${name}`;
          if (!describedAt(prop) && !seen.has(at)) {
            seen.add(at);
            missing.push(`field ${at}`);
          }
        }
      }
    }
    expect(missing, "add a description (.meta({ description }) on the zod schema)").toEqual([]);
  });

  it("has an example for every request body and success response, and each validates against its own schema", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [key, op] of eachOperation()) {
      const body = op.requestBody?.content as Record<string, { schema: JsonSchema; example?: unknown }> | undefined;
      for (const [type, media] of Object.entries(body ?? {})) {
        if (media.example === undefined) problems.push(`${key}: no example for the request body (${type})`);
        else for (const e of validate(media.schema, media.example)) problems.push(`${key} request body example: ${e}`);
        checked++;
      }
      for (const [status, r] of Object.entries(op.responses)) {
        const content = (checker.response(op, Number(status))?.content ?? {}) as Record<string, { schema: JsonSchema; example?: unknown }>;
        for (const [type, media] of Object.entries(content)) {
          if (media.example === undefined) problems.push(`${key}: no example for ${status} (${type})`);
          else for (const e of validate(media.schema, media.example)) problems.push(`${key} ${status} example (${type}): ${e}`);
          checked++;
        }
        void r;
      }
      for (const p of (op.parameters ?? []) as { name: string; in: string; schema: JsonSchema; example?: unknown }[]) {
        if (p.in === "path" && p.example === undefined) problems.push(`${key}: no example for the path parameter ${p.name}`);
        if (p.example !== undefined) for (const e of validate(p.schema, p.example)) problems.push(`${key} parameter ${p.name} example: ${e}`);
      }
    }
    expect(checked).toBeGreaterThan(operations.length);
    expect(problems).toEqual([]);
  });

  it("finds each operation by method and path template, the more literal template first", () => {
    for (const o of operations) {
      const concrete = o.path.replace(/\{(\w+)\}/g, (_, name: string) => (o.examples.params?.[name] ?? "c".repeat(25)));
      expect(checker.route(concrete)?.methods.get(o.method)?.operationId, o.id).toBe(o.id);
    }
    expect(checker.route("/api/v1/nowhere")).toBeUndefined();
  });

  it("reports a body that does not match, without its values", () => {
    const secret = "tsr_secret_value_that_must_not_show";
    const found = checker.problems("GET", "/api/v1/openapi.json", 200, "application/json", JSON.stringify({ openapi: 3, token: secret }), new Headers());
    expect(found.problems.length).toBeGreaterThan(0);
    expect(JSON.stringify(found)).not.toContain(secret);
    const wrongCode = checker.problems("GET", "/api/v1/openapi.json", 400, "application/json", JSON.stringify({ error: { code: "NOT_FOUND", message: "x" } }), new Headers());
    expect(wrongCode.problems).toEqual(["the error code NOT_FOUND means 404, but the status is 400"]);
    const unlisted = checker.problems("GET", "/api/v1/openapi.json", 403, "application/json", JSON.stringify({ error: { code: "FORBIDDEN", message: "x" } }), new Headers());
    expect(unlisted.problems[0]).toMatch(/^status 403 is not in the document/);
  });
});

describe("GET /api/v1/openapi.json", () => {
  it("answers the document, as JSON, with this server's public URL, without credentials", async () => {
    process.env.TESSERA_PUBLIC_URL = "https://tessera.example.net";
    resetConfig();
    const res = await GET(new Request("http://localhost/api/v1/openapi.json"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json\b/);
    const body = (await res.json()) as typeof doc;
    expect(body).toEqual(JSON.parse(JSON.stringify(openApiDocument({ serverUrl: publicBaseUrl(), version: API_VERSION }))));
    expect(body.servers[0]!.url).toBe("https://tessera.example.net");
    // Built once per process: the same document again.
    const again = await GET(new Request("http://localhost/api/v1/openapi.json"));
    expect(await again.json()).toEqual(body);
  });
});

describe("the check of real responses (tests/setup/per-file.ts)", () => {
  it("sees every fetch of an /api/v1 URL and records what does not match the document, without values", async () => {
    const secret = "tsr_usr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    // A server that answers what Tessera must not: a workspace list with a wrong field, an
    // error envelope whose code does not match its status, a status no operation lists.
    const server = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.url === "/api/v1/workspaces") return res.end(JSON.stringify({ data: [{ id: 7, name: secret }] }));
      if (req.url === "/api/v1/nowhere") {
        res.statusCode = 404;
        return res.end(JSON.stringify({ error: { code: "NOT_FOUND", message: "No such API endpoint" } }));
      }
      res.statusCode = 418;
      res.end(JSON.stringify({ error: { code: "CONFLICT", message: secret } }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const before = (await mismatches()).length;
    try {
      await fetch(`${base}/api/v1/workspaces`);
      await fetch(`${base}/api/v1/nowhere`);
      await fetch(new Request(`${base}/api/v1/workspaces/${"c".repeat(25)}`, { method: "PATCH", body: "{}" }));
      await fetch(`${base}/not-the-api`);
      const found = (await mismatches()).slice(before);
      const text = JSON.stringify(found);
      expect(text).not.toContain(secret);
      expect(found.filter((m) => m.method === "GET" && m.path === "/api/v1/workspaces" && m.status === 200).map((m) => m.problem)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^\/data\/0\/id must be string/)]),
      );
      expect(found.some((m) => m.path === "/api/v1/nowhere")).toBe(false);
      expect(found.filter((m) => m.method === "PATCH").map((m) => m.problem)).toEqual([expect.stringMatching(/^status 418 is not in the document/)]);
      expect(found.some((m) => m.path === "/not-the-api")).toBe(false);
    } finally {
      clearMismatches(before);
      await new Promise((r) => server.close(r));
    }
  });
});
