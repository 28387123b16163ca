// Runs the `tessera` CLI as a user does: a child process with its own environment, stdin and
// config file. It runs the bundled file (clients/cli/tessera.mjs, what users install) when it
// exists, else the TypeScript entry through tsx; TESSERA_TEST_CLI=bundle demands the bundle.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "./server";

export const CLI_BUNDLE = path.join(ROOT, "clients/cli/tessera.mjs");
export const CLI_SOURCE = path.join(ROOT, "lib/cli/main.ts");

export type CliResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };
export type CliOptions = { env?: Record<string, string | undefined>; input?: string; cwd?: string };

/** The command line that starts the CLI: [node, ...args]. */
export function cliCommand(): string[] {
  if (existsSync(CLI_BUNDLE)) return [process.execPath, CLI_BUNDLE];
  if (process.env.TESSERA_TEST_CLI === "bundle") throw new Error(`the CLI bundle is missing: ${CLI_BUNDLE} (npm run build:cli)`);
  return [process.execPath, "--import", "tsx", CLI_SOURCE];
}

/** A fresh HOME and config file, so that tests never read or write the user's own profiles. */
export function isolatedEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const home = mkdtempSync(path.join(tmpdir(), "tessera-cli-"));
  return { PATH: process.env.PATH, HOME: home, TESSERA_CONFIG: path.join(home, ".config/tessera/config.json"), NO_COLOR: "1", ...extra };
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const [cmd, ...pre] = cliCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, [...pre, ...args], { cwd: opts.cwd ?? ROOT, env: (opts.env ?? isolatedEnv()) as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}
