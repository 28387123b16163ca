// secrets list|create|info|replace|rename|update|rm|check|import.
//
// Values are write-only. One goes in from stdin (--stdin, or anything piped), from a file
// (--file PATH), or from a prompt that does not echo; never from an argument, which would land in
// shell history and in `ps`: there is no --value flag. One trailing newline is dropped (echo and
// most editors add one). No command prints a value, and no error quotes one. A secret is named by
// its name or its id.
//
// `import FILE.env` reads a dotenv file (lib/secrets/dotenv.ts). Each KEY becomes the secret
// named KEY (with --prefix, PREFIX + KEY), whose variable name (envName) is KEY: secret names take
// letters, digits, ".", "_" and "-", so a variable name is a valid secret name as it is, as long
// as it starts with a letter or digit and is at most 64 characters. A secret of that name that
// exists gets the new value (replace), unless --no-replace. The whole file is checked first: one
// bad line and nothing is sent.
import { readFileSync, statSync } from "node:fs";
import type { Command } from "commander";
import { envNameSchema, secretNameSchema, secretValueSchema, type SecretOutput } from "../../schemas/secret";
import type { Registrar } from "../main";
import type { Ctx } from "../core/context";
import { parseDotenv } from "../../secrets/dotenv";
import { CliError, EXIT, usage } from "../core/exit";
import { opCommand, type OpInput } from "../core/op";
import { json, relativeTime, safeText } from "../core/output";
import { confirm, readHidden, readStdin } from "../core/prompt";
import { resolveSecret } from "../core/resolve";

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
const MAX_INPUT_BYTES = 1024 * 1024;

type ValueOpts = { stdin?: boolean; file?: string };

/** Reads a whole file as text (a value or a dotenv file), with one clear line when it cannot. */
function readTextFile(file: string, what: string): string {
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new CliError(`${file} is not a file`, EXIT.USAGE);
    if (st.size > MAX_INPUT_BYTES) throw new CliError(`${file} is larger than ${MAX_INPUT_BYTES} bytes: not a ${what}`, EXIT.USAGE);
    return readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof CliError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (code ?? "unreadable")}`, EXIT.USAGE);
  }
}

/** A value, from --file, stdin (--stdin or piped) or a prompt without echo: never an argument. */
async function readValue(ctx: Ctx, opts: ValueOpts, prompt: string): Promise<string> {
  if (opts.stdin && opts.file !== undefined) throw usage("give --stdin or --file, not both");
  let value: string;
  if (opts.file !== undefined) value = readTextFile(opts.file, "secret value").replace(/\r?\n$/, "");
  else if (opts.stdin || !ctx.io.stdin.isTTY) value = await readStdin(ctx.io, MAX_INPUT_BYTES);
  else value = await readHidden(ctx.io, `${prompt} (it will not show): `);
  if (!value) throw usage(`the value is empty: pipe it to stdin, give --file PATH, or run in a terminal to type it`);
  return value;
}

/** The value options every command that takes a value has. */
function valueOptions(cmd: Command): Command {
  return cmd
    .option("--stdin", "Read the value from stdin (the default when stdin is not a terminal)")
    .option("--file <path>", "Read the value from a file (one trailing newline is dropped)");
}

const VALUE_HELP = `The value comes from stdin (--stdin, or anything piped), from --file PATH, or from a prompt
that does not echo. Never from an argument: it would land in shell history. It is never printed.`;

function describeSecret(s: SecretOutput): [string, unknown][] {
  return [
    ["ID", s.id],
    ["Name", s.name],
    ["Variable", s.envName],
    ["Preset", s.preset],
    ["Visibility", s.orphaned ? `${s.visibility} (a former member's: it can only be deleted)` : s.visibility],
    ["Version", s.version],
    ["Expires", s.expiresAt ? `${iso(s.expiresAt)} (${s.expired ? "expired " : ""}${relativeTime(s.expiresAt)}${s.expiresSoon && !s.expired ? ", soon" : ""})` : "never"],
    ["Created", `${iso(s.createdAt)}${s.createdById ? ` by user ${s.createdById}` : ""}`],
    ["Updated", `${iso(s.updatedAt)} (${relativeTime(s.updatedAt)})`],
  ];
}

