// workspaces list|create|use|info|rename|delete, and activation: request (owners and admins) and
// list|approve|reject (platform admins).
//
// A token acts in one workspace: `list` shows it, `use <id>` keeps a workspace in the profile after
// checking that the token can open it, and `create` makes a new one that another token (for
// example `tessera login --web -w <id>`) works in. `delete` asks first (--yes skips the question)
// and sends the workspace's name as the API's confirmation. The activation review needs a platform
// admin's user token with the `platform` scope; the server's 403 says so.
import type { Command } from "commander";
import type { WorkspaceOutput } from "../../schemas/workspace";
import type { Registrar } from "../main";
import type { Ctx } from "../core/context";
import { opCommand, type OpInput } from "../core/op";
import { json, relativeTime, safeText } from "../core/output";
import { confirm } from "../core/prompt";

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
const when = (d: Date | null) => (d ? `${iso(d)} (${relativeTime(d)})` : null);

export function describeWorkspace(w: WorkspaceOutput): [string, unknown][] {
  const a = w.activation;
  const pairs: [string, unknown][] = [
    ["ID", w.id],
    ["Name", w.name],
    ["Status", w.status],
    ["Role", w.role ?? "-"],
    ["Personal", w.personal ? "yes" : "no"],
  ];
  if (a.requestedAt || a.organisation) {
    pairs.push(["Organisation", a.organisation], ["Use case", a.useCase], ["Requested", when(a.requestedAt)], ["Reviewed", when(a.reviewedAt)]);
    if (a.rejectionReason) pairs.push(["Rejected because", a.rejectionReason]);
  }
  pairs.push(
    ["SSO domain", w.sso.domain ?? "none"],
    ["SSO role", w.sso.defaultRole],
    ["SSO required", w.sso.required ? "yes" : "no"],
    ["2FA required", w.requireMfa ? "yes (password members)" : "no"],
    ["Token lifetime", `${w.defaultTokenExpiryDays} d by default, at most ${w.maxTokenLifetimeDays} d`],
    ["Audit kept", w.auditRetentionDays === null ? "forever" : `${w.auditRetentionDays} d`],
    ["Loader vars", w.allowedEnvNames.length ? w.allowedEnvNames : "none allowed"],
    ["Created", when(w.createdAt)],
    ["Updated", when(w.updatedAt)],
  );
  return pairs;
}

