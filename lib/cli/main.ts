// The `tessera` command line: every API operation as a command, on the SDK (lib/sdk), parsed with
// commander. Bundled into one file (clients/cli/tessera.mjs) that needs only Node 20+; from a
// checkout: `npm run -s tessera -- <command>` or `npx tessera`. docs/cli.md lists every command.
//
// Commands live in lib/cli/commands/*, one file per resource, each made from a contract operation
// (lib/cli/core/op.ts) so help and flags follow the API. Results go to stdout, everything else to
// stderr; exit codes are in lib/cli/core/exit.ts.
//
// Start-up: the commands (and with them the contract's schemas and the SDK) are loaded only when
// one is run. `tessera --help`, `--version` and an unknown command use the light program of
// base.ts; everything else loads program.ts (esbuild keeps the dynamic import lazy in the bundle).
import { realpathSync } from "node:fs";
import { CommanderError } from "commander";
import { lightProgram, TOP_COMMANDS } from "./base";
import { CliError, describeApiError, EXIT, exitCodeOf, isTesseraError } from "./core/exit";
import { processIo, safeText, type Io } from "./core/output";

export type { Cli, Registrar } from "./base";

/** Global options that take a value (the word after them is not a command). */
const VALUE_OPTIONS = new Set(["--profile", "--url", "-w", "--workspace"]);

/** The command word of argv: the first word that is not an option (or an option's value). */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") return undefined;
    if (VALUE_OPTIONS.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    return a;
  }
  return undefined;
}

/** Whether argv needs the commands loaded (anything but the main help, --version, or a word that is no command). */
function needsCommands(argv: readonly string[]): boolean {
  const word = commandWord(argv);
  if (word === undefined) return false;
  if (word === "help") return commandWord(argv.slice(argv.indexOf("help") + 1)) !== undefined;
  return TOP_COMMANDS.some(([name]) => name === word);
}

/** Runs the CLI with `argv` (without node and the script) and resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const state = { code: 0 };
  const program = needsCommands(argv) ? (await import("./program")).buildProgram(io, state) : lightProgram(io);
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
