// The `tessera` command line: every API operation as a command, on the SDK (lib/sdk), parsed with
// commander. Bundled into one file (clients/cli/tessera.mjs) that needs only Node 20+; from a
// checkout: `npm run -s tessera -- <command>` or `npx tessera`. docs/cli.md lists every command.
//
// Commands live in lib/cli/commands/*, one file per resource, each made from a contract operation
// (lib/cli/core/op.ts) so help and flags follow the API. Results go to stdout, everything else to
// stderr; exit codes are in lib/cli/core/exit.ts.
import { realpathSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { registerAudit } from "./commands/audit";
import { registerAuth } from "./commands/auth";
import { registerCompletion } from "./commands/completion";
import { registerMembers } from "./commands/members";
import { registerRun } from "./commands/run";
import { registerSecrets } from "./commands/secrets";
import { registerTokens } from "./commands/tokens";
import { registerWorkloads } from "./commands/workloads";
import { registerWorkspaces } from "./commands/workspaces";
import { Ctx } from "./core/context";
import { CliError, describeApiError, EXIT, exitCodeOf, isTesseraError } from "./core/exit";
import { processIo, safeText, type Io } from "./core/output";
import { CLI_VERSION } from "./version";

/** What a command file gets: the context for the command being run, and a way to set the exit code. */
export type Cli = {
  /** The context of the command being run (global options resolved; made once per run). */
  ctx(cmd: Command): Ctx;
  /** Sets the process's exit code (for `run`: the child's). */
  exit(code: number): void;
  io: Io;
};

export type Registrar = (program: Command, cli: Cli) => void;

const REGISTRARS: Registrar[] = [registerAuth, registerWorkspaces, registerMembers, registerTokens, registerSecrets, registerWorkloads, registerAudit, registerRun, registerCompletion];

export function buildProgram(io: Io, state: { code: number } = { code: 0 }): Command {
  const program = new Command("tessera");
  let ctx: Ctx | undefined;
  const cli: Cli = {
    ctx: (cmd) => (ctx ??= new Ctx(io, cmd.optsWithGlobals())),
    exit: (code) => {
      state.code = code;
    },
    io,
  };
  program
    .description("Tessera from the terminal: workspaces, members, tokens, secrets, workloads and audit, and `run` for workloads.")
    .version(CLI_VERSION, "-V, --version", "Print the version")
    .helpOption("-h, --help", "Show help for a command")
    .addOption(new Option("--profile <name>", "The profile to use (or TESSERA_PROFILE; default: the current one)"))
    .addOption(new Option("--url <url>", "Tessera's address (or TESSERA_URL; default: the profile's, else http://localhost:3000)"))
    .addOption(new Option("-w, --workspace <id>", "The workspace to act in (or TESSERA_WORKSPACE; default: the profile's, else the token's)"))
    .addOption(new Option("--json", "Print results as JSON (errors too, on stderr)"))
    .addOption(new Option("-y, --yes", "Answer yes to confirmations (required without a terminal)"))
    .addOption(new Option("--no-color", "No colours (NO_COLOR does the same)"))
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true, helpWidth: 100 })
    .addHelpText(
      "after",
      `
Environment:
  TESSERA_URL, TESSERA_TOKEN, TESSERA_WORKSPACE, TESSERA_PROFILE override the profile; TESSERA_CONFIG
  names the config file (default ~/.config/tessera/config.json, mode 0600). NO_COLOR turns colours off.

Exit codes: 0 ok, 1 error, 2 usage, 3 not logged in or token refused, 4 forbidden, 5 not found,
  6 conflict, 7 network, 130 cancelled; run and env: the command's own code.

Start with: tessera login    Docs: docs/cli.md`,
    );
  program.exitOverride();
  program.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    outputError: (s, write) => write(`tessera: ${oneLine(s)}\n`),
  });
  for (const register of REGISTRARS) register(program, cli);
  // Every command (sub-commands included) reports usage errors the same way.
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const c of all(program)) {
    if (c !== program) {
      c.exitOverride();
      c.configureOutput({
        writeOut: (s) => io.stdout.write(s),
        writeErr: (s) => io.stderr.write(s),
        outputError: (s, write) => write(`tessera: ${oneLine(s)} (see: tessera ${path(c)} --help)\n`),
      });
      c.showSuggestionAfterError(true);
    }
  }
  return program;
}

/** Commander's message (and its "Did you mean" line) as one line. */
const oneLine = (s: string) => s.replace(/^error: /, "").trim().replace(/\s*\n\s*/g, " ");

const path = (c: Command): string => {
  const names: string[] = [];
  for (let cur: Command | null = c; cur && cur.parent; cur = cur.parent) names.unshift(cur.name());
  return names.join(" ");
};

/** Runs the CLI with `argv` (without node and the script) and resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const state = { code: 0 };
  const program = buildProgram(io, state);
  const json = argv.slice(0, argv.indexOf("--") === -1 ? undefined : argv.indexOf("--")).includes("--json");
  const fail = (message: string, code: number, apiCode?: string) => {
    const line = safeText(message);
    io.stderr.write(json ? `${JSON.stringify({ error: { code: apiCode ?? "CLI", message: line, exitCode: code } })}\n` : `tessera: ${line}\n`);
    return code;
  };
  try {
    if (!argv.length) {
      program.outputHelp();
      return EXIT.OK;
    }
    await program.parseAsync(argv, { from: "user" });
    return state.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version end parsing with code 0; every other parse error is a usage error.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof CliError) return fail(err.message, err.code);
    if (isTesseraError(err)) return fail(describeApiError(err), exitCodeOf(err), err.code);
    return fail(`unexpected error: ${(err as Error)?.message ?? String(err)}`, EXIT.ERROR);
  }
}

/** The script node was asked to run, with links resolved (npm install -g links bin/tessera to the bundle). */
function invokedScript(): string | undefined {
  try {
    return process.argv[1] ? realpathSync(process.argv[1]) : undefined;
  } catch {
    return process.argv[1];
  }
}

if (import.meta.filename === invokedScript() || process.argv[1]?.endsWith("lib/cli/main.ts")) {
  // `tessera … | head`: a reader that stops early is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
