// The standalone CLI (issue 14): clients/cli/tessera.mjs is one file that needs only Node. It
// imports nothing but Node's own modules, runs from an empty folder far from any node_modules, and
// `npm pack` of clients/cli gives a tarball that `npm install -g` installs offline as `tessera`.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCliIfStale, CLI_BUNDLE, CLI_DIR, cliBundleExternals } from "@/lib/cli/build";
import { bundleVersion } from "@/lib/cli/bundle-info";
import { CLI_VERSION } from "@/lib/cli/version";
import { ROOT } from "../helpers/server";

const project = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string; bin?: Record<string, string> };
const cliPackage = JSON.parse(readFileSync(path.join(CLI_DIR, "package.json"), "utf8")) as Record<string, unknown>;

/** A folder under the system's temp folder with no node_modules in it or above it. */
function emptyDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  for (let d = dir; ; d = path.dirname(d)) {
    expect(existsSync(path.join(d, "node_modules")), `${d}/node_modules`).toBe(false);
    if (path.dirname(d) === d) break;
  }
  return dir;
}

/** Runs a program with only PATH and a fresh HOME: no TESSERA_* or npm settings of this run. */
function run(cmd: string, args: string[], cwd: string) {
  const home = mkdtempSync(path.join(tmpdir(), "tessera-home-"));
  const env: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: home, NO_COLOR: "1" };
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: env as NodeJS.ProcessEnv });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  await buildCliIfStale();
}, 120_000);

describe("the CLI bundle", () => {
  it("imports only Node's own modules (node: specifiers), import statements and require() calls alike", async () => {
    const externals = cliBundleExternals();
    expect(externals.length).toBeGreaterThan(0);
    for (const p of externals) expect(p, "an import left outside the bundle").toMatch(/^node:[a-z_/]+$/);
    // The file itself, parsed again (in a folder with nothing to resolve): every import statement
    // and import() names a node: module.
    const dir = emptyDir("tessera-cli-parse-");
    copyFileSync(CLI_BUNDLE, path.join(dir, "tessera.mjs"));
    const parsed = await build({ absWorkingDir: dir, entryPoints: ["tessera.mjs"], bundle: true, platform: "node", format: "esm", write: false, metafile: true, logLevel: "silent" });
    const imports = parsed.metafile.inputs["tessera.mjs"]!.imports;
    expect(imports.length).toBeGreaterThan(0);
    for (const i of imports) expect(`${i.kind} ${i.path}`).toMatch(/^(import-statement|dynamic-import) node:[a-z_/]+$/);
  });

  it("starts with a shebang and names its version; it is executable", () => {
    const head = readFileSync(CLI_BUNDLE, "utf8").slice(0, 512);
    expect(head.startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(bundleVersion(head)).toBe(CLI_VERSION);
    expect(statSync(CLI_BUNDLE).mode & 0o111).not.toBe(0);
  });

  it("runs --version and --help from an empty folder, without node_modules", () => {
    const dir = emptyDir("tessera-cli-alone-");
    const file = path.join(dir, "tessera");
    copyFileSync(CLI_BUNDLE, file);
    const version = run(process.execPath, [file, "--version"], dir);
    expect(version).toMatchObject({ code: 0, stdout: `${CLI_VERSION}\n`, stderr: "" });
    const help = run(process.execPath, [file, "--help"], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tessera /);
    expect(help.stderr).toBe("");
    // As the install line leaves it: an executable file run by name (the shebang finds node on PATH).
    execFileSync("chmod", ["+x", file]);
    expect(run(file, ["--version"], dir)).toMatchObject({ code: 0, stdout: `${CLI_VERSION}\n` });
  });

  it("has the project's version and no dependencies in clients/cli/package.json", () => {
    expect(cliPackage).toMatchObject({ version: project.version, bin: { tessera: "tessera.mjs" }, files: ["tessera.mjs"], engines: { node: ">=20.19" } });
    expect(cliPackage.dependencies).toBeUndefined();
    expect(cliPackage.peerDependencies).toBeUndefined();
    expect(cliPackage.optionalDependencies).toBeUndefined();
    // `npx tessera` from a checkout runs the same file.
    expect(project.bin).toEqual({ tessera: "clients/cli/tessera.mjs" });
  });

  it("npm pack gives a tarball that npm install -g installs offline, as a working tessera", () => {
    const out = emptyDir("tessera-cli-pack-");
    const npmEnv = { ...process.env, npm_config_cache: path.join(out, "cache"), npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
    const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: CLI_DIR, env: npmEnv, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })) as {
      filename: string;
      files: { path: string }[];
    }[];
    expect(packed[0]!.files.map((f) => f.path).sort()).toEqual(["package.json", "tessera.mjs"]);
    const tgz = path.join(out, packed[0]!.filename);
    const prefix = path.join(out, "global");
    execFileSync("npm", ["install", "--global", "--offline", "--prefix", prefix, tgz], { cwd: out, env: npmEnv, stdio: ["ignore", "pipe", "pipe"] });
    // npm links bin/tessera to the package's file (a symlink): the CLI must run through it.
    const bin = path.join(prefix, "bin", "tessera");
    expect(run(bin, ["--version"], out)).toMatchObject({ code: 0, stdout: `${CLI_VERSION}\n`, stderr: "" });
    const help = run(bin, ["--help"], out);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tessera /);
  });
});