const expiry = (s: SecretOutput) => (s.expiresAt ? `${s.expired ? "expired " : ""}${relativeTime(s.expiresAt)}${s.expiresSoon && !s.expired ? " (soon)" : ""}` : "-");

export const registerSecrets: Registrar = (program, cli) => {
  const secrets = program
    .command("secrets")
    .description("Create, replace, rename, check, import and delete secrets (values are write-only: never shown)");

  const warnAll = (ctx: Ctx, warnings: readonly string[]) => {
    for (const w of warnings) ctx.warn(safeText(w));
  };

  opCommand(secrets, "list", "secrets.list", { help: "Columns: name, variable, visibility, preset, version, expiry, last change, id. Never a value." }, async (_input, _opts, cmd) => {
    const ctx = cli.ctx(cmd);
    const { data } = await ctx.client().request("secrets.list", { params: { workspaceId: await ctx.workspaceId() } });
    ctx.list(
      data,
      [
        { header: "Name", get: (s) => s.name, max: 40 },
        { header: "Variable", get: (s) => s.envName, max: 40 },
        { header: "Visibility", get: (s) => (s.orphaned ? "private (former member)" : s.visibility) },
        { header: "Preset", get: (s) => s.preset },
        { header: "Version", get: (s) => s.version },
        { header: "Expires", get: expiry },
        { header: "Updated", get: (s) => relativeTime(s.updatedAt) },
        { header: "ID", get: (s) => s.id },
      ],
      "No secrets yet: tessera secrets create <name> < value.txt",
    );
  });

  valueOptions(
    opCommand(
      secrets,
      "create",
      "secrets.create",
      {
        args: ["<name>"],
        handled: ["value"],
        help: `${VALUE_HELP}

Examples:
  tessera secrets create hf-token --preset huggingface --visibility public < hf.txt
  pass show openai | tessera secrets create openai-key --env-name OPENAI_API_KEY
  tessera secrets create deploy-key --file ~/.ssh/id_ed25519.pub --preset ssh-public-key
  tessera secrets create db-password          (asks for the value; nothing is echoed)`,
      },
      async (input, opts, cmd) => {
        const ctx = cli.ctx(cmd);
        const workspaceId = await ctx.workspaceId();
        const value = await readValue(ctx, opts as ValueOpts, `Value of ${safeText(String(input.body.name))}`);
        const saved = await ctx.client().request("secrets.create", { params: { workspaceId }, body: { ...(input.body as { name: string }), value } });
        if (ctx.json) ctx.out(json(saved));
        warnAll(ctx, saved.warnings);
        const s = saved.secret;
        ctx.success(`Created ${s.visibility} secret "${safeText(s.name)}"${s.envName ? ` (as $${s.envName})` : ""}, version ${s.version}.`);
      },
    ),
  );

  opCommand(secrets, "info", "secrets.get", { args: ["<secretId>"] }, async (input, _opts, cmd) => {
    const ctx = cli.ctx(cmd);
    const secret = await resolveSecret(ctx, String(input.params.secretId));
    if (ctx.json) return ctx.out(json(secret));
    ctx.item(secret, describeSecret(secret));
  });

  valueOptions(
    opCommand(
      secrets,
      "replace",
      "secrets.replaceValue",
      { args: ["<secretId>"], handled: ["value"], help: `${VALUE_HELP}\n\nExample:\n  tessera secrets replace hf-token --file new-token.txt` },
      async (input, opts, cmd) => {
        const ctx = cli.ctx(cmd);
        const secret = await resolveSecret(ctx, String(input.params.secretId));
        const value = await readValue(ctx, opts as ValueOpts, `New value of ${safeText(secret.name)}`);
        const saved = await ctx.client().request("secrets.replaceValue", { params: { workspaceId: await ctx.workspaceId(), secretId: secret.id }, body: { value } });
        if (ctx.json) ctx.out(json(saved));
        warnAll(ctx, saved.warnings);
        ctx.success(`Replaced the value of "${safeText(saved.secret.name)}": now version ${saved.secret.version}.`);
      },
    ),
  );

  /** secrets.update on the secret the first argument names, with the flags given. */
  const update = async (cmd: Command, input: OpInput) => {
    const ctx = cli.ctx(cmd);
    if (!Object.keys(input.body).length) throw usage("nothing to change: give --name, --env-name, --visibility or --expires-at");
    const secret = await resolveSecret(ctx, String(input.params.secretId));
    const after = await ctx.client().request("secrets.update", { params: { workspaceId: await ctx.workspaceId(), secretId: secret.id }, body: input.body });
    if (ctx.json) ctx.out(json(after));
    const changed = Object.keys(input.body).map((k) => ({ name: "name", envName: "variable", visibility: "visibility", expiresAt: "expiry" })[k] ?? k);
    ctx.success(`Updated secret "${safeText(after.name)}" (${changed.join(", ")}).`);
  };

  opCommand(
    secrets,
    "rename",
    "secrets.update",
    { args: ["<secretId>", "<name>"], help: "The value is re-encrypted under the new name, as a new version. Workloads keep their variables (they name the secret by id)." },
    (input, _opts, cmd) => update(cmd, input),
  ).description("Rename a secret (the value is re-encrypted under the new name)");

  opCommand(
    secrets,
    "update",
    "secrets.update",
    {
      args: ["<secretId>"],
      help: `Settings only: the value is changed with tessera secrets replace.

Examples:
  tessera secrets update hf-token --visibility public --env-name HUGGING_FACE_HUB_TOKEN
  tessera secrets update hf-token --expires-at 2027-01-31T00:00:00Z
  tessera secrets update hf-token --expires-at none --env-name none`,
    },
    (input, _opts, cmd) => update(cmd, input),
  ).description("Change a secret's settings: variable name, visibility, expiry (not its value: see replace)");

  opCommand(
    secrets,
    "rm",
    "secrets.delete",
    { args: ["<secretId>"], help: "Asks first; --yes skips the question (required without a terminal). Refused while workloads use the secret: unbind it first." },
    async (input, _opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const secret = await resolveSecret(ctx, String(input.params.secretId));
      await confirm(ctx.io, `Delete secret "${safeText(secret.name)}" and its value? This cannot be undone`, { yes: ctx.yes });
      const done = await ctx.client().request("secrets.delete", { params: { workspaceId: await ctx.workspaceId(), secretId: secret.id } });
      if (ctx.json) ctx.out(json(done));
      ctx.success(`Deleted secret "${safeText(secret.name)}".`);
    },
  ).alias("delete");

  valueOptions(
    opCommand(
      secrets,
      "check",
      "secrets.match",
      {
        args: ["<secretId>"],
        handled: ["value"],
        help: `${VALUE_HELP}

Prints "match" or "no match" and exits 0 when the value matches, 1 when it does not (as grep does),
so that a script can test it. Example: tessera secrets check hf-token < leaked.txt && echo rotate it`,
      },
      async (input, opts, cmd) => {
        const ctx = cli.ctx(cmd);
        const secret = await resolveSecret(ctx, String(input.params.secretId));
        const value = await readValue(ctx, opts as ValueOpts, `Value to compare with ${safeText(secret.name)}`);
        const { match } = await ctx.client().request("secrets.match", { params: { workspaceId: await ctx.workspaceId(), secretId: secret.id }, body: { value } });
        ctx.out(ctx.json ? json({ secret: { id: secret.id, name: secret.name }, match }) : `${match ? "match" : "no match"}\n`);
        if (!match) cli.exit(EXIT.ERROR);
      },
    ),
  );

  const importCmd = opCommand(
    secrets,
    "import",
    "secrets.create",
    {
      handled: ["name", "value", "envName"],
      help: `Reads a dotenv file: KEY=VALUE lines, "export KEY=VALUE", values in double quotes (with \\n escapes)
or single quotes (taken as is; both may span lines), # comments and blank lines; no \${VAR} expansion.
The whole file is checked first: a bad line is reported with its number and nothing is imported.

Each KEY becomes the secret named KEY (or PREFIX + KEY with --prefix), with KEY as its variable name.
A secret of that name that exists gets the new value (its settings stay), unless --no-replace, which
skips it. --preset, --visibility and --expires-at apply to the secrets created. Values are never shown.

Examples:
  tessera secrets import .env.production --visibility public
  tessera secrets import staging.env --prefix staging- --no-replace`,
    },
    async (input, opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const file = cmd.args[0]!;
      const prefix = (opts.prefix as string | undefined) ?? "";
      const text = readTextFile(file, "dotenv file");
      const { entries, errors } = parseDotenv(text);
      for (const e of entries) {
        const name = `${prefix}${e.key}`;
        const bad = secretNameSchema.safeParse(name).error ?? envNameSchema.safeParse(e.key).error ?? secretValueSchema.safeParse(e.value).error;
        if (bad) {
          const which = secretNameSchema.safeParse(name).success ? (envNameSchema.safeParse(e.key).success ? "the value" : `the variable name ${e.key}`) : `the secret name "${safeText(name)}"`;
          errors.push({ line: e.line, message: `${which} ${bad.issues[0]?.message ?? "is not valid"}` });
        }
      }
      if (errors.length) {
        for (const err of errors.sort((a, b) => a.line - b.line)) ctx.note(`${safeText(file)}:${err.line}: ${err.message}`);
        throw new CliError(`${file}: ${errors.length} bad line${errors.length === 1 ? "" : "s"}; nothing was imported`, EXIT.USAGE);
      }
      if (!entries.length) throw new CliError(`${file} has no KEY=VALUE line: nothing to import`, EXIT.USAGE);

      const workspaceId = await ctx.workspaceId();
      const client = ctx.client();
      const existing = new Map((await client.request("secrets.list", { params: { workspaceId } })).data.map((s) => [s.name, s]));
      const done = { created: [] as string[], replaced: [] as string[], skipped: [] as string[] };
      const summary = () => `${done.created.length} created, ${done.replaced.length} replaced, ${done.skipped.length} skipped`;
      for (const e of entries) {
        const name = `${prefix}${e.key}`;
        const found = existing.get(name);
        try {
          if (found && !opts.replace) {
            done.skipped.push(name);
            ctx.note(`  skipped  ${safeText(name)} (exists)`);
          } else if (found) {
            const saved = await client.request("secrets.replaceValue", { params: { workspaceId, secretId: found.id }, body: { value: e.value } });
            done.replaced.push(name);
            ctx.note(`  replaced ${safeText(name)} (version ${saved.secret.version})`);
            warnAll(ctx, saved.warnings.map((w) => `${name}: ${w}`));
          } else {
            const saved = await client.request("secrets.create", { params: { workspaceId }, body: { ...input.body, name, envName: e.key, value: e.value } });
            done.created.push(name);
            ctx.note(`  created  ${safeText(name)} (${saved.secret.visibility}, as $${e.key})`);
            warnAll(ctx, saved.warnings.map((w) => `${name}: ${w}`));
          }
        } catch (err) {
          ctx.note(`  failed   ${safeText(name)} (line ${e.line}); stopped after ${summary()}`);
          throw err;
        }
      }
      if (ctx.json) ctx.out(json(done));
      ctx.success(`Imported ${safeText(file)}: ${summary()}.`);
    },
  );
  importCmd.description("Create or replace secrets from a dotenv file (KEY=VALUE lines)");
  importCmd.argument("<file>", "The dotenv file (KEY=VALUE lines)");
  importCmd.option("--prefix <text>", "Put this before each KEY to make the secret's name (the variable name stays KEY)");
  importCmd.option("--no-replace", "Skip the secrets that exist (default: replace their values)");
};
