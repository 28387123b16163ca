// `npm run build:cli`: bundles the CLI (lib/cli/main.ts, with commander, zod, the contract and the
// SDK) into one JavaScript file with no runtime dependencies, clients/cli/tessera.mjs, which needs
// only Node.js 20.19 or newer (20.19 runs an ES module file without the .mjs extension, as the
// install line saves it). `npm install` (postinstall), `npm start` and the test setup call
// buildCliIfStale(): it rebuilds only when an input changed (esbuild takes well under a second).
//   tsx lib/cli/build.ts              build
//   tsx lib/cli/build.ts --if-stale   build only when the sources changed since the last build
// The server hands the file out at /cli/tessera.mjs (app/cli/[file]/route.ts).
import { createHash } from "node:crypto";
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";
import { build, type Plugin } from "esbuild";
import { CLI_BUNDLE_PATH, versionComment } from "./bundle-info";
import { CLI_VERSION } from "./version";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const CLI_BUNDLE = path.join(ROOT, CLI_BUNDLE_PATH);
export const CLI_DIR = path.dirname(CLI_BUNDLE);
const ENTRY = path.join(ROOT, "lib/cli/main.ts");
/** The last build's inputs and their hash, and what the bundle imports from Node (gitignored). */
const STAMP = path.join(CLI_DIR, ".build-stamp.json");
const THIS_FILE = path.join(ROOT, "lib/cli/build.ts");
/** What the build reads besides the bundle's own inputs: this script and the banner's parts. */
const BUILD_FILES = [THIS_FILE, path.join(ROOT, "lib/cli/bundle-info.ts"), path.join(ROOT, "lib/cli/version.ts")];

// Commander is CommonJS: esbuild turns its require("node:…") calls into a helper that needs a
// `require` in scope, which an ES module does not have.
const BANNER = [
  "#!/usr/bin/env node",
  `${versionComment(CLI_VERSION)} Licenses of the bundled packages at the end.`,
  'import{createRequire as __tesseraRequire}from"node:module";const require=__tesseraRequire(import.meta.url);',
].join("\n");

/**
 * zod exports every locale (`z.locales`, 40-odd languages, 260 KB minified: half the bundle). Only
 * English is used (zod sets it by default), so the locales index resolves to English alone.
 */
const englishOnly: Plugin = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      return { path: path.join(path.dirname(args.importer), "../locales/en.js"), namespace: "zod-locales" };
    });
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
      loader: "js",
    }));
  },
};

/** The license texts of the bundled packages (MIT asks that they travel with copies), as one comment. */
function licenses(inputs: readonly string[]): string {
  const packages = new Set<string>();
  for (const input of inputs) {
    const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) packages.add(path.join(ROOT, input.slice(0, m.index + m[0].length - 1)));
  }
  const parts: string[] = [];
  for (const dir of [...packages].sort()) {
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string; version: string; license?: string };
    const file = ["LICENSE", "LICENSE.md", "LICENSE.txt", "license"].map((f) => path.join(dir, f)).find((f) => existsSync(f));
    const text = file ? readFileSync(file, "utf8").trim() : `License: ${pkg.license ?? "see the package"}`;
    parts.push(`${pkg.name} ${pkg.version}\n\n${text}`);
  }
  return `\n/*! Bundled packages and their licenses:\n\n${parts.join("\n\n---\n\n").replaceAll("*/", "* /")}\n*/\n`;
}

/** One hash over the build's inputs (paths and contents) and the build's own files. */
function hashInputs(inputs: readonly string[]): string | null {
  const hash = createHash("sha256");
  for (const f of [...inputs].sort()) {
    const full = path.join(ROOT, f);
    if (!existsSync(full)) return null;
    hash.update(f).update("\0").update(readFileSync(full)).update("\0");
  }
  for (const f of BUILD_FILES) hash.update(readFileSync(f));
  return hash.digest("hex");
}

/** Writes a file whole or not at all (a reader, or a second build, never sees half a file). */
function writeAtomic(file: string, data: string | Uint8Array, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

/** esbuild's first error as one line: `file:line: message`. */
function firstError(err: unknown): string {
  const first = (err as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors?.[0];
  if (!first) return err instanceof Error ? err.message : String(err);
  return `${first.location ? `${first.location.file}:${first.location.line}: ` : ""}${first.text}`;
}

export type CliBuild = { file: string; bytes: number; ms: number };

export async function buildCli(): Promise<CliBuild> {
  const started = performance.now();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    // Arrow functions written as `function`: minified, esbuild wraps each module in `fn(() => {…})`,
    // and the same bundle with `fn(function () {…})` loads 30-60 ms of CPU faster on the 2-core
    // test machine (V8 compiles those arrows up front; see npm run bench:cli).
    supported: { arrow: false },
    legalComments: "none",
    banner: { js: BANNER },
    plugins: [englishOnly],
    metafile: true,
    write: false,
    logLevel: "silent",
  }).catch((err: unknown) => {
    throw new Error(firstError(err), { cause: err });
  });
  const code = result.outputFiles.find((f) => f.path === CLI_BUNDLE);
  if (!code) throw new Error("esbuild wrote no bundle");
  // What the bundle still imports at run time (require() calls included): Node's own modules only.
  const externals = [...new Set(Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)))].sort();
  const foreign = externals.filter((p) => !isBuiltin(p));
  if (foreign.length) throw new Error(`the bundle would need ${foreign.join(", ")} at run time: only Node's own modules may stay outside it`);
  // Files on disk, relative to ROOT (the plugin's virtual module is "zod-locales:…").
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes(":"));
  const bundle = Buffer.concat([Buffer.from(code.contents), Buffer.from(licenses(inputs))]);
  writeAtomic(CLI_BUNDLE, bundle, 0o755);
  writeAtomic(STAMP, `${JSON.stringify({ hash: hashInputs(inputs), externals, inputs }, null, 1)}\n`, 0o644);
  return { file: CLI_BUNDLE, bytes: bundle.length, ms: Math.round(performance.now() - started) };
}

/** Whether the bundle exists and was built from the current sources. */
export function cliBundleIsCurrent(): boolean {
  if (!existsSync(CLI_BUNDLE) || !existsSync(STAMP)) return false;
  try {
    const stamp = JSON.parse(readFileSync(STAMP, "utf8")) as { hash: string; inputs: string[] };
    return hashInputs(stamp.inputs) === stamp.hash;
  } catch {
    return false;
  }
}

/** The modules the last build left outside the bundle (Node's own), from its stamp. */
export function cliBundleExternals(): string[] {
  return (JSON.parse(readFileSync(STAMP, "utf8")) as { externals: string[] }).externals;
}

export async function buildCliIfStale(): Promise<CliBuild | null> {
  return cliBundleIsCurrent() ? null : buildCli();
}

if (process.argv[1] && path.resolve(process.argv[1]) === THIS_FILE) {
  const onlyIfStale = process.argv.includes("--if-stale");
  (onlyIfStale ? buildCliIfStale() : buildCli()).then(
    (r) => {
      const where = path.relative(process.cwd(), CLI_BUNDLE) || CLI_BUNDLE;
      process.stdout.write(r ? `tessera: built ${where} (${Math.round(r.bytes / 1024)} KB) in ${r.ms} ms\n` : `tessera: ${where} is up to date\n`);
    },
    (err: unknown) => {
      process.stderr.write(`tessera: cannot build the CLI bundle: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
