// The SDK without a server: Retry-After and backoff, every contract entry mounted and called with
// its own examples through a fake fetch (method, path, query, body, decoded output), errors, the
// retry rules, deadline and cancellation, pagination, downloads, and an import graph that a
// browser can load (no node: modules). The same client against the real server: tests/e2e/sdk.test.ts.
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { operations } from "@/lib/contract";
import type { Operation } from "@/lib/contract/define";
import { backoffDelay, parseRetryAfter, Tessera, TesseraDownload, TesseraError, type RetryEvent } from "@/lib/sdk";

const ROOT = path.resolve(import.meta.dirname, "../..");
const WS = "cmx57cgzg0000k2ws7a1b2c3d";
const TOKEN = "tsr_usr_unit-test-token-value-0123456789";

type Call = { url: URL; method: string; headers: Headers; body: string | undefined };

/** A fetch that records each call and answers from `answer` (or throws what it throws). */
function fakeFetch(answer: (call: Call, n: number) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: new URL(String(input)), method: init?.method ?? "GET", headers: new Headers(init?.headers), body: init?.body as string | undefined };
    calls.push(call);
    if (init?.signal?.aborted) throw init.signal.reason;
    return answer(call, calls.length);
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const envelope = (status: number, code: string, message = code, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message, requestId: `req-${status}` } }, headers);

function client(answer: Parameters<typeof fakeFetch>[0], extra: Partial<ConstructorParameters<typeof Tessera>[0]> = {}) {
  const f = fakeFetch(answer);
  const events: RetryEvent[] = [];
  const c = new Tessera({ baseUrl: "https://tessera.example.com/", token: TOKEN, fetch: f.fetch, retryBaseDelayMs: 1, onRetry: (e) => events.push(e), ...extra });
  return { c, calls: f.calls, events };
}

const fail = (p: Promise<unknown>) => p.then(
  () => {
    throw new Error("expected a rejection");
  },
  (e: unknown) => e as TesseraError,
);

describe("Retry-After and backoff", () => {
  const now = Date.parse("2026-11-24T10:00:00Z");
  it("reads seconds and HTTP dates; anything else is undefined", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Tue, 24 Nov 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Tue, 24 Nov 2026 09:00:00 GMT", now)).toBe(0);
    for (const bad of [null, undefined, "", "1.5", "-1", "soon", "2026-11-24T10:00:30Z", "1e3"]) expect(parseRetryAfter(bad, now)).toBeUndefined();
  });

  it("doubles from the base, with jitter in the upper half, up to the cap", () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, opts, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, opts, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(3, opts);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });
});

describe("every contract entry", () => {
  const ops = operations as readonly Operation[];
  const shape = (s: unknown) => Object.keys((s as { shape?: object } | undefined)?.shape ?? {});
  /** An object schema's field names, and those of each member of a union of objects. */
  type JsonSchema = { properties?: Record<string, unknown>; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[] };
  const topLevelKeys = (js: JsonSchema): string[] => [
    ...Object.keys(js.properties ?? {}),
    ...[...(js.anyOf ?? []), ...(js.oneOf ?? []), ...(js.allOf ?? [])].flatMap(topLevelKeys),
  ];

  it("is a method of its namespace, and no namespace takes a name of the client's own", () => {
    const { c } = client(() => json(200, {}));
    for (const op of ops) {
      const fn = op.id.split(".").reduce<unknown>((node, name) => (node as Record<string, unknown>)[name], c);
      expect(typeof fn, op.id).toBe("function");
      expect(["request", "paginate", "pages", "baseUrl"]).not.toContain(op.id.split(".")[0]);
    }
  });

  it("keeps path parameter names apart from body and query fields (the flat input's convention)", () => {
    for (const op of ops) {
      const params = shape(op.params);
      const fields = [op.body, op.query].flatMap((s) => (s ? topLevelKeys(z.toJSONSchema(s, { io: "input", unrepresentable: "any" })) : []));
      for (const p of params) expect(fields, `${op.id}: ${p}`).not.toContain(p);
    }
  });

  it.each(ops.map((op) => [op.id, op] as const))("%s: sends its example and decodes its example answer", async (_id, op) => {
    const answer = op.stream
      ? () => new Response(String(op.examples.response), { headers: { "content-type": op.stream!.contentTypes[0]! } })
      : () => json(op.status, op.examples.response);
    const { c, calls } = client(answer);
    const flat = { ...op.examples.params, ...op.examples.query, ...(op.examples.body as object | undefined) };
    const method = op.id.split(".").reduce<unknown>((node, name) => (node as Record<string, unknown>)[name], c) as (i: object) => Promise<unknown>;
    const result = await method(flat);

    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.method).toBe(op.method);
    const expectedPath = op.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(op.examples.params![k]!));
    expect(call.url.pathname).toBe(expectedPath);
    expect(Object.fromEntries(call.url.searchParams)).toEqual(op.examples.query ?? {});
    if (op.examples.body !== undefined) {
      expect(JSON.parse(call.body!)).toEqual(op.examples.body);
      expect(call.headers.get("content-type")).toBe("application/json");
    } else if (!op.body || op.body.safeParse(undefined).success) expect(call.body).toBeUndefined();
    expect(call.headers.get("authorization")).toBe(op.auth === "none" ? null : `Bearer ${TOKEN}`);

    if (op.stream) {
      expect(result).toBeInstanceOf(TesseraDownload);
      expect(await (result as TesseraDownload).text()).toBe(op.examples.response);
    } else {
      // Decoded by the entry's output schema: the example's ISO strings are Dates now.
      expect(result).toEqual(op.output.parse(op.examples.response));
      expect(JSON.parse(JSON.stringify(result))).toEqual(JSON.parse(JSON.stringify(op.examples.response)));
    }

    // The same through request(), params, query and body apart.
    const again = client(answer);
    await again.c.request(op.id as never, { params: op.examples.params, query: op.examples.query, body: op.examples.body } as never);
    expect(again.calls[0]!.url.href).toBe(call.url.href);
    expect(again.calls[0]!.body).toBe(call.body);
  });
});

