// workloads list|create|info|update|bind|unbind|delete.
//
// A workload's variables are a list that workloads.update replaces whole: `bind` and `unbind`
// read the workload, change one variable and send the list back (the other variables as they
// were, secrets by id). A variable takes a secret (--secret, a name or an id) or a literal value
// (--value): literal values are configuration, shown to every member, never secrets. Workloads and
// secrets are named by name or id. delete asks first (--yes skips the question).
import type { Command } from "commander";
import { envNameSchema, type WorkloadOutput } from "../../schemas/secret";
import type { Registrar } from "../main";
import type { Ctx } from "../core/context";
import { CliError, EXIT, usage } from "../core/exit";
import { opCommand } from "../core/op";
import { json, relativeTime, safeText, table } from "../core/output";
import { confirm } from "../core/prompt";
import { resolveSecret, resolveWorkload } from "../core/resolve";

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

type BindingInput = { envName: string; value: string } | { envName: string; secretId: string };

/** The workload's variables as an update takes them: literal values as they are, secrets by id. */
const asInput = (w: WorkloadOutput): BindingInput[] => w.bindings.map((b) => (b.secret ? { envName: b.envName, secretId: b.secret.id } : { envName: b.envName, value: b.value ?? "" }));

function checkEnvName(name: string): string {
  const r = envNameSchema.safeParse(name);
  if (!r.success) throw usage(`${safeText(name)}: ${r.error.issues[0]?.message ?? "not a variable name"}`);
  return r.data;
}

/** NAME=VALUE (literal) or NAME=SECRET (name or id), from --env and --env-secret. */
function splitPair(pair: string, flag: string): [string, string] {
  const i = pair.indexOf("=");
  if (i <= 0) throw usage(`${flag} takes NAME=${flag === "--env" ? "VALUE" : "SECRET"}`);
  return [checkEnvName(pair.slice(0, i)), pair.slice(i + 1)];
}

const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

function bindingText(b: WorkloadOutput["bindings"][number]): string {
  if (!b.secret) return `value ${JSON.stringify(b.value ?? "")}`;
  if (b.secret.name === null) return "another member's private secret";
  return `secret ${b.secret.name} (${b.secret.visibility}${b.secret.formerMember ? ", a former member's: bind another" : ""})`;
}

function describeWorkload(w: WorkloadOutput): [string, unknown][] {
  const active = w.tokens.filter((t) => t.status === "active");
  return [
    ["ID", w.id],
    ["Name", w.name],
    ["Kind", w.kind],
    ["Description", w.description],
    ["Variables", w.bindings.length ? w.bindings.map((b) => b.envName).join(", ") : "none"],
    ["Tokens", w.tokens.length ? `${active.length} active of ${w.tokens.length}: ${w.tokens.map((t) => `${t.name} (${t.partialKey}, ${t.status})`).join(", ")}` : "none"],
    ["Created", iso(w.createdAt)],
    ["Updated", `${iso(w.updatedAt)} (${relativeTime(w.updatedAt)})`],
  ];
}

