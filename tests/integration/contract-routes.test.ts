// The route tree and the contract agree (issue 13): every /api/v1 route handler is bound to a
// contract entry with the same path and method, and every contract entry has exactly one handler.
// Also: every schema in the contract converts to JSON Schema (dates as ISO strings).
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { api, operations as declared } from "@/lib/contract";
import { METHODS, type Operation } from "@/lib/contract/define";
import { OPERATION, type BoundHandler } from "@/lib/http/route";

const routeModules = import.meta.glob<Record<string, unknown>>("../../app/api/v1/**/route.ts", { eager: true });

/** Folder path → contract path: `[workspaceId]` → `{workspaceId}`; the catch-all is not an operation. */
const toContractPath = (file: string) =>
  file
    .replace("../../app", "")
    .replace(/\/route\.ts$/, "")
    .replace(/\[(\w+)\]/g, "{$1}");

const operations: readonly Operation[] = declared;
const CATCH_ALL = "/api/v1/{...path}";

describe("the route tree and the contract", () => {
  const bound = new Map<string, string>(); // "METHOD path" → operation id
  for (const [file, mod] of Object.entries(routeModules)) {
    const path = toContractPath(file);
    if (path === CATCH_ALL.replace("{...path}", "[...path]")) continue;
    for (const m of METHODS) {
      const h = mod[m] as BoundHandler | undefined;
      if (typeof h === "function") bound.set(`${m} ${path}`, h[OPERATION]?.id ?? "(not bound to the contract)");
    }
  }

  it("binds every route handler to the contract entry of its own path and method", () => {
    expect(bound.size).toBeGreaterThan(0);
    for (const [key, id] of bound) {
      const op = operations.find((o) => o.id === id);
      expect(op, `${key} is not bound to a contract entry (use bind(api["…"], …))`).toBeDefined();
      expect(`${op!.method} ${op!.path}`, `${key} is bound to ${id}`).toBe(key);
    }
  });

  it("has a route handler for every contract entry", () => {
    const served = new Set(bound.keys());
    const missing = operations.filter((o) => !served.has(`${o.method} ${o.path}`)).map((o) => o.id);
    expect(missing, "contract entries without a route handler").toEqual([]);
  });

  it("declares each operation once, with a unique id, path and method", () => {
    expect(new Set(operations.map((o) => o.id)).size).toBe(operations.length);
    expect(new Set(operations.map((o) => `${o.method} ${o.path}`)).size).toBe(operations.length);
    expect(Object.keys(api).length).toBe(operations.length);
  });

  it("names every path parameter in the path schema, and nothing else", () => {
    for (const op of operations) {
      const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = Object.keys(op.params?.shape ?? {}).sort();
      expect(declared, op.id).toEqual(inPath);
    }
  });

  it("converts every schema to JSON Schema (no date or transform left unrepresentable)", () => {
    for (const op of operations) {
      for (const [part, schema] of Object.entries({ params: op.params, query: op.query, body: op.body, output: op.output })) {
        if (!schema) continue;
        expect(() => z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }), `${op.id} ${part}`).not.toThrow();
      }
    }
  });

  it("sends dates as ISO 8601 strings (format: date-time)", () => {
    const json = JSON.stringify(z.toJSONSchema(api["workspaces.get"].output, { io: "input" }));
    expect(json).toContain('"format":"date-time"');
  });
});
