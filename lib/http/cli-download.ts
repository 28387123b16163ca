// The CLI download (GET /cli/<file>, app/cli/[file]/route.ts), as Vault and Concourse hand out
// their CLIs: the bundle that `npm install` / `npm start` built (clients/cli/tessera.mjs), read at
// run time and kept in memory until the file changes. Public: it holds no secret.
//   /cli/tessera.mjs                   the CLI this server has
//   /cli/tessera-<version>.mjs         the same, by version (404 for any other version)
//   /cli/<either>.sha256               its SHA-256, as `sha256sum` prints it
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { AppError } from "../errors";
import { log } from "../log";
import { CLI_BUNDLE_PATH, bundleVersion } from "../cli/bundle-info";
import { jsonError } from "./route";
import { requestMeta } from "./request-meta";

export type CliBundle = { bytes: Buffer; version: string; sha256: string; etag: string };

let cached: { key: string; bundle: CliBundle } | undefined;

/**
 * The built bundle (re-read when its size or modification time changes), or null when there is none.
 * The path is spelled out (it is CLI_BUNDLE_PATH) so that the build's file tracing sees one file,
 * not the whole project.
 */
export function readCliBundle(file = path.join(process.cwd(), "clients/cli/tessera.mjs")): CliBundle | null {
  let key: string;
  try {
    const st = statSync(file);
    key = `${file}:${st.size}:${st.mtimeMs}`;
  } catch {
    return null;
  }
  if (cached?.key === key) return cached.bundle;
  const bytes = readFileSync(file);
  const version = bundleVersion(bytes.subarray(0, 512).toString("utf8"));
  if (!version) return null;
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  cached = { key, bundle: { bytes, version, sha256, etag: `"${sha256.slice(0, 32)}"` } };
  return cached.bundle;
}

/** Whether an If-None-Match header names this ETag (or `*`); weak comparison, as RFC 9110 asks for GET. */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((t) => {
    const tag = t.trim();
    return tag === "*" || tag.replace(/^W\//, "") === etag;
  });
}

/** Answers GET (and HEAD) /cli/<name>. */
export function serveCliFile(req: Request, name: string): Response {
  const meta = requestMeta(req.headers);
  const notFound = (message: string) => jsonError(new AppError("NOT_FOUND", message), meta);
  const m = /^tessera(?:-([0-9A-Za-z.+-]+))?\.mjs(\.sha256)?$/.exec(name);
  if (!m) return notFound(`No file ${JSON.stringify(name.slice(0, 100))} here: the CLI is /cli/tessera.mjs`);
  const bundle = readCliBundle();
  if (!bundle) {
    log.warn({ file: CLI_BUNDLE_PATH }, "the CLI bundle is missing: run npm run build:cli");
    return jsonError(new AppError("SERVICE_UNAVAILABLE", "The CLI has not been built on this server (npm run build:cli)"), meta);
  }
  const [, version, checksum] = m;
  if (version !== undefined && version !== bundle.version) {
    return notFound(`This server has version ${bundle.version} of the CLI, not ${version}: /cli/tessera-${bundle.version}.mjs`);
  }
  const headers: Record<string, string> = {
    etag: checksum ? `"${bundle.sha256.slice(0, 32)}.sha256"` : bundle.etag,
    // Kept, but asked for again each time: the same version is rebuilt when its code changes.
    "cache-control": "no-cache",
    "x-tessera-cli-version": bundle.version,
    "x-request-id": meta.requestId,
  };
  if (matches(req.headers.get("if-none-match"), headers.etag!)) return new Response(null, { status: 304, headers });
  if (checksum) {
    headers["content-type"] = "text/plain; charset=utf-8";
    return new Response(`${bundle.sha256}  ${name.slice(0, -".sha256".length)}\n`, { headers });
  }
  headers["content-type"] = "text/javascript; charset=utf-8";
  headers["content-length"] = String(bundle.bytes.length);
  return new Response(new Uint8Array(bundle.bytes), { headers });
}
