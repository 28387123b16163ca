// The CLI without a server: every command that calls an operation takes the operation's fields as
// flags (so help and flags cannot drift from the contract), every operation has a command or a
// stated reason, docs/cli.md's reference is current, profiles are written 0600, parse errors exit 2,
// and the completion scripts cover the tree.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Help, type Command, type Option } from "commander";
import { describe, expect, it } from "vitest";
import { operations } from "@/lib/contract";
import type { Operation } from "@/lib/contract/define";
import { loadConfig, saveConfig } from "@/lib/cli/core/config";
import { CliError, EXIT, exitCodeOf } from "@/lib/cli/core/exit";
import { OPERATION, type CommandWithOp } from "@/lib/cli/core/op";
import type { Io } from "@/lib/cli/core/output";
import { cliReference, END, START } from "@/lib/cli/docs";
import { lightProgram, TOP_COMMANDS } from "@/lib/cli/base";
import { commandWord, main } from "@/lib/cli/main";
import { buildProgram } from "@/lib/cli/program";
import { CLI_VERSION } from "@/lib/cli/version";
import { TesseraError } from "@/lib/sdk";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Operations the CLI does not offer as a command, each with its reason. */
const NOT_COMMANDS: Record<string, string> = {
  "openapi.get": "the document itself: curl it, or read docs/api.md",
  "tokens.verify": "for gateways checking a presented token, not for people",
  "secrets.import": "`secrets import` reads the file itself and creates or replaces secret by secret (with --preset and --expires-at); the one-transaction operation serves the dashboard and the API",
  "workloads.issueCredential": "called inside run and env",
  "workloads.resolveEnv": "called inside run and env",
  "me.get": "called by whoami, status and login",
  "me.signOutEverywhere": "a dashboard-session matter: the dashboard's Settings has it",
  "workspaces.updateSso": "SSO is set up in the dashboard, with a test sign-in",
  "workspaces.setTokenPolicy": "a rare admin setting, in the dashboard",
  "workspaces.setMfaPolicy": "a rare admin setting, in the dashboard (with the members who have no second factor)",
  "workspaces.setWorkloadEnvPolicy": "a rare admin setting, in the dashboard",
  "audit.setRetention": "a rare admin setting, in the dashboard",
  "admin.listUsers": "platform user administration stays in the dashboard's Admin page",
  "admin.updateUser": "platform user administration stays in the dashboard's Admin page",
  "admin.revokeUserSessions": "platform user administration stays in the dashboard's Admin page",
  "device.start": "called by login --web",
  "device.poll": "called by login --web",
};

function memoryIo(env: Record<string, string> = {}): Io & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = "";
  let e = "";
  stdout.on("data", (d) => (o += d));
  stderr.on("data", (d) => (e += d));
  const stdin = new PassThrough();
  stdin.end();
  const home = mkdtempSync(path.join(tmpdir(), "tessera-cli-unit-"));
  return { stdout, stderr, stdin, env: { HOME: home, TESSERA_CONFIG: path.join(home, "config.json"), NO_COLOR: "1", ...env } as unknown as NodeJS.ProcessEnv, out: () => o, err: () => e };
}

const walk = (c: Command): Command[] => [c, ...c.commands.flatMap(walk)];
const program = buildProgram(memoryIo());
const commands = walk(program) as CommandWithOp[];

