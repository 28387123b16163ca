// tokens list|create|info|renew|rename|assign|cancel|delete.
//
// A token's value is printed once: by `create`, to stdout, alone on its line (so that
// `tessera tokens create … > file` keeps just it), or as the `value` field with --json. Nothing
// else ever prints one. A token is named by its id or, when no other token shares it, its name;
// a workload by its name or id. cancel and delete ask first (--yes skips the question).
import type { Command } from "commander";
import type { CreateTokenInput, TokenOutput, UpdateTokenInput } from "../../schemas/token";
import type { Registrar } from "../main";
import type { Ctx } from "../core/context";
import { usage } from "../core/exit";
import { opCommand, type OpInput } from "../core/op";
import { json, relativeTime, safeText } from "../core/output";
import { confirm } from "../core/prompt";
import { resolveToken, resolveWorkload } from "../core/resolve";

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** "cancelled", "expired 2 d ago", "expires in 29 d (soon)". */
export function tokenState(t: Pick<TokenOutput, "status" | "expired" | "expiresSoon" | "expiresAt">): string {
  if (t.status === "cancelled") return "cancelled";
  if (t.expired) return `expired ${relativeTime(t.expiresAt)}`;
  return `expires ${relativeTime(t.expiresAt)}${t.expiresSoon ? " (soon)" : ""}`;
}

