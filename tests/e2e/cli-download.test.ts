// The server hands out the CLI (issue 14), as Vault and Concourse do: GET /cli/tessera.mjs and
// /cli/tessera-<version>.mjs serve the built bundle's bytes (public, ETag, version header), .sha256
// their checksum; any other name is a 404 with the error envelope.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCliIfStale, CLI_BUNDLE } from "@/lib/cli/build";
import { CLI_VERSION } from "@/lib/cli/version";
import { startFileServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let bytes: Buffer;

beforeAll(async () => {
  await buildCliIfStale();
  bytes = readFileSync(CLI_BUNDLE);
  server = await startFileServer("cli-download");
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

async function expectNotFound(res: Response, message: RegExp) {
  expect(res.status).toBe(404);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
  expect(body.error.code).toBe("NOT_FOUND");
  expect(body.error.message).toMatch(message);
  expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
}

describe("GET /cli/…", () => {
  it("serves the bundle's bytes, publicly, as JavaScript with its version and an ETag", async () => {
    const res = await get("/cli/tessera.mjs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("x-tessera-cli-version")).toBe(CLI_VERSION);
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("serves the same file under its version, and 404 for another version", async () => {
    const res = await get(`/cli/tessera-${CLI_VERSION}.mjs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-tessera-cli-version")).toBe(CLI_VERSION);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    await expectNotFound(await get("/cli/tessera-0.0.0-old.mjs"), new RegExp(`has version ${CLI_VERSION.replaceAll(".", "\\.")} of the CLI, not 0\\.0\\.0-old`));
  });

  it("answers a matching If-None-Match with 304 and no body; a stale one gets the file", async () => {
    const etag = (await get("/cli/tessera.mjs")).headers.get("etag")!;
    const cached = await get("/cli/tessera.mjs", { "if-none-match": etag });
    expect(cached.status).toBe(304);
    expect(cached.headers.get("etag")).toBe(etag);
    expect(await cached.text()).toBe("");
    expect((await get("/cli/tessera.mjs", { "if-none-match": `W/${etag}, "other"` })).status).toBe(304);
    const stale = await get("/cli/tessera.mjs", { "if-none-match": '"0123456789abcdef0123456789abcdef"' });
    expect(stale.status).toBe(200);
    expect(Buffer.from(await stale.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("serves the SHA-256 as sha256sum prints it", async () => {
    const sum = createHash("sha256").update(bytes).digest("hex");
    const res = await get("/cli/tessera.mjs.sha256");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await res.text()).toBe(`${sum}  tessera.mjs\n`);
    expect(await (await get(`/cli/tessera-${CLI_VERSION}.mjs.sha256`)).text()).toBe(`${sum}  tessera-${CLI_VERSION}.mjs\n`);
  });

  it("answers HEAD with the headers only", async () => {
    const res = await fetch(`${server.url}/cli/tessera.mjs`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-tessera-cli-version")).toBe(CLI_VERSION);
    expect(await res.text()).toBe("");
  });

  it("answers any other name with the 404 envelope", async () => {
    for (const name of ["tessera.js", "tessera", "other.mjs", "tessera.mjs.md5", "..%2Fpackage.json", "tessera-.mjs"]) {
      await expectNotFound(await get(`/cli/${name}`), /the CLI is \/cli\/tessera\.mjs|not found/i);
    }
  });
});
