// The methods each route handler serves, read from the build itself: the route table of
// .next/routes-manifest.json, and the methods a route module exports (the module Next.js loads).
// So the `Allow` header of a 405 is derived from the code and cannot drift from it. Next.js
// computes its OPTIONS answer the same way (HEAD with GET, OPTIONS always).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { SERVED_METHODS } from "../http/policy.mjs";

const require = createRequire(import.meta.url);

/** @param {Record<string, unknown>} userland the route module's exports */
function allowFrom(userland) {
  const methods = new Set(SERVED_METHODS.filter((m) => typeof userland[m] === "function"));
  if (methods.has("GET")) methods.add("HEAD");
  methods.add("OPTIONS");
  return [...methods].sort().join(", ");
}

/**
 * @param {string} distDir the build folder (.next)
 * @returns {{
 *   loaded: (pathname: string) => string | null | undefined,
 *   load: (pathname: string) => Promise<string | null>,
 * }} the Allow value of the route handler serving a path (null when no route handler serves it:
 *   a page, or no route): `loaded` answers synchronously once Next.js has loaded the route module
 *   (undefined before), `load` loads it if needed
 */
export function routeMethods(distDir) {
  const json = (/** @type {string} */ f) => JSON.parse(readFileSync(path.join(distDir, f), "utf8"));
  const manifest = json("routes-manifest.json");
  /** @type {Record<string, string>} entry ("/api/x/route") → page ("/api/x") */
  const pageOf = json("app-path-routes-manifest.json");
  /** @type {Record<string, string>} entry → compiled file under server/ */
  const fileOf = json("server/app-paths-manifest.json");
  /** @type {Map<string, string>} page → compiled route module */
  const routeFiles = new Map();
  for (const [entry, page] of Object.entries(pageOf)) {
    if (entry.endsWith("/route") && fileOf[entry]) routeFiles.set(page, path.resolve(distDir, "server", fileOf[entry]));
  }
  // Next.js's own order: static routes first, then dynamic ones as listed (most specific first).
  /** @type {{ file: string, regex: RegExp }[]} */
  const routes = [...(manifest.staticRoutes ?? []), ...(manifest.dynamicRoutes ?? [])]
    .filter((r) => routeFiles.has(r.page))
    .map((r) => ({ file: /** @type {string} */ (routeFiles.get(r.page)), regex: new RegExp(r.regex) }));
  /** @type {Map<string, string | null>} */
  const known = new Map();

  /** The route module Next.js loads (require's cache: the same instance), or null. */
  const moduleOf = (/** @type {string} */ file) => {
    try {
      return require(file).routeModule ?? null;
    } catch {
      return null; // an unexpected build layout: no Allow rather than a failure
    }
  };

  /** @param {string} pathname @returns {string | null | undefined} */
  function loaded(pathname) {
    const route = routes.find((r) => r.regex.test(pathname));
    if (!route) return null;
    if (known.has(route.file)) return known.get(route.file);
    let allow = null;
    try {
      allow = allowFrom(moduleOf(route.file)?.userland); // throws while the module is still loading
    } catch {
      return undefined;
    }
    known.set(route.file, allow);
    return allow;
  }

  /** @param {string} pathname */
  async function load(pathname) {
    const now = loaded(pathname);
    if (now !== undefined) return now;
    const route = /** @type {{ file: string }} */ (routes.find((r) => r.regex.test(pathname)));
    await moduleOf(route.file)?.ensureUserland?.().catch(() => {});
    return loaded(pathname) ?? null;
  }

  return { loaded, load };
}

/**
 * The server-action ids of the build (.next/server/server-reference-manifest.json), so that a call
 * of anything else is refused before Next.js (which would log a stack trace for it).
 * @param {string} distDir the build folder (.next)
 * @returns {Set<string>}
 */
export function serverActionIds(distDir) {
  const manifest = JSON.parse(readFileSync(path.join(distDir, "server", "server-reference-manifest.json"), "utf8"));
  return new Set([...Object.keys(manifest.node ?? {}), ...Object.keys(manifest.edge ?? {})]);
}
