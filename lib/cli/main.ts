// The `tessera` command line (first command: `run`). Run it with `npm run -s tessera -- <command>`.
//
//   tessera run --workspace <id> --workload <id> -- <command> [args…]
//
// `run` exchanges the workload token (TESSERA_TOKEN, never an argument: arguments show in `ps`) for
// a short-lived credential, fetches the workload's resolved environment, starts the command with
// it, and passes the command's stdout and stderr through with every secret value redacted
// (security.md SEC-14, SEC-15). The exit code is the command's.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { parseArgs } from "node:util";
import { TesseraApiError, TesseraClient } from "../sdk/client";
import { createRedactor } from "./redact";

const HELP: Record<string, string> = {
  main: `tessera: the Tessera command line

Usage:
  tessera run --workspace <id> --workload <id> [options] -- <command> [args…]
  tessera help [command]

Commands:
  run     Start a command with a workload's environment (secrets included), its output redacted
  help    Show help for a command

Environment:
  TESSERA_URL    Tessera's address (default http://localhost:3000)
  TESSERA_TOKEN  The workload token (tsr_wkl_…) for run
`,
  run: `Usage: tessera run --workspace <id> --workload <id> [options] -- <command> [args…]

Starts <command> with the workload's resolved environment added to this one. The workload token
(TESSERA_TOKEN) is exchanged for a credential that lives at most 15 minutes and opens this
workload's environment only; the token itself is not passed to the command. The command's stdout
and stderr are passed through with every value that comes from a secret replaced by
[redacted:NAME] (values of 4 bytes or more). The exit code is the command's.

Options:
  --workspace <id>   The workspace ID (or TESSERA_WORKSPACE_ID)
  --workload <id>    The workload ID (or TESSERA_WORKLOAD_ID)
  --url <url>        Tessera's address (or TESSERA_URL; default http://localhost:3000)
  --json             Before starting, print one JSON line to stderr: the variables set and redacted
                     (names only) and when the credential expires
  -h, --help         Show this help

Example:
  TESSERA_TOKEN=tsr_wkl_… tessera run --workspace ws_123 --workload wl_456 -- python serve.py
`,
};

class UsageError extends Error {}

function fail(message: string, code: number, json: boolean): never {
  if (json) process.stderr.write(`${JSON.stringify({ error: { message } })}\n`);
  else process.stderr.write(`tessera: ${message}\n`);
  process.exit(code);
}

async function run(argv: string[]): Promise<number> {
  const dash = argv.indexOf("--");
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const command = dash === -1 ? [] : argv.slice(dash + 1);
  const { values } = parseArgs({
    args: own,
    options: {
      workspace: { type: "string" },
      workload: { type: "string" },
      url: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(HELP.run!);
    return 0;
  }
  const workspaceId = values.workspace ?? process.env.TESSERA_WORKSPACE_ID;
  const workloadId = values.workload ?? process.env.TESSERA_WORKLOAD_ID;
  const baseUrl = values.url ?? process.env.TESSERA_URL ?? "http://localhost:3000";
  const token = process.env.TESSERA_TOKEN;
  if (!workspaceId) throw new UsageError("--workspace <id> is required (or set TESSERA_WORKSPACE_ID)");
  if (!workloadId) throw new UsageError("--workload <id> is required (or set TESSERA_WORKLOAD_ID)");
  if (!command.length) throw new UsageError("give the command to run after --, e.g. tessera run --workspace … --workload … -- python serve.py");
  if (!token) throw new UsageError("set TESSERA_TOKEN to the workload's token (tsr_wkl_…); it is never taken as an argument");

  const client = new TesseraClient({ baseUrl, token });
  const credential = await client.issueWorkloadCredential(workspaceId, workloadId);
  const resolved = await client.resolveWorkloadEnv(workspaceId, workloadId, credential.credential);
  const secretValues = Object.fromEntries(resolved.secrets.filter((n) => n in resolved.env).map((n) => [n, resolved.env[n]!]));
  if (values.json) {
    process.stderr.write(
      `${JSON.stringify({ workloadId, variables: Object.keys(resolved.env), redacted: Object.keys(secretValues), withheld: resolved.withheld, credentialExpiresAt: credential.expiresAt })}\n`,
    );
  } else {
    for (const w of resolved.withheld) {
      const why =
        w.reason === "private_secret"
          ? "it comes from a private secret, which opens only for a workload token that the secret's creator minted and put on this workload"
          : "it makes a process load code, and this workspace does not allow that name (Settings > General)";
      process.stderr.write(`tessera: warning: ${w.envName} left out: ${why}\n`);
    }
  }

  // The command gets this environment plus the workload's, without the token it does not need.
  const env: NodeJS.ProcessEnv = { ...process.env, ...resolved.env };
  delete env.TESSERA_TOKEN;
  const child = spawn(command[0]!, command.slice(1), { env, stdio: ["inherit", "pipe", "pipe"] });
  const outs = [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const;
  const drained = outs.map(
    ([from, to]) =>
      new Promise<void>((resolve) => {
        const redactor = createRedactor(secretValues);
        from.pipe(redactor);
        redactor.on("data", (b: Buffer) => to.write(b));
        redactor.on("end", resolve);
      }),
  );
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(s, forward(s));
  return new Promise<number>((resolve) => {
    child.on("error", (err: NodeJS.ErrnoException) => {
      process.stderr.write(`tessera: cannot start ${command[0]}: ${err.code === "ENOENT" ? "command not found" : err.message}\n`);
      resolve(err.code === "ENOENT" ? 127 : 126);
    });
    child.on("close", async (code, signal) => {
      await Promise.all(drained);
      // As a shell reports it: the exit code, or 128 + the signal's number.
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const json = rest.includes("--json") && (rest.indexOf("--") === -1 || rest.indexOf("--json") < rest.indexOf("--"));
  try {
    switch (cmd) {
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(HELP[rest[0] ?? "main"] ?? HELP.main!);
        return 0;
      case "run":
        return await run(rest);
      default:
        throw new UsageError(`unknown command "${cmd}" (try: tessera help)`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) fail((err as Error).message, 2, json);
    if (err instanceof TesseraApiError) fail(err.message, 1, json);
    fail(`unexpected error: ${(err as Error).message}`, 1, json);
  }
}

if (import.meta.filename === process.argv[1] || process.argv[1]?.endsWith("lib/cli/main.ts")) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