export const registerWorkloads: Registrar = (program, cli) => {
  const workloads = program.command("workloads").description("Workloads (endpoints, jobs, pods) and the variables they get: literal values and secrets");

  /** Sends new variables for the workload; prints the result with --json. */
  const setBindings = async (ctx: Ctx, w: WorkloadOutput, bindings: BindingInput[]): Promise<WorkloadOutput> => {
    const after = await ctx.client().request("workloads.update", { params: { workspaceId: await ctx.workspaceId(), workloadId: w.id }, body: { bindings } });
    if (ctx.json) ctx.out(json(after));
    return after;
  };

  opCommand(workloads, "list", "workloads.list", { help: "Columns: name, kind, variables, active tokens, last change, id." }, async (_input, _opts, cmd) => {
    const ctx = cli.ctx(cmd);
    const { data } = await ctx.client().request("workloads.list", { params: { workspaceId: await ctx.workspaceId() } });
    ctx.list(
      data,
      [
        { header: "Name", get: (w) => w.name },
        { header: "Kind", get: (w) => w.kind },
        { header: "Variables", get: (w) => w.bindings.map((b) => b.envName), max: 48 },
        { header: "Tokens", get: (w) => w.tokens.filter((t) => t.status === "active").length },
        { header: "Updated", get: (w) => relativeTime(w.updatedAt) },
        { header: "ID", get: (w) => w.id },
      ],
      "No workloads yet: tessera workloads create <name> --kind job",
    );
  });

  const create = opCommand(
    workloads,
    "create",
    "workloads.create",
    {
      args: ["<name>"],
      handled: ["bindings"],
      help: `Variables: --env NAME=VALUE for a literal value (configuration, shown to every member), and
--env-secret NAME=SECRET for a secret (a name or an id); both may be repeated. Add or change them
later with tessera workloads bind.

Example:
  tessera workloads create llama-serve --kind endpoint --env-secret HF_TOKEN=hf-token --env MODEL_ID=meta-llama/Llama-3.1-8B`,
    },
    async (input, opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const bindings: BindingInput[] = [];
      for (const pair of (opts.env as string[] | undefined) ?? []) {
        const [envName, value] = splitPair(pair, "--env");
        bindings.push({ envName, value });
      }
      for (const pair of (opts.envSecret as string[] | undefined) ?? []) {
        const [envName, ref] = splitPair(pair, "--env-secret");
        bindings.push({ envName, secretId: (await resolveSecret(ctx, ref)).id });
      }
      const body = { ...(input.body as { name: string; kind: WorkloadOutput["kind"] }), bindings };
      const w = await ctx.client().request("workloads.create", { params: { workspaceId: await ctx.workspaceId() }, body });
      if (ctx.json) ctx.out(json(w));
      ctx.success(`Created ${w.kind} "${safeText(w.name)}" (${w.id})${w.bindings.length ? ` with ${w.bindings.map((b) => b.envName).join(", ")}` : ""}.`);
      if (!ctx.json) ctx.note(ctx.style.dim(`Next: a workload token for it, tessera tokens create ${w.name}-runner --workload ${w.name}`));
    },
  );
  create.option("--env <NAME=VALUE>", "A variable with a literal value (repeatable)", collect);
  create.option("--env-secret <NAME=SECRET>", "A variable from a secret, by name or id (repeatable)", collect);

  opCommand(workloads, "info", "workloads.get", { args: ["<workloadId>"] }, async (input, _opts, cmd) => {
    const ctx = cli.ctx(cmd);
    const w = await resolveWorkload(ctx, String(input.params.workloadId));
    if (ctx.json) return ctx.out(json(w));
    ctx.item(w, describeWorkload(w));
    if (w.bindings.length) {
      ctx.out("\n");
      ctx.out(table(w.bindings, [{ header: "Variable", get: (b) => b.envName }, { header: "From", get: bindingText, max: 80 }], ctx.style));
    }
  });

  opCommand(
    workloads,
    "update",
    "workloads.update",
    { args: ["<workloadId>"], handled: ["bindings"], help: "Variables change with tessera workloads bind and unbind." },
    async (input, _opts, cmd) => {
      const ctx = cli.ctx(cmd);
      if (!Object.keys(input.body).length) throw usage("nothing to change: give --name, --kind or --description");
      const w = await resolveWorkload(ctx, String(input.params.workloadId));
      const after = await ctx.client().request("workloads.update", { params: { workspaceId: await ctx.workspaceId(), workloadId: w.id }, body: input.body });
      if (ctx.json) ctx.out(json(after));
      ctx.success(`Updated workload "${safeText(after.name)}".`);
    },
  ).description("Change a workload's name, kind or description");

  const bind = opCommand(
    workloads,
    "bind",
    "workloads.update",
    {
      args: ["<workloadId>"],
      handled: ["bindings", "name", "kind", "description"],
      help: `Sets one variable of the workload, keeping the others: from a secret (--secret, a name or an id),
or a literal value (--value: configuration only, shown to every member; never put a secret there).
A variable of that name is replaced.

Examples:
  tessera workloads bind llama-serve HF_TOKEN --secret hf-token
  tessera workloads bind llama-serve MODEL_ID --value meta-llama/Llama-3.1-8B-Instruct`,
    },
    async (_input, opts, cmd: Command) => {
      const ctx = cli.ctx(cmd);
      const envName = checkEnvName(cmd.args[1]!);
      const secretRef = opts.secret as string | undefined;
      const value = opts.value as string | undefined;
      if ((secretRef === undefined) === (value === undefined)) throw usage("give --secret <name|id> or --value <text> (one of them)");
      const w = await resolveWorkload(ctx, cmd.args[0]!);
      const secret = secretRef !== undefined ? await resolveSecret(ctx, secretRef) : undefined;
      const next: BindingInput = secret ? { envName, secretId: secret.id } : { envName, value: value! };
      const bindings = asInput(w);
      const at = bindings.findIndex((b) => b.envName === envName);
      if (at >= 0) bindings[at] = next;
      else bindings.push(next);
      await setBindings(ctx, w, bindings);
      ctx.success(`${at >= 0 ? "Changed" : "Added"} ${envName} of "${safeText(w.name)}": ${secret ? `secret ${safeText(secret.name)}` : "a literal value"}.`);
    },
  );
  bind.description("Set one variable of a workload: from a secret, or a literal value");
  bind.argument("<ENV_NAME>", "The environment variable's name");
  bind.option("--secret <secret>", "The secret the variable gets, by name or id");
  bind.option("--value <text>", "A literal value instead (configuration, not a secret: shown to every member)");

  const unbind = opCommand(
    workloads,
    "unbind",
    "workloads.update",
    { args: ["<workloadId>"], handled: ["bindings", "name", "kind", "description"], help: "Removes one variable of the workload, keeping the others. The secret itself stays." },
    async (_input, _opts, cmd: Command) => {
      const ctx = cli.ctx(cmd);
      const envName = checkEnvName(cmd.args[1]!);
      const w = await resolveWorkload(ctx, cmd.args[0]!);
      const bindings = asInput(w);
      if (!bindings.some((b) => b.envName === envName)) throw new CliError(`workload "${safeText(w.name)}" has no variable ${envName}`, EXIT.NOT_FOUND);
      await setBindings(
        ctx,
        w,
        bindings.filter((b) => b.envName !== envName),
      );
      ctx.success(`Removed ${envName} from "${safeText(w.name)}".`);
    },
  );
  unbind.description("Remove one variable from a workload");
  unbind.argument("<ENV_NAME>", "The environment variable's name");

  opCommand(
    workloads,
    "delete",
    "workloads.delete",
    { args: ["<workloadId>"], help: "Asks first; --yes skips the question (required without a terminal). Its workload tokens are cancelled; the secrets stay." },
    async (input, _opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const w = await resolveWorkload(ctx, String(input.params.workloadId));
      const live = w.tokens.filter((t) => t.status === "active").length;
      await confirm(ctx.io, `Delete workload "${safeText(w.name)}"${live ? ` and cancel its ${live} workload token${live === 1 ? "" : "s"}` : ""}?`, { yes: ctx.yes });
      const done = await ctx.client().request("workloads.delete", { params: { workspaceId: await ctx.workspaceId(), workloadId: w.id } });
      if (ctx.json) ctx.out(json(done));
      ctx.success(`Deleted workload "${safeText(w.name)}"${done.tokensCancelled ? `; ${done.tokensCancelled} workload token${done.tokensCancelled === 1 ? "" : "s"} cancelled` : ""}.`);
    },
  );
};