describe("commands follow the contract", () => {
  it("every command that calls an operation takes each of its fields (as a flag, an argument, or set by the command)", () => {
    const mapped = commands.filter((c) => c[OPERATION]);
    expect(mapped.length).toBeGreaterThan(0);
    for (const c of mapped) {
      const { id, spec, fields } = c[OPERATION]!;
      const flagFields = new Set(c.options.map((o) => (o as Option & { field?: string }).field).filter(Boolean));
      const args = (spec.args ?? []).map((a) => a.replace(/[<>[\]]/g, ""));
      for (const f of fields) {
        const covered = flagFields.has(f.name) || args.includes(f.name) || (spec.fixed && f.name in spec.fixed) || spec.handled?.includes(f.name);
        expect(covered, `${c.name()} (${id}) leaves out ${f.in} field ${f.name}`).toBeTruthy();
      }
    }
  });

  it("every operation has a command, or a reason why not", () => {
    const used = new Set(commands.map((c) => c[OPERATION]?.id).filter(Boolean));
    for (const op of operations as readonly Operation[]) {
      expect(used.has(op.id as never) || op.id in NOT_COMMANDS, `${op.id} has no command and no reason`).toBe(true);
    }
    // A reason for an operation that no longer exists, or that has a command after all, is stale.
    for (const id of Object.keys(NOT_COMMANDS)) {
      expect(
        (operations as readonly Operation[]).some((o) => o.id === id),
        `${id} is not an operation`,
      ).toBe(true);
      expect(used.has(id as never), `${id} has a command: drop its reason`).toBe(false);
    }
  });

  it("the main help, printed without loading the commands, is the full program's (TOP_COMMANDS is current)", () => {
    const full = buildProgram(memoryIo());
    const help = new Help();
    expect(TOP_COMMANDS.map(([name, term, summary]) => [name, term, summary])).toEqual(full.commands.filter((c) => c.name() !== "help").map((c) => [c.name(), help.subcommandTerm(c), c.description()]));
    expect(lightProgram(memoryIo()).helpInformation()).toBe(full.helpInformation());
  });

  it("which argv loads the commands: a command word does, the main help and --version do not", () => {
    expect(commandWord(["--profile", "prod", "--url", "http://x", "-w", "ws1", "--json", "tokens", "list"])).toBe("tokens");
    expect(commandWord(["--help"])).toBeUndefined();
    expect(commandWord(["--", "tokens"])).toBeUndefined();
  });

  it("the version is the project's", () => {
    expect(CLI_VERSION).toBe(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
  });

  it("docs/cli.md's reference is the program's (npm run docs:cli)", () => {
    const text = readFileSync(path.join(ROOT, "docs/cli.md"), "utf8");
    const a = text.indexOf(START);
    const b = text.indexOf(END);
    expect(a).toBeGreaterThan(-1);
    expect(text.slice(a + START.length, b).trim()).toBe(cliReference().trim());
  });
});

describe("parsing and exit codes", () => {
  it("--version and --help exit 0", async () => {
    const io = memoryIo();
    expect(await main(["--version"], io)).toBe(0);
    expect(io.out().trim()).toBe(CLI_VERSION);
    const io2 = memoryIo();
    expect(await main(["--help"], io2)).toBe(0);
    expect(io2.out()).toContain("Exit codes");
  });

  it("an unknown command or flag, or a missing argument, is one line on stderr and exit 2", async () => {
    for (const argv of [["nope"], ["login", "--nope"], ["profiles", "use"], ["completion", "tcsh"]]) {
      const io = memoryIo();
      expect(await main(argv, io), argv.join(" ")).toBe(EXIT.USAGE);
      expect(io.err().trim().split("\n"), argv.join(" ")).toHaveLength(1);
      expect(io.err()).toMatch(/^tessera: /);
      expect(io.out()).toBe("");
    }
  });

  it("a command that needs a token, without one, exits 3 and says how to log in", async () => {
    const io = memoryIo();
    expect(await main(["whoami"], io)).toBe(EXIT.AUTH);
    expect(io.err()).toContain("tessera login");
  });

  it("--json errors are one JSON line on stderr", async () => {
    const io = memoryIo();
    expect(await main(["whoami", "--json"], io)).toBe(EXIT.AUTH);
    expect(JSON.parse(io.err())).toMatchObject({ error: { exitCode: EXIT.AUTH } });
  });

  it("API errors map to exit codes by status", () => {
    const e = (status: number, code = "X") => new TesseraError({ status, code: code as never, message: "m", operationId: "o" });
    expect(exitCodeOf(e(401))).toBe(EXIT.AUTH);
    expect(exitCodeOf(e(403))).toBe(EXIT.FORBIDDEN);
    expect(exitCodeOf(e(404))).toBe(EXIT.NOT_FOUND);
    expect(exitCodeOf(e(409))).toBe(EXIT.CONFLICT);
    expect(exitCodeOf(e(422))).toBe(EXIT.ERROR);
    expect(exitCodeOf(e(0, "NETWORK"))).toBe(EXIT.NETWORK);
    expect(exitCodeOf(e(0, "TIMEOUT"))).toBe(EXIT.NETWORK);
  });

  it("the exit codes are distinct", () => {
    const codes = Object.values(EXIT);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe("profiles", () => {
  it("the config file is written 0600 in a 0700 folder, and reads back only strings", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tessera-cfg-"));
    const file = path.join(dir, "sub/config.json");
    saveConfig({ current: "p", profiles: { p: { url: "http://x", token: "tsr_usr_secret-value-12345" } } }, file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    writeFileSync(file, JSON.stringify({ profiles: { p: { url: "http://x", token: 5, extra: { a: 1 } } } }));
    expect(loadConfig(file)).toEqual({ current: undefined, profiles: { p: { url: "http://x" } } });
    writeFileSync(file, '{"profiles": {"__proto__": {"url": "http://evil"}, "ok": {"url": "http://x"}}}');
    const read = loadConfig(file);
    expect(Object.keys(read.profiles)).toEqual(["ok"]);
    expect(Object.getPrototypeOf(read.profiles)).toBe(Object.prototype);
    writeFileSync(file, "{not json");
    expect(() => loadConfig(file)).toThrow(CliError);
  });

  it("profiles list never prints a token", async () => {
    const io = memoryIo();
    saveConfig({ current: "a", profiles: { a: { url: "http://a", token: "tsr_usr_do-not-print-0123456789", user: "a@x.dev" } } }, io.env.TESSERA_CONFIG!);
    expect(await main(["profiles", "list", "--json"], io)).toBe(0);
    expect(io.out()).not.toContain("do-not-print");
    expect(JSON.parse(io.out())).toMatchObject([{ name: "a", current: true, loggedIn: true }]);
  });

  it("a profile's token goes to the profile's server only, never to another --url or TESSERA_URL", async () => {
    const hits: string[] = [];
    const { createServer } = await import("node:http");
    const srv = createServer((req, res) => {
      hits.push(String(req.headers.authorization ?? ""));
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "UNAUTHORIZED", message: "no" } }));
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const other = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
    try {
      for (const [argv, env] of [
        [["--url", other, "whoami"], {}],
        [["secrets", "list"], { TESSERA_URL: other }],
        [["run", "--workload", "x", "--", "true"], { TESSERA_URL: other }],
      ] as [string[], Record<string, string>][]) {
        const io = memoryIo(env);
        saveConfig({ current: "a", profiles: { a: { url: "http://tessera.invalid", token: "tsr_usr_never-sent-0123456789", workspace: "ws1" } } }, io.env.TESSERA_CONFIG!);
        const code = await main(argv, io);
        expect(code, `${argv.join(" ")}: ${io.err()}`).not.toBe(0);
        expect(io.err().trim().split("\n")).toHaveLength(1);
      }
      expect(hits.filter((h) => h.includes("never-sent"))).toEqual([]);
    } finally {
      srv.close();
    }
  });

  it("a server address with a user name or password is refused before any request", async () => {
    const io = memoryIo({ TESSERA_URL: "http://user:s3cretpw@127.0.0.1:1" });
    expect(await main(["status"], io)).toBe(EXIT.USAGE);
    expect(io.err()).not.toContain("s3cretpw");
  });

  it("status with a login and an unreachable server: exit 7, no crash", async () => {
    const io = memoryIo();
    saveConfig({ current: "a", profiles: { a: { url: "http://127.0.0.1:1", token: "tsr_usr_x-0123456789" } } }, io.env.TESSERA_CONFIG!);
    expect(await main(["status"], io)).toBe(EXIT.NETWORK);
    expect(io.out()).toContain("unreachable");
    expect(io.err()).toBe("");
  });

  it("profiles use/remove take only a profile of the file (not an inherited name such as __proto__)", async () => {
    const io = memoryIo();
    saveConfig({ current: "a", profiles: { a: { url: "http://a" } } }, io.env.TESSERA_CONFIG!);
    expect(await main(["profiles", "use", "__proto__"], io)).toBe(EXIT.NOT_FOUND);
    expect(await main(["profiles", "remove", "constructor"], memoryIo({ TESSERA_CONFIG: io.env.TESSERA_CONFIG! }))).toBe(EXIT.NOT_FOUND);
    expect(loadConfig(io.env.TESSERA_CONFIG!)).toEqual({ current: "a", profiles: { a: { url: "http://a" } } });
  });

  it("a profile name is checked", async () => {
    const io = memoryIo();
    expect(await main(["--profile", "../x", "whoami"], io)).toBe(EXIT.USAGE);
  });
});

describe("completion", () => {
  it("bash, zsh and fish scripts name every top-level command; the bash one parses", async () => {
    const top = program.commands.map((c) => c.name()).filter((n) => n !== "help");
    for (const shell of ["bash", "zsh", "fish"]) {
      const io = memoryIo();
      expect(await main(["completion", shell], io)).toBe(0);
      for (const name of top) expect(io.out(), `${shell}: ${name}`).toContain(name);
    }
    const io = memoryIo();
    await main(["completion", "bash"], io);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "tessera-comp-")), "c.bash");
    writeFileSync(file, io.out());
    execFileSync("bash", ["-n", file]);
    // Completing "tessera tok" offers tokens; "tessera tokens " offers its subcommands.
    const complete = (words: string[]) =>
      execFileSync("bash", ["-c", `source ${file}; COMP_WORDS=(${words.map((w) => `"${w}"`).join(" ")}); COMP_CWORD=${words.length - 1}; _tessera; echo "\${COMPREPLY[@]}"`]).toString();
    expect(complete(["tessera", "who"])).toContain("whoami");
    expect(complete(["tessera", "profiles", ""])).toContain("list");
  });
});
