// run and env: the workload's side. Both take a workload token only (TESSERA_TOKEN, never an
// argument: arguments show in `ps`), which they exchange for a short-lived credential (at most
// 15 minutes, this workload's environment only: security.md SEC-14), then fetch the resolved env.
//
// `run` starts a command with that environment added to its own (the token is not passed on) and
// passes the command's stdout and stderr through with every value that comes from a secret
// replaced by [redacted:NAME] (SEC-15, lib/cli/redact.ts). The exit code is the command's: 127
// when it is not found, 126 when it cannot be started, 128 + n when signal n ended it.
//
// `env` prints the environment for a container's entrypoint or `kubectl apply -f -`: dotenv,
// JSON, shell exports or a Kubernetes Secret. It writes to a pipe or a file, never to a terminal.
// People never get values: user and workspace tokens are refused by both commands.
import { spawn } from "node:child_process";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { basename, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { Writable } from "node:stream";
import { Option, type Command } from "commander";
import type { MeOutput } from "../../schemas/account";
import { isTesseraError, type Tessera } from "../../sdk";
import type { Registrar } from "../main";
import type { Ctx } from "../core/context";
import { CliError, EXIT, usage } from "../core/exit";
import { safeText } from "../core/output";
import { createRedactor } from "../redact";

export type WorkloadEnv = {
  workspaceId: string;
  workloadId: string;
  workloadName: string | null;
  env: Record<string, string>;
  secrets: string[];
  withheld: { envName: string; reason: "private_secret" | "loader_variable" }[];
  credentialExpiresAt: Date;
};

const WITHHELD_WHY = {
  private_secret: "it comes from a private secret, which opens only for a workload token that the secret's creator minted and put on this workload",
  loader_variable: "it makes a process load code, and this workspace does not allow that name (Settings > General)",
} as const;

async function whoIs(client: Tessera): Promise<MeOutput> {
  try {
    return await client.me.get();
  } catch (err) {
    if (isTesseraError(err) && err.status === 401) throw new CliError(`the server refused TESSERA_TOKEN: ${err.message}`, EXIT.AUTH);
    throw err;
  }
}

/**
 * The token's own workload, checked against --workload (a name or an id) and --workspace, then
 * the credential exchange and the environment. Anything but a workload token is refused.
 */
export async function workloadEnv(ctx: Ctx, command: string, wanted: string | undefined, explicitWorkspace: string | undefined): Promise<WorkloadEnv> {
  // Only TESSERA_TOKEN: a profile holds a person's token, which must not be sent for this at all.
  if (ctx.tokenSource !== "env") throw usage(`set TESSERA_TOKEN to the workload's token (tsr_wkl_…); it is never taken as an argument, nor from a profile`);
  const workload = (wanted ?? ctx.io.env.TESSERA_WORKLOAD_ID)?.trim();
  if (!workload) throw usage(`--workload <name|id> is required (or set TESSERA_WORKLOAD_ID)`);
  const client = ctx.client();
  const me = await whoIs(client);
  const t = me.token;
  if (t.kind !== "workload") {
    throw new CliError(
      `${command} takes a workload token (tsr_wkl_…, in TESSERA_TOKEN), and this is a ${t.kind} token: people never get secret values. Make a workload token for the workload (tessera tokens create <name> --workload <workload>) and give it to the workload`,
      EXIT.AUTH,
    );
  }
  if (!t.workloadId) throw new CliError(`this workload token ("${safeText(t.name)}") is not assigned to a workload: assign it first (tessera tokens assign)`, EXIT.FORBIDDEN);
  const label = t.workloadName ? `"${safeText(t.workloadName)}" (${t.workloadId})` : t.workloadId;
  if (workload !== t.workloadId && workload !== t.workloadName) throw usage(`this token belongs to workload ${label}, not "${safeText(workload)}"`);
  const workspaceId = explicitWorkspace?.trim() || me.workspace.id;
  if (workspaceId !== me.workspace.id) throw usage(`this token belongs to workspace "${safeText(me.workspace.name)}" (${me.workspace.id}), not ${safeText(workspaceId)}`);

  const credential = await client.workloads.issueCredential({ workspaceId, workloadId: t.workloadId });
  const resolved = await client.workloads.resolveEnv({ workspaceId, workloadId: t.workloadId }, { token: credential.credential });
  return {
    workspaceId,
    workloadId: t.workloadId,
    workloadName: t.workloadName,
    env: resolved.env,
    secrets: resolved.secrets.filter((n) => n in resolved.env),
    withheld: resolved.withheld,
    credentialExpiresAt: credential.expiresAt,
  };
}

function warnWithheld(ctx: Ctx, w: WorkloadEnv): void {
  for (const x of w.withheld) ctx.io.stderr.write(`tessera: ${ctx.style.yellow("warning:")} ${x.envName} left out: ${WITHHELD_WHY[x.reason] ?? x.reason}\n`);
}

/** The workspace given on the command line or in the environment (the profile's belongs to its own token). */
function explicitWorkspace(ctx: Ctx, cmd: Command): string | undefined {
  const flag = cmd.optsWithGlobals().workspace as string | undefined;
  return flag ?? ctx.io.env.TESSERA_WORKSPACE ?? ctx.io.env.TESSERA_WORKSPACE_ID ?? (ctx.tokenSource === "profile" ? ctx.profile.workspace : undefined);
}

// ---- env formats ------------------------------------------------------------------------------

export const ENV_FORMATS = ["dotenv", "json", "shell", "k8s-secret"] as const;
export type EnvFormat = (typeof ENV_FORMATS)[number];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A Kubernetes Secret's data key. */
const K8S_KEY = /^[-._a-zA-Z0-9]+$/;
/** A DNS-1123 subdomain (a Secret's name), and a DNS-1123 label (a namespace). */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function checkNames(env: Record<string, string>, rule: RegExp, what: string): void {
  for (const k of Object.keys(env)) if (!rule.test(k)) throw new CliError(`the variable name "${safeText(k)}" cannot be written as ${what}`, EXIT.ERROR);
}

/** `'value'` for a shell: taken literally; a single quote becomes '\''. */
export const shellQuote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/**
 * A dotenv value, always on one line: single-quoted (taken literally by dotenv readers that unquote),
 * or, when it holds a single quote or a line break (LF or CR), double-quoted with \\, \", \$, \`,
 * \n and \r escaped. A raw line break would let a line-based reader (docker run --env-file, kubectl
 * --from-env-file) see the rest of the value as further variables (`abc\nLD_PRELOAD=/x`).
 */
export function dotenvQuote(v: string): string {
  if (!/['\n\r]/.test(v)) return `'${v}'`;
  const escaped = v.replace(/[\\"$`]/g, (c) => `\\${c}`).replace(/\n/g, "\\n").replace(/\r/g, "\\r");
  return `"${escaped}"`;
}

/** A name for the Secret from the workload's: lower case, runs of other characters as "-", at most 63. */
export function k8sName(workloadName: string | null, workloadId: string): string {
  const base = (workloadName ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return base || `tessera-${workloadId.toLowerCase().replace(/[^a-z0-9]/g, "")}`.slice(0, 63);
}

/** The environment in one of the formats, ready to be written. */
export function renderEnv(format: EnvFormat, w: Pick<WorkloadEnv, "env" | "workloadId" | "workloadName">, opts: { name?: string; namespace?: string } = {}): string {
  const entries = Object.entries(w.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  switch (format) {
    case "json":
      return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
    case "dotenv":
      checkNames(w.env, ENV_NAME, "a dotenv line");
      return entries.map(([k, v]) => `${k}=${dotenvQuote(v)}\n`).join("");
    case "shell":
      checkNames(w.env, ENV_NAME, "a shell variable");
      return entries.map(([k, v]) => `export ${k}=${shellQuote(v)}\n`).join("");
    case "k8s-secret": {
      checkNames(w.env, K8S_KEY, "a Secret key");
      const name = opts.name ?? k8sName(w.workloadName, w.workloadId);
      // Every scalar is double-quoted, and holds only characters that need no escape there (names
      // and ids checked above, base64): YAML cannot read one as a number, a boolean or null.
      const lines = [
        "apiVersion: v1",
        "kind: Secret",
        "metadata:",
        `  name: "${name}"`,
        ...(opts.namespace ? [`  namespace: "${opts.namespace}"`] : []),
        "  labels:",
        '    "app.kubernetes.io/managed-by": "tessera"',
        "  annotations:",
        `    "tessera.dev/workload-id": "${w.workloadId.replace(/[^A-Za-z0-9_-]/g, "")}"`,
        "type: Opaque",
        entries.length ? "data:" : "data: {}",
        ...entries.map(([k, v]) => `  "${k}": "${Buffer.from(v, "utf8").toString("base64")}"`),
      ];
      return `${lines.join("\n")}\n`;
    }
  }
}

/** Writes `text` to FILE (mode 0600, beside it then renamed) or to stdout. */
function writeOut(ctx: Ctx, text: string, file: string | undefined): void {
  if (!file) {
    ctx.out(text);
    return;
  }
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
  try {
    writeFileSync(tmp, text, { mode: 0o600, flag: "wx" });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new CliError(`cannot write ${file}: ${(err as Error).message}`, EXIT.ERROR);
  }
}

// ---- run ----------------------------------------------------------------------------------------

/** Starts the command and resolves to its exit code, as a shell reports it. */
function runChild(ctx: Ctx, command: string[], w: WorkloadEnv): Promise<number> {
  const secretValues = Object.fromEntries(w.secrets.map((n) => [n, w.env[n]!]));
  // The command gets this environment plus the workload's, without the token it does not need.
  const env: NodeJS.ProcessEnv = { ...ctx.io.env, ...w.env };
  delete env.TESSERA_TOKEN;
  const child = spawn(command[0]!, command.slice(1), { env, stdio: ["inherit", "pipe", "pipe"] });
  const drained = (
    [
      [child.stdout, ctx.io.stdout],
      [child.stderr, ctx.io.stderr],
    ] as const
  ).map(([from, to]) =>
    // Backpressure included; a closed terminal or pipe of ours ends the copy, not the run.
    pipeline(from, createRedactor(secretValues), to as unknown as Writable, { end: false }).catch(() => {}),
  );
  const forward = (signal: NodeJS.Signals) => () => {
    child.kill(signal);
  };
  const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  const stopForwarding = () => {
    for (const [s, h] of handlers) process.removeListener(s, h);
  };
  return new Promise<number>((resolve) => {
    let settled = false;
    child.on("error", (err: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      stopForwarding();
      ctx.io.stderr.write(`tessera: cannot start ${safeText(command[0]!)}: ${err.code === "ENOENT" ? "command not found" : err.message}\n`);
      resolve(err.code === "ENOENT" ? 127 : 126);
    });
    child.on("close", async (code, signal) => {
      if (settled) return;
      settled = true;
      await Promise.all(drained);
      stopForwarding();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}

export const registerRun: Registrar = (program, cli) => {
  program
    .command("run")
    .description("Start a command with a workload's environment (secrets included), its output redacted")
    .usage("--workload <name|id> [options] -- <command> [args...]")
    .argument("[command...]", "The command to start, and its arguments (after --)")
    .addOption(new Option("--workload <name|id>", "The workload (or TESSERA_WORKLOAD_ID): the token's own, by name or id"))
    .addHelpText(
      "after",
      `
Takes a workload token only, in TESSERA_TOKEN (never an argument: arguments show in ps). It is
exchanged for a credential that lives at most 15 minutes and opens this workload's environment
only; the token itself is not passed to the command. The workspace is the token's (--workspace,
TESSERA_WORKSPACE or TESSERA_WORKSPACE_ID must name the same one).

The command's stdout and stderr are passed through with every value that comes from a secret
replaced by [redacted:NAME] (values of 4 bytes or more). Variables the workload may not get
(a private secret, a code-loading name) are left out, with a warning on stderr.

With --json, one JSON line goes to stderr before the command starts: the variables set and
redacted (names only), those left out, and when the credential expires.

Exit code: the command's; 127 command not found, 126 cannot start, 128+n killed by signal n;
before it starts, the CLI's own (2 usage, 3 token refused, 7 network, ...).

Example:
  TESSERA_URL=https://tessera.example.com TESSERA_TOKEN=tsr_wkl_… tessera run --workload llama-serve -- python serve.py`,
    )
    .action(async (command: string[], opts: { workload?: string }, cmd: Command) => {
      const ctx = cli.ctx(cmd);
      if (!command.length) throw usage("give the command to run after --, e.g. tessera run --workload my-job -- python train.py");
      const w = await workloadEnv(ctx, "tessera run", opts.workload, explicitWorkspace(ctx, cmd));
      if (ctx.json) {
        ctx.io.stderr.write(
          `${JSON.stringify({
            workspaceId: w.workspaceId,
            workloadId: w.workloadId,
            workloadName: w.workloadName,
            variables: Object.keys(w.env).sort(),
            redacted: [...w.secrets].sort(),
            withheld: w.withheld,
            credentialExpiresAt: w.credentialExpiresAt,
          })}\n`,
        );
      } else warnWithheld(ctx, w);
      cli.exit(await runChild(ctx, command, w));
    });

  program
    .command("env")
    .description("Print a workload's environment (secrets included) for a container or Kubernetes: dotenv, json, shell or k8s-secret")
    .addOption(new Option("--workload <name|id>", "The workload (or TESSERA_WORKLOAD_ID): the token's own, by name or id"))
    .addOption(new Option("--format <format>", "dotenv, json, shell (export lines) or k8s-secret (a Secret manifest)").choices(ENV_FORMATS).default("dotenv"))
    .addOption(new Option("--name <name>", "k8s-secret: the Secret's name (default: the workload's name as a DNS-1123 name)"))
    .addOption(new Option("--namespace <namespace>", "k8s-secret: the Secret's namespace (default: none, kubectl's current)"))
    .addOption(new Option("-o, --output <file>", "Write to this file (readable by you only) instead of stdout"))
    .addHelpText(
      "after",
      `
Takes a workload token only, in TESSERA_TOKEN, like tessera run: people never get values. The
output goes to a pipe or a file, never to a terminal. Variables left out (a private secret, a
code-loading name) are named on stderr.

Formats:
  dotenv      KEY='value' lines, one per variable: single-quoted; a value holding a single quote
              or a line break is double-quoted instead, with \\\\, \\", \\$, \\\`, \\n and \\r escaped.
              Readers differ: docker compose and dotenv libraries remove the quotes and
              unescape; docker run --env-file and kubectl --from-env-file keep the quotes as
              part of the value and do not support multi-line values (json or k8s-secret do)
  json        one object: {"KEY": "value", ...}
  shell       export KEY='value' lines, for eval or source (' written as '\\'')
  k8s-secret  a v1 Secret (type Opaque), every value base64-encoded under data

Examples:
  eval "$(tessera env --workload llama-serve --format shell)" && exec python serve.py
  tessera env --workload llama-serve --format k8s-secret --namespace ml | kubectl apply -f -
  tessera env --workload llama-serve -o .env`,
    )
    .action(async (opts: { workload?: string; format: EnvFormat; name?: string; namespace?: string; output?: string }, cmd: Command) => {
      const ctx = cli.ctx(cmd);
      if (opts.format !== "k8s-secret" && (opts.name || opts.namespace)) throw usage("--name and --namespace go with --format k8s-secret");
      if (opts.name !== undefined && !DNS_SUBDOMAIN.test(opts.name)) throw usage(`--name must be a DNS-1123 name: lower-case letters, digits, "-" and ".", at most 253`);
      if (opts.namespace !== undefined && !DNS_LABEL.test(opts.namespace)) throw usage(`--namespace must be a DNS-1123 label: lower-case letters, digits and "-", at most 63`);
      if (!opts.output && ctx.io.stdout.isTTY) throw usage("tessera env prints secret values: send it to a pipe or a file (-o FILE), not to a terminal");
      const w = await workloadEnv(ctx, "tessera env", opts.workload, explicitWorkspace(ctx, cmd));
      warnWithheld(ctx, w);
      writeOut(ctx, renderEnv(opts.format, w, { name: opts.name, namespace: opts.namespace }), opts.output);
      if (opts.output) ctx.success(`Wrote ${Object.keys(w.env).length} variables to ${opts.output} (${opts.format}).`);
    });
};