describe("the client", () => {
  it("is typed from the contract", () => {
    const { c } = client(() => json(200, {}));
    expectTypeOf(c.tokens.create).parameter(0).toHaveProperty("workspaceId").toEqualTypeOf<string>();
    expectTypeOf<Awaited<ReturnType<typeof c.tokens.create>>["expiresAt"]>().toEqualTypeOf<Date>();
    expectTypeOf<Awaited<ReturnType<typeof c.audit.export>>>().toEqualTypeOf<TesseraDownload>();
    expectTypeOf(c.request<"workspaces.get">).parameter(1).toMatchTypeOf<{ params: { workspaceId: string } }>();
    // @ts-expect-error the path parameter is required
    void (() => c.tokens.get({ tokenId: "x" }));
    // @ts-expect-error not a paginated operation
    void (() => c.paginate("tokens.list", { params: { workspaceId: WS } }));
  });

  it("refuses a path parameter of \".\" or \"..\" before any request (URL parsing would climb the path: secretId \"..\" would PATCH the workspace)", async () => {
    const { c, calls } = client(() => json(200, {}));
    for (const bad of ["..", "."]) {
      await expect(c.secrets.update({ workspaceId: WS, secretId: bad, name: "renamed" })).rejects.toThrow(/not a valid secretId/);
      await expect(c.request("workspaces.get", { params: { workspaceId: bad } })).rejects.toThrow(/not a valid workspaceId/);
    }
    expect(calls).toHaveLength(0);
    // Other odd values are percent-encoded and stay one segment.
    await c.request("workspaces.get", { params: { workspaceId: "a/../b%2e%2e" } }).catch(() => undefined);
    expect(calls[0]!.url.pathname).toBe("/api/v1/workspaces/a%2F..%2Fb%252e%252e");
  });

  it("turns an error envelope into a TesseraError, and a foreign answer into BAD_RESPONSE", async () => {
    const { c } = client(() =>
      json(422, { error: { code: "VALIDATION_FAILED", message: "name: must not be empty", requestId: "r-1", details: [{ path: "name", message: "must not be empty" }] } }),
    );
    const e = await fail(c.tokens.create({ workspaceId: WS, name: "" }));
    expect(e).toBeInstanceOf(TesseraError);
    expect(e).toMatchObject({ status: 422, code: "VALIDATION_FAILED", requestId: "r-1", operationId: "tokens.create", details: [{ path: "name", message: "must not be empty" }] });

    const proxyPage = client(() => new Response("<html>Bad gateway</html>", { status: 502, headers: { "x-request-id": "r-2" } }));
    expect(await fail(proxyPage.c.workspaces.list())).toMatchObject({ status: 502, code: "BAD_RESPONSE", requestId: "r-2" });
    const notJson = client(() => new Response("ok", { status: 200 }));
    expect(await fail(notJson.c.workspaces.list())).toMatchObject({ status: 200, code: "BAD_RESPONSE" });
    const wrongShape = client(() => json(200, { data: [{ id: 1 }] }));
    expect(await fail(wrongShape.c.workspaces.list())).toMatchObject({ code: "BAD_RESPONSE", message: expect.stringMatching(/does not match the contract/) });
  });

  it("never follows a redirect: a 307 would send the body (a secret's value) to another host; it is BAD_RESPONSE, not retried", async () => {
    const inits: RequestInit[] = [];
    const redirecting = (async (_input: RequestInfo | URL, init?: RequestInit) => {
      inits.push(init ?? {});
      return new Response(null, { status: 307, headers: { location: "https://evil.example.net/collect?x=1", "x-request-id": "r-307" } });
    }) as typeof fetch;
    const c = new Tessera({ baseUrl: "https://tessera.example.com", token: TOKEN, fetch: redirecting, retryBaseDelayMs: 1 });
    const e = await fail(c.secrets.create({ workspaceId: WS, name: "DB_PASSWORD", value: "s3cret-value" }));
    expect(e).toBeInstanceOf(TesseraError);
    expect(e).toMatchObject({ status: 307, code: "BAD_RESPONSE", requestId: "r-307", operationId: "secrets.create" });
    expect(e.message).toBe("secrets.create: Tessera answered a redirect to https://evil.example.net/collect (not followed): set the server's address to the final one");
    expect(inits).toHaveLength(1);
    expect(inits[0]!.redirect).toBe("manual");
    // Every method, GETs and downloads too; a relative Location is shown resolved.
    const moved = client(() => new Response(null, { status: 301, headers: { location: "/tessera/api/v1/workspaces" } }));
    expect(await fail(moved.c.workspaces.list())).toMatchObject({ status: 301, code: "BAD_RESPONSE", message: expect.stringContaining("redirect to https://tessera.example.com/tessera/api/v1/workspaces") });
    expect(moved.calls).toHaveLength(1);
    // A browser's fetch shows a manual redirect as an opaque answer (status 0, no Location).
    const opaque = client(() => Object.defineProperty(new Response(null, { status: 200 }), "type", { value: "opaqueredirect" }));
    expect(await fail(opaque.c.workspaces.list())).toMatchObject({ code: "BAD_RESPONSE", message: expect.stringContaining("redirect to another address") });
  });

  it("never shows the token: not in a message, even one that echoes it, nor when the client is inspected", async () => {
    const { c } = client(() => envelope(401, "UNAUTHORIZED", `unknown token ${TOKEN}`));
    const e = await fail(c.workspaces.list());
    expect(e.message).toBe("unknown token [redacted]");
    const { inspect } = await import("node:util");
    expect(inspect(c, { depth: 5 })).not.toContain(TOKEN);
    expect(JSON.stringify(c)).not.toContain(TOKEN);
    const credential = "tsr_wlc_a-short-lived-credential-0123456789";
    const other = client(() => envelope(401, "UNAUTHORIZED", `bad ${credential}`));
    expect((await fail(other.c.workloads.resolveEnv({ workspaceId: WS, workloadId: WS }, { token: credential }))).message).toBe("bad [redacted]");
    expect(other.calls[0]!.headers.get("authorization")).toBe(`Bearer ${credential}`);
  });

  it("retries 429 and 503 (any method) as Retry-After says, up to `retries`", async () => {
    const r = client((_, n) => (n < 3 ? envelope(n === 1 ? 429 : 503, n === 1 ? "RATE_LIMITED" : "SERVICE_UNAVAILABLE", "later", { "retry-after": "0" }) : json(201, {})));
    await fail(r.c.tokens.create({ workspaceId: WS, name: "x" })); // the {} answer is not a token
    expect(r.calls).toHaveLength(3);
    expect(r.events.map((e) => [e.attempt, e.status, e.retryAfterMs, e.delayMs])).toEqual([
      [2, 429, 0, 0],
      [3, 503, 0, 0],
    ]);

    const none = client(() => envelope(429, "RATE_LIMITED", "later", { "retry-after": "0" }), { retries: 0 });
    expect(await fail(none.c.workspaces.list())).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 0 });
    expect(none.calls).toHaveLength(1);

    const perCall = client(() => envelope(503, "SERVICE_UNAVAILABLE"));
    expect(await fail(perCall.c.workspaces.list({}, { retries: 4 }))).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(perCall.calls).toHaveLength(5);
    expect(perCall.events.every((e) => e.retryAfterMs === undefined && e.delayMs >= 0)).toBe(true);

    const tooLong = client(() => envelope(429, "RATE_LIMITED", "later", { "retry-after": "31" }));
    expect(await fail(tooLong.c.workspaces.list())).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 31_000 });
    expect(tooLong.calls).toHaveLength(1);
    const pastDeadline = client(() => envelope(429, "RATE_LIMITED", "later", { "retry-after": "2" }), { timeoutMs: 1000 });
    expect(await fail(pastDeadline.c.workspaces.list())).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 2000 });
    expect(pastDeadline.calls).toHaveLength(1);

    for (const status of [400, 401, 403, 404, 409, 422, 500]) {
      const once = client(() => envelope(status, "X"));
      await fail(once.c.workspaces.list());
      expect(once.calls, String(status)).toHaveLength(1);
    }
  });

  it("retries a network failure for GET, PUT and DELETE, and for a POST only when nothing was sent", async () => {
    const broken = () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
    };
    const get = client(broken);
    expect(await fail(get.c.workspaces.list())).toMatchObject({ status: 0, code: "NETWORK" });
    expect(get.calls).toHaveLength(3);
    const del = client(broken);
    await fail(del.c.tokens.delete({ workspaceId: WS, tokenId: WS }));
    expect(del.calls).toHaveLength(3);
    for (const call of [
      (c: Tessera) => c.tokens.create({ workspaceId: WS, name: "x" }),
      (c: Tessera) => c.tokens.update({ workspaceId: WS, tokenId: WS, action: "cancel" }),
    ]) {
      const post = client(broken);
      expect(await fail(call(post.c))).toMatchObject({ code: "NETWORK", message: "Cannot reach Tessera at https://tessera.example.com (UND_ERR_SOCKET)" });
      expect(post.calls).toHaveLength(1);
      expect(post.events).toHaveLength(0);
    }
    const refused = client(() => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
    });
    await fail(refused.c.tokens.create({ workspaceId: WS, name: "x" }));
    expect(refused.calls).toHaveLength(3);
  });

  it("stops at the deadline (TIMEOUT) or the caller's signal (ABORTED), waits between retries included", async () => {
    // A fetch that honours its signal, as the real one does.
    const honouring = ((_: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)))) as typeof fetch;
    const c = new Tessera({ baseUrl: "https://tessera.example.com", token: TOKEN, fetch: honouring, timeoutMs: 20 });
    expect(await fail(c.workspaces.list())).toMatchObject({ status: 0, code: "TIMEOUT", operationId: "workspaces.list" });

    const controller = new AbortController();
    const pending = fail(new Tessera({ baseUrl: "https://tessera.example.com", fetch: honouring, timeoutMs: 0 }).workspaces.list({}, { signal: controller.signal }));
    controller.abort(new Error("stop"));
    const aborted = await pending;
    expect(aborted).toMatchObject({ status: 0, code: "ABORTED" });
    expect((aborted.cause as Error).message).toBe("stop");

    const before = client(() => json(200, { data: [] }));
    expect(await fail(before.c.workspaces.list({}, { signal: AbortSignal.abort() }))).toMatchObject({ code: "ABORTED" });
    expect(before.calls).toHaveLength(0);

    const waiting = new AbortController();
    const r = client(() => envelope(503, "SERVICE_UNAVAILABLE", "later", { "retry-after": "25" }), { onRetry: () => waiting.abort() });
    expect(await fail(r.c.workspaces.list({}, { signal: waiting.signal }))).toMatchObject({ code: "ABORTED" });
    expect(r.calls).toHaveLength(1);
  });

  it("builds URLs: a kept path prefix, encoded parameters, query values (dates as ISO), a missing parameter refused", async () => {
    const f = fakeFetch(() => json(200, { data: [], nextCursor: null }));
    const c = new Tessera({ baseUrl: "https://example.com/tessera/", token: TOKEN, fetch: f.fetch });
    await c.audit.list({ workspaceId: "a/b", action: "member.", limit: 5, from: new Date("2026-01-02T03:04:05Z") as unknown as string, actor: undefined });
    expect(f.calls[0]!.url.href).toBe("https://example.com/tessera/api/v1/workspaces/a%2Fb/audit?action=member.&limit=5&from=2026-01-02T03%3A04%3A05.000Z");
    expect(f.calls[0]!.headers.get("user-agent")).toMatch(/^tessera-sdk\//);
    await expect(c.request("workspaces.get", { params: { workspaceId: "" } })).rejects.toThrow(TypeError);
    await expect((c.workspaces.list as (i: object) => Promise<unknown>)({ bogus: 1 })).rejects.toThrow(/takes no input named "bogus"/);
    expect(() => new Tessera({ baseUrl: "tessera.example.com" })).toThrow(/absolute/);
  });

  it("paginates by nextCursor, item by item or page by page, and stops on a repeated cursor", async () => {
    const pages: Record<string, { data: { id: string }[]; nextCursor: string | null }> = {
      "": { data: [{ id: "e1" }, { id: "e2" }], nextCursor: "c2" },
      c2: { data: [{ id: "e3" }, { id: "e4" }], nextCursor: "c3" },
      c3: { data: [{ id: "e5" }], nextCursor: null },
    };
    const event = (id: string) => ({ id, workspaceId: WS, createdAt: "2026-11-24T10:00:00.000Z", actorType: "user", actorId: null, actorLabel: null, action: "x", targetType: null, targetId: null, result: "success", ip: null, userAgent: null, requestId: null, metadata: null });
    const { c, calls } = client((call) => {
      const p = pages[call.url.searchParams.get("cursor") ?? ""]!;
      return json(200, { data: p.data.map((e) => event(e.id)), nextCursor: p.nextCursor });
    });
    const ids: string[] = [];
    for await (const e of c.paginate("audit.list", { params: { workspaceId: WS }, query: { limit: 2, action: "x" } })) {
      expectTypeOf(e.createdAt).toEqualTypeOf<Date>();
      expect(e.createdAt).toBeInstanceOf(Date);
      ids.push(e.id);
    }
    expect(ids).toEqual(["e1", "e2", "e3", "e4", "e5"]);
    expect(calls.map((x) => x.url.search)).toEqual(["?limit=2&action=x", "?limit=2&action=x&cursor=c2", "?limit=2&action=x&cursor=c3"]);

    // Breaking out stops fetching.
    calls.length = 0;
    for await (const e of c.paginate("audit.list", { params: { workspaceId: WS } })) if (e.id === "e2") break;
    expect(calls).toHaveLength(1);

    const looping = client(() => json(200, { data: [event("e")], nextCursor: "same" }));
    let n = 0;
    await expect(
      (async () => {
        for await (const page of looping.c.pages("audit.list", { params: { workspaceId: WS } })) n += page.data.length;
      })(),
    ).rejects.toMatchObject({ code: "BAD_RESPONSE" });
    expect(n).toBe(2);
  });

  it("streams a download as text chunks (a character split across chunks intact) and closes it when the reader stops", async () => {
    const bytes = new TextEncoder().encode("é🙂\nline two\n");
    let cancelled = false;
    const body = () =>
      new ReadableStream<Uint8Array>({
        start(ctrl) {
          for (let i = 0; i < bytes.length; i += 3) ctrl.enqueue(bytes.slice(i, i + 3));
          ctrl.close();
        },
      });
    const { c } = client(() => new Response(body(), { headers: { "content-type": "application/x-ndjson", "content-disposition": 'attachment; filename="audit-x.jsonl"' } }));
    const d = await c.audit.export({ workspaceId: WS });
    expect(d.filename).toBe("audit-x.jsonl");
    const chunks: string[] = [];
    for await (const chunk of d) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join("")).toBe("é🙂\nline two\n");

    const endless = client(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull(ctrl) {
              ctrl.enqueue(new TextEncoder().encode("x\n"));
            },
            cancel() {
              cancelled = true;
            },
          }),
        ),
    );
    for await (const chunk of await endless.c.audit.export({ workspaceId: WS })) if (chunk) break;
    expect(cancelled).toBe(true);
  });

  it("sends no credential to an operation that takes none", async () => {
    const { c, calls } = client(() => json(200, { valid: false, reason: "unknown" }));
    expect(await c.tokens.verify({ token: "tsr_wkl_x" })).toEqual({ valid: false, reason: "unknown" });
    expect(calls[0]!.headers.get("authorization")).toBeNull();
  });
});

describe("the SDK's import graph", () => {
  it("holds no Node module (it runs in a browser): only relative files and zod", () => {
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
      for (const { fileName: spec } of importedFiles) {
        if (!spec.startsWith(".") && !spec.startsWith("@/")) {
          external.add(spec);
          continue;
        }
        const base = spec.startsWith("@/") ? path.join(ROOT, spec.slice(2)) : path.resolve(path.dirname(file), spec);
        const resolved = [".ts", ".mjs", "/index.ts", ""].map((ext) => base + ext).find((f) => ts.sys.fileExists(f));
        expect(resolved, `${file} imports ${spec}`).toBeDefined();
        visit(resolved!);
      }
    };
    visit(path.join(ROOT, "lib/sdk/index.ts"));
    expect(seen.size).toBeGreaterThan(5);
    expect([...seen].map((f) => path.relative(ROOT, f)).filter((f) => !/^lib\/(sdk|contract|schemas|auth\/permissions|secrets\/(presets|loader-vars))/.test(f))).toEqual([]);
    expect([...external]).toEqual(["zod"]);
  });
});
