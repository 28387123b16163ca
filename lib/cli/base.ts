// The program's frame, with no command in it: the global options, the help text, and how parse
// errors are reported (one line on stderr, exit 2). Kept free of the contract and the SDK, so that
// `tessera --help` and `--version` start without evaluating a single schema (lib/cli/main.ts).
import { Command, Help, Option } from "commander";
import type { Ctx } from "./core/context";
import type { Io } from "./core/output";
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

/**
 * The top-level commands as the main help lists them: name, the term shown (with its arguments),
 * and the summary. `tessera --help` prints these without loading the commands; a unit test checks
 * that they are the real commands' (tests/unit/cli.test.ts).
 */
export const TOP_COMMANDS: readonly (readonly [name: string, term: string, summary: string])[] = [
  ["login", "login [options]", "Log in: keep a token in a profile"],
  ["logout", "logout [options]", "Forget the profile's token (a token made by login --web is also cancelled)"],
  ["whoami", "whoami", "Who the token is: its kind, workspace, scopes and expiry (never its value)"],
  ["status", "status", "Check the server, the login and the config file"],
  ["profiles", "profiles", "List, switch and remove profiles (servers and workspaces)"],
  ["workspaces", "workspaces", "List, create, choose, inspect and delete workspaces; activation requests and their review"],
  ["members", "members", "List members, invite people, change roles, remove members, leave the workspace"],
  ["invitations", "invitations", "List, revoke and re-issue invitations (invite with tessera members invite)"],
  ["tokens", "tokens", "List, create, renew, rename, assign, cancel and delete API tokens (a value is shown once, at creation)"],
  ["secrets", "secrets", "Create, replace, rename, check, import and delete secrets (values are write-only: never shown)"],
  ["workloads", "workloads", "Workloads (endpoints, jobs, pods) and the variables they get: literal values and secrets"],
  ["audit", "audit", "Read and export the audit log"],
  ["run", "run [options] [command...]", "Start a command with a workload's environment (secrets included), its output redacted"],
  ["env", "env [options]", "Print a workload's environment (secrets included) for a container or Kubernetes: dotenv, json, shell or k8s-secret"],
  ["completion", "completion <shell>", "Print a shell completion script (bash, zsh or fish)"],
];

/** The global options, help text and error reporting; commands are added by the caller. */
export function baseProgram(io: Io): Command {
  const program = new Command("tessera");
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
  return program;
}

/** Every subcommand reports usage errors as the program does, naming its own help. */
export function finishProgram(program: Command, io: Io): Command {
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const c of all(program)) {
    if (c !== program) {
      c.exitOverride();
      c.configureOutput({
        writeOut: (s) => io.stdout.write(s),
        writeErr: (s) => io.stderr.write(s),
        outputError: (s, write) => write(`tessera: ${oneLine(s)} (see: tessera ${commandPath(c)} --help)\n`),
      });
      c.showSuggestionAfterError(true);
    }
  }
  return program;
}

/** The main help without the commands loaded: each top-level command as a stand-in with its term and summary. */
export function lightProgram(io: Io): Command {
  const program = baseProgram(io);
  const terms = new Map<string, string>();
  for (const [name, term, summary] of TOP_COMMANDS) {
    program.command(name).description(summary);
    terms.set(name, term);
  }
  program.configureHelp({
    ...program.configureHelp(),
    subcommandTerm(this: Help, c: Command) {
      return terms.get(c.name()) ?? Help.prototype.subcommandTerm.call(this, c);
    },
  });
  return finishProgram(program, io);
}

/** Commander's message (and its "Did you mean" line) as one line. */
export const oneLine = (s: string) => s.replace(/^error: /, "").trim().replace(/\s*\n\s*/g, " ");

export const commandPath = (c: Command): string => {
  const names: string[] = [];
  for (let cur: Command | null = c; cur && cur.parent; cur = cur.parent) names.unshift(cur.name());
  return names.join(" ");
};