/** Workload names by id, for the tables (ids when the list cannot be read). */
async function workloadNames(ctx: Ctx, tokens: readonly TokenOutput[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (!tokens.some((t) => t.workloadId)) return names;
  try {
    const list = await ctx.client().request("workloads.list", { params: { workspaceId: await ctx.workspaceId() } });
    for (const w of list.data) names.set(w.id, w.name);
  } catch {
    /* ids will do */
  }
  return names;
}

function roleOrWorkload(t: TokenOutput, names: Map<string, string>): string {
  if (t.kind === "workspace") return t.role ?? "-";
  if (t.kind === "workload") return t.workloadId ? `workload ${names.get(t.workloadId) ?? t.workloadId}` : "unassigned";
  return "its creator";
}

function describeToken(t: TokenOutput, names: Map<string, string>): [string, unknown][] {
  return [
    ["ID", t.id],
    ["Name", t.name],
    ["Description", t.description],
    ["Kind", t.kind],
    ["Key", t.partialKey],
    ["Scopes", t.scopes.join(", ")],
    ["Acts as", roleOrWorkload(t, names)],
    ["Status", t.status === "cancelled" ? "cancelled" : t.expired ? "expired" : "active"],
    ["Expires", `${iso(t.expiresAt)} (${relativeTime(t.expiresAt)})`],
    ["Last used", t.lastUsedAt ? `${iso(t.lastUsedAt)} (${relativeTime(t.lastUsedAt)})${t.lastUsedIp ? ` from ${t.lastUsedIp}` : ""}` : "never"],
    ["Created", `${iso(t.createdAt)}${t.createdById ? ` by user ${t.createdById}` : ""}`],
  ];
}

export const registerTokens: Registrar = (program, cli) => {
  const tokens = program
    .command("tokens")
    .description("List, create, renew, rename, assign, cancel and delete API tokens (a value is shown once, at creation)");

  /** tokens.update with one action, on the token the first argument names. */
  const update = async (cmd: Command, input: OpInput, ref: string | TokenOutput, done: (t: TokenOutput) => string) => {
    const ctx = cli.ctx(cmd);
    const token = typeof ref === "string" ? await resolveToken(ctx, ref) : ref;
    const workspaceId = await ctx.workspaceId();
    const after = await ctx.client().request("tokens.update", { params: { workspaceId, tokenId: token.id }, body: input.body as UpdateTokenInput });
    if (ctx.json) ctx.out(json(after));
    ctx.success(done(after));
  };

  opCommand(tokens, "list", "tokens.list", { help: "Columns: name, kind, what it acts as (role or workload), scopes, status and expiry, last use, id." }, async (_input, _opts, cmd) => {
    const ctx = cli.ctx(cmd);
    const workspaceId = await ctx.workspaceId();
    const { data } = await ctx.client().request("tokens.list", { params: { workspaceId } });
    const names = ctx.json ? new Map<string, string>() : await workloadNames(ctx, data);
    ctx.list(
      data,
      [
        { header: "Name", get: (t) => t.name, max: 32 },
        { header: "Kind", get: (t) => t.kind },
        { header: "Role/workload", get: (t) => roleOrWorkload(t, names), max: 40 },
        { header: "Scopes", get: (t) => t.scopes },
        { header: "Status", get: (t) => tokenState(t) },
        { header: "Last used", get: (t) => (t.lastUsedAt ? relativeTime(t.lastUsedAt) : "never") },
        { header: "ID", get: (t) => t.id },
      ],
      "No tokens yet: tessera tokens create <name> --kind workspace",
    );
  });

  opCommand(
    tokens,
    "create",
    "tokens.create",
    {
      args: ["<name>"],
      flags: { workloadId: "workload" },
      help: `Here --kind defaults to workspace, or workload with --workload (a name or an id). User tokens are
made by signed-in users for themselves: in the dashboard, or with tessera login --web.

The value is printed once, to stdout, alone on its line; with --json it is the "value" field.
It is never shown again: store it in a secret manager.

Examples:
  tessera tokens create ci-deploy --role member --expires-in-days 90 > ci-token.txt
  tessera tokens create llama-runner --workload llama-serve --expires-in-days 30
  tessera tokens create auditor --scopes read --json | jq -r .value`,
    },
    async (input, _opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const workspaceId = await ctx.workspaceId();
      const body = { ...input.body } as CreateTokenInput;
      let workloadName: string | undefined;
      if (typeof body.workloadId === "string") {
        const w = await resolveWorkload(ctx, body.workloadId);
        body.workloadId = w.id;
        workloadName = w.name;
      }
      body.kind ??= body.workloadId ? "workload" : "workspace";
      const created = await ctx.client().request("tokens.create", { params: { workspaceId }, body });
      // The one place a value is printed: stdout only, alone on its line (or a field of the JSON).
      ctx.out(ctx.json ? json(created) : `${created.value}\n`);
      const what = created.kind === "workspace" ? `role ${created.role}` : created.kind === "workload" ? (workloadName ? `workload ${safeText(workloadName)}` : "unassigned") : "its user";
      ctx.success(`Created ${created.kind} token "${safeText(created.name)}" (${created.id}; ${what}; scopes ${created.scopes.join(", ")}; expires ${relativeTime(created.expiresAt)}).`);
      ctx.note(`The value${ctx.json ? ' ("value" above)' : " above"} is shown this once and will not be shown again: store it now.`);
    },
  );

  opCommand(tokens, "info", "tokens.get", { args: ["<tokenId>"] }, async (input, _opts, cmd) => {
    const ctx = cli.ctx(cmd);
    const token = await resolveToken(ctx, String(input.params.tokenId));
    if (ctx.json) return ctx.out(json(token));
    ctx.item(token, describeToken(token, await workloadNames(ctx, [token])));
  });

  opCommand(
    tokens,
    "renew",
    "tokens.update",
    { args: ["<tokenId>"], fixed: { action: "renew" }, help: "Without --expires-in-days or --expires-at the token gets the workspace's default token expiry from now (1 day unless an admin changed it). The value stays the same." },
    (input, _opts, cmd) => update(cmd, input, String(input.params.tokenId), (t) => `Renewed token "${safeText(t.name)}": it expires ${relativeTime(t.expiresAt)} (${iso(t.expiresAt)}).`),
  ).description("Renew a token: a new expiry from now (the value stays the same)");

  opCommand(
    tokens,
    "rename",
    "tokens.update",
    { args: ["<tokenId>", "<name>"], fixed: { action: "rename" } },
    (input, _opts, cmd) => update(cmd, input, String(input.params.tokenId), (t) => `Renamed the token to "${safeText(t.name)}".`),
  ).description("Rename a token (and change its description)");

  const assign = opCommand(
    tokens,
    "assign",
    "tokens.update",
    {
      args: ["<tokenId>", "[workloadId]"],
      argHelp: { workloadId: "The workload's name or id (or --none)" },
      fixed: { action: "reassign" },
      help: `Binds a workload token to a workload (a name or an id), or with --none to no workload.
You become its binder: a private secret of yours on that workload opens for it.

Examples:
  tessera tokens assign llama-runner llama-serve
  tessera tokens assign llama-runner --none`,
    },
    async (input, opts, cmd) => {
      const ref = input.body.workloadId as string | undefined;
      if (opts.none && ref !== undefined) throw usage("give a workload or --none, not both");
      if (!opts.none && ref === undefined) throw usage("give the workload to assign the token to, or --none to unassign it");
      const ctx = cli.ctx(cmd);
      let name: string | undefined;
      if (ref !== undefined) {
        const w = await resolveWorkload(ctx, ref);
        input.body.workloadId = w.id;
        name = w.name;
      } else input.body.workloadId = null;
      await update(cmd, input, String(input.params.tokenId), (t) => (name ? `Token "${safeText(t.name)}" is now bound to workload ${safeText(name)}.` : `Token "${safeText(t.name)}" is now unassigned.`));
    },
  );
  assign.description("Assign a workload token to a workload, or to none (--none)").option("--none", "Unassign the token (bind it to no workload)");

  opCommand(
    tokens,
    "cancel",
    "tokens.update",
    { args: ["<tokenId>"], fixed: { action: "cancel" }, help: "Asks first; --yes skips the question (required without a terminal)." },
    async (input, _opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const token = await resolveToken(ctx, String(input.params.tokenId));
      await confirm(ctx.io, `Cancel ${token.kind} token "${safeText(token.name)}" (${token.partialKey})? It stops working at once and for good`, { yes: ctx.yes });
      await update(cmd, input, token, (t) => `Cancelled token "${safeText(t.name)}".`);
    },
  ).description("Cancel a token: it stops working at once and for good (it stays listed)");

  opCommand(tokens, "delete", "tokens.delete", { args: ["<tokenId>"], help: "Asks first; --yes skips the question (required without a terminal)." }, async (input, _opts, cmd) => {
    const ctx = cli.ctx(cmd);
    const token = await resolveToken(ctx, String(input.params.tokenId));
    await confirm(ctx.io, `Delete ${token.kind} token "${safeText(token.name)}" (${token.partialKey})? It stops working at once and leaves the lists`, { yes: ctx.yes });
    const done = await ctx.client().request("tokens.delete", { params: { workspaceId: await ctx.workspaceId(), tokenId: token.id } });
    if (ctx.json) ctx.out(json(done));
    ctx.success(`Deleted token "${safeText(token.name)}".`);
  });
};