export const registerWorkspaces: Registrar = (program, cli) => {
  const workspaces = program.command("workspaces").description("List, create, choose, inspect and delete workspaces; activation requests and their review");

  /** Prints a workspace (JSON with --json) and a line for people. */
  const show = (ctx: Ctx, w: WorkspaceOutput, message?: string) => {
    ctx.item(w, describeWorkspace(w));
    if (message) ctx.success(message);
  };

  /** The workspace a command acts on: its argument, else the context's (-w, the profile, the token's). */
  const target = async (ctx: Ctx, input: OpInput) => (input.params.workspaceId as string | undefined) ?? (await ctx.workspaceId());

  opCommand(workspaces, "list", "workspaces.list", { help: "A token belongs to one workspace: this lists the token's own. * marks the profile's." }, async (_input, _opts, cmd) => {
    const ctx = cli.ctx(cmd);
    const { data } = await ctx.client().request("workspaces.list");
    const current = ctx.tokenSource === "profile" ? ctx.profile.workspace : undefined;
    ctx.list(
      data,
      [
        { header: "", get: (w) => (w.id === current ? "*" : " ") },
        { header: "Name", get: (w) => w.name, max: 40 },
        { header: "Status", get: (w) => w.status },
        { header: "Role", get: (w) => w.role },
        { header: "Personal", get: (w) => (w.personal ? "yes" : "") },
        { header: "ID", get: (w) => w.id },
      ],
      "No workspaces (a workload token sees none).",
    );
  });

  opCommand(
    workspaces,
    "create",
    "workspaces.create",
    {
      args: ["<name>"],
      help: `The new workspace is pending until a platform admin activates it. Your token still acts only
in its own workspace: to work in the new one, log in to it (tessera login --web -w <id>).

Example:
  tessera workspaces create "Inference team"`,
    },
    async (input, _opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const w = await ctx.client().request("workspaces.create", { body: input.body as { name: string } });
      show(ctx, w, `Created workspace "${safeText(w.name)}" (${w.status}). To work in it: tessera login --web -w ${w.id}`);
    },
  );

  opCommand(
    workspaces,
    "use",
    "workspaces.get",
    {
      args: ["<workspaceId>"],
      summary: "Choose the workspace later commands act in (kept in the profile)",
      help: "Checks that the token can open the workspace, then keeps it in the profile: later commands act there (-w overrides it).",
    },
    async (input, _opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const w = await ctx.client().request("workspaces.get", { params: { workspaceId: input.params.workspaceId as string } });
      if (ctx.tokenSource === "env") ctx.warn("the token comes from TESSERA_TOKEN: the profile's workspace applies to the profile's own token only (set TESSERA_WORKSPACE instead)");
      ctx.saveProfile((p) => ({ ...p, url: p.url ?? ctx.url, workspace: w.id }));
      if (ctx.json) ctx.out(json(w));
      ctx.success(`Profile "${ctx.profileName}" now uses workspace "${safeText(w.name)}" (${w.id}).`);
    },
  );

  opCommand(workspaces, "info", "workspaces.get", { args: ["[workspaceId]"], help: "Without an id: the workspace commands act in (-w, the profile's, or the token's)." }, async (input, _opts, cmd) => {
    const ctx = cli.ctx(cmd);
    const w = await ctx.client().request("workspaces.get", { params: { workspaceId: await target(ctx, input) } });
    show(ctx, w);
  });

  opCommand(workspaces, "rename", "workspaces.rename", { args: ["<name>"], help: "Renames the workspace commands act in (-w to choose another)." }, async (input, _opts, cmd) => {
    const ctx = cli.ctx(cmd);
    const w = await ctx.client().request("workspaces.rename", { params: { workspaceId: await ctx.workspaceId() }, body: input.body as { name: string } });
    show(ctx, w, `Renamed the workspace to "${safeText(w.name)}".`);
  });

  opCommand(
    workspaces,
    "delete",
    "workspaces.delete",
    {
      args: ["[workspaceId]"],
      handled: ["confirmName"],
      help: "Asks first (--yes skips the question, and is required without a terminal); the workspace's name is sent as the API's confirmation.",
    },
    async (input, _opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const client = ctx.client();
      const workspaceId = await target(ctx, input);
      const w = await client.request("workspaces.get", { params: { workspaceId } });
      await confirm(ctx.io, `Delete workspace "${safeText(w.name)}" (${w.id}) with all its members, invitations, tokens, secrets and workloads, for good?`, { yes: ctx.yes });
      const done = await client.request("workspaces.delete", { params: { workspaceId }, body: { confirmName: w.name } });
      if (ctx.json) ctx.out(json(done));
      ctx.success(`Deleted workspace "${safeText(w.name)}" (${w.id}).`);
      // Its tokens went with it: a profile kept for it holds a dead token now.
      if (ctx.tokenSource === "profile" && ctx.profile.workspace === w.id) {
        ctx.saveProfile((p) => ({ url: p.url }));
        ctx.note(`Profile "${ctx.profileName}" was logged in to that workspace: its token is gone too (log in again: tessera login).`);
      }
    },
  );

  const activation = workspaces.command("activation").description("Ask for a workspace's activation; platform admins list, approve and reject the requests");
  const ADMIN_HELP = "Needs a platform admin's user token with the platform scope (made in the dashboard: Tokens, Platform administration).";

  opCommand(
    activation,
    "request",
    "workspaces.requestActivation",
    {
      help: `Asks for the workspace commands act in (-w to choose another).

Example:
  tessera workspaces activation request --organisation "Acme Research" --use-case "Fine-tuning Llama models on 8xH100 nodes"`,
    },
    async (input, _opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const w = await ctx.client().request("workspaces.requestActivation", {
        params: { workspaceId: await ctx.workspaceId() },
        body: input.body as { organisation: string; useCase: string },
      });
      show(ctx, w, `Asked for the activation of "${safeText(w.name)}": a platform admin will review it.`);
    },
  );

  opCommand(activation, "list", "admin.listActivationRequests", { help: ADMIN_HELP }, async (input, _opts, cmd) => {
    const ctx = cli.ctx(cmd);
    const { data } = await ctx.client().request("admin.listActivationRequests", { query: input.query as { status?: "requested" } });
    ctx.list(
      data,
      [
        { header: "Name", get: (w) => w.name, max: 32 },
        { header: "Status", get: (w) => w.status },
        { header: "Created by", get: (w) => w.createdBy, max: 32 },
        { header: "Members", get: (w) => w.members },
        { header: "Organisation", get: (w) => w.activation.organisation, max: 32 },
        { header: "Requested", get: (w) => (w.activation.requestedAt ? relativeTime(w.activation.requestedAt) : null) },
        { header: "ID", get: (w) => w.id },
      ],
      "No workspaces in that state.",
    );
  });

  const review = async (cmd: Command, input: OpInput, verb: string) => {
    const ctx = cli.ctx(cmd);
    const w = await ctx.client().request("admin.reviewActivation", {
      params: { workspaceId: input.params.workspaceId as string },
      body: input.body as { decision: "approve" } | { decision: "reject"; reason: string },
    });
    show(ctx, w, `${verb} workspace "${safeText(w.name)}" (${w.id}): now ${w.status}.`);
  };
  opCommand(activation, "approve", "admin.reviewActivation", { args: ["<workspaceId>"], fixed: { decision: "approve" }, help: ADMIN_HELP }, (input, _o, cmd) => review(cmd, input, "Approved"));
  opCommand(
    activation,
    "reject",
    "admin.reviewActivation",
    { args: ["<workspaceId>"], fixed: { decision: "reject" }, help: `${ADMIN_HELP}\n\nExample:\n  tessera workspaces activation reject <id> --reason "Tell us which models you will train"` },
    (input, _o, cmd) => review(cmd, input, "Rejected"),
  );
};
