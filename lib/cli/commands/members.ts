// members list|invite|role|remove|leave, and invitations list|revoke|reissue.
//
// A member is named by email address or user id; an invitation by id or by the email it was sent
// to. An invitation's link is shown once, when it is made (`invite`, `reissue`): printed to stdout
// alone on its line, or as the `link` field with --json. remove, leave and revoke ask first
// (--yes skips the question, and is required without a terminal).
import type { Command } from "commander";
import type { CreateInvitationInput, InvitationOutput, MemberOutput, UpdateMemberRoleInput } from "../../schemas/member";
import type { Registrar } from "../main";
import type { Ctx } from "../core/context";
import { CliError, EXIT, usage } from "../core/exit";
import { opCommand } from "../core/op";
import { json, relativeTime, safeText } from "../core/output";
import { confirm } from "../core/prompt";

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The member `ref` names: an email address (any case) or a user id. */
export async function resolveMember(ctx: Ctx, ref: string): Promise<MemberOutput> {
  const wanted = ref.trim();
  if (!wanted) throw usage("the member is required (an email address or a user id)");
  const { data } = await ctx.client().request("members.list", { params: { workspaceId: await ctx.workspaceId() } });
  const found = wanted.includes("@") ? data.find((m) => m.email.toLowerCase() === wanted.toLowerCase()) : data.find((m) => m.userId === wanted);
  if (!found) throw new CliError(`no member ${wanted.includes("@") ? "with the address" : "with the user id"} "${safeText(wanted)}" in this workspace (see tessera members list)`, EXIT.NOT_FOUND);
  return found;
}

/** The invitation `ref` names: its id, or the address of one in the given states (the newest). */
async function resolveInvitation(ctx: Ctx, ref: string, states: InvitationOutput["state"][]): Promise<InvitationOutput> {
  const wanted = ref.trim();
  if (!wanted) throw usage("the invitation is required (an id or the email address it was sent to)");
  const { data } = await ctx.client().request("invitations.list", { params: { workspaceId: await ctx.workspaceId() }, query: { state: "all" } });
  if (!wanted.includes("@")) {
    const byId = data.find((i) => i.id === wanted);
    if (!byId) throw new CliError(`no invitation with the id "${safeText(wanted)}" in this workspace (see tessera invitations list --state all)`, EXIT.NOT_FOUND);
    return byId;
  }
  // Newest first, as the API lists them.
  const found = data.find((i) => i.email?.toLowerCase() === wanted.toLowerCase() && states.includes(i.state));
  if (!found) throw new CliError(`no ${states.join(" or ")} invitation for "${safeText(wanted)}" (see tessera invitations list --state all)`, EXIT.NOT_FOUND);
  return found;
}

const memberPairs = (m: MemberOutput): [string, unknown][] => [
  ["User ID", m.userId],
  ["Email", m.email],
  ["Name", m.name],
  ["Role", m.role],
  ["Joined", iso(m.joinedAt)],
  ["Last active", m.lastActiveAt ? `${iso(m.lastActiveAt)} (${relativeTime(m.lastActiveAt)})` : "never"],
];

const who = (i: Pick<InvitationOutput, "email" | "anyoneWithLink">) => (i.email ? `${i.email}${i.anyoneWithLink ? " (anyone with the link)" : ""}` : "anyone with the link");

const DELIVERY: Record<string, string> = {
  sent: "The invitation was mailed.",
  logged: "No mail server is configured: share the link yourself.",
  failed: "The mail server refused the invitation: share the link yourself.",
  none: "Share the link yourself.",
};

export const registerMembers: Registrar = (program, cli) => {
  const members = program.command("members").description("List members, invite people, change roles, remove members, leave the workspace");

  /** A link made just now: stdout alone on its line (or the whole answer with --json), the rest to stderr. */
  const printLink = (ctx: Ctx, created: { invitation: InvitationOutput; link: string; delivery: string }, what: string) => {
    if (ctx.json) return ctx.out(json(created));
    ctx.out(`${created.link}\n`);
    const i = created.invitation;
    ctx.success(`${what} ${safeText(who(i))} as ${i.role}, valid until ${iso(i.expiresAt)}. ${DELIVERY[created.delivery] ?? ""}`);
    ctx.note(ctx.style.dim("The link above is shown this once: it is not stored in a readable form."));
  };

  opCommand(members, "list", "members.list", {}, async (_input, _opts, cmd) => {
    const ctx = cli.ctx(cmd);
    const { data } = await ctx.client().request("members.list", { params: { workspaceId: await ctx.workspaceId() } });
    ctx.list(
      data,
      [
        { header: "Email", get: (m) => m.email, max: 40 },
        { header: "Name", get: (m) => m.name, max: 24 },
        { header: "Role", get: (m) => m.role },
        { header: "Joined", get: (m) => relativeTime(m.joinedAt) },
        { header: "Last active", get: (m) => (m.lastActiveAt ? relativeTime(m.lastActiveAt) : "never") },
        { header: "User ID", get: (m) => m.userId },
      ],
      "No members.",
    );
  });

  opCommand(
    members,
    "invite",
    "invitations.create",
    {
      args: ["[email]"],
      help: `The link is printed once, to stdout, alone on its line (with --json: the "link" field). It is
mailed too when the server has a mail server and an address is given.

Examples:
  tessera members invite grace@acme.example --role member
  tessera members invite --anyone-with-link --role viewer --expires-in-days 2`,
    },
    async (input, _opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const body = input.body as CreateInvitationInput;
      if (!body.email && !body.anyoneWithLink) throw usage("give the address to invite, or --anyone-with-link");
      const created = await ctx.client().request("invitations.create", { params: { workspaceId: await ctx.workspaceId() }, body });
      printLink(ctx, created, "Invited");
    },
  );

  opCommand(
    members,
    "role",
    "members.updateRole",
    { args: ["<userId>", "<role>"], argHelp: { userId: "The member's email address or user id" }, help: "Example: tessera members role grace@acme.example admin" },
    async (input, _opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const m = await resolveMember(ctx, input.params.userId as string);
      const after = await ctx.client().request("members.updateRole", { params: { workspaceId: await ctx.workspaceId(), userId: m.userId }, body: input.body as UpdateMemberRoleInput });
      ctx.item(after, memberPairs(after));
      ctx.success(after.role === m.role ? `${safeText(after.email)} already was ${after.role}.` : `${safeText(after.email)} is now ${after.role} (was ${m.role}).`);
    },
  );

  opCommand(
    members,
    "remove",
    "members.remove",
    { args: ["<userId>"], argHelp: { userId: "The member's email address or user id" }, help: "Asks first (--yes skips the question)." },
    async (input, _opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const m = await resolveMember(ctx, input.params.userId as string);
      await confirm(ctx.io, `Remove ${safeText(m.email)} (${m.role}) from the workspace, cancelling their user tokens for it?`, { yes: ctx.yes });
      const r = await ctx.client().request("members.remove", { params: { workspaceId: await ctx.workspaceId(), userId: m.userId } });
      if (ctx.json) ctx.out(json(r));
      ctx.success(`Removed ${safeText(m.email)}; ${r.tokensCancelled} user token${r.tokensCancelled === 1 ? "" : "s"} cancelled.`);
    },
  );

  opCommand(members, "leave", "members.leave", { help: "Asks first (--yes skips the question). Your user tokens for the workspace stop working, the one you use included." }, async (_input, _opts, cmd: Command) => {
    const ctx = cli.ctx(cmd);
    const client = ctx.client();
    const workspaceId = await ctx.workspaceId();
    const w = await client.request("workspaces.get", { params: { workspaceId } });
    await confirm(ctx.io, `Leave workspace "${safeText(w.name)}", cancelling your user tokens for it (this one included)?`, { yes: ctx.yes });
    const r = await client.request("members.leave", { params: { workspaceId } });
    if (ctx.json) ctx.out(json(r));
    ctx.success(`You left "${safeText(w.name)}"; ${r.tokensCancelled} user token${r.tokensCancelled === 1 ? "" : "s"} cancelled.`);
    if (ctx.tokenSource === "profile" && ctx.profile.workspace === workspaceId) {
      ctx.saveProfile((p) => ({ url: p.url }));
      ctx.note(`Profile "${ctx.profileName}" is logged out: its token was cancelled.`);
    }
  });

  const invitations = program.command("invitations").description("List, revoke and re-issue invitations (invite with tessera members invite)");

  opCommand(invitations, "list", "invitations.list", {}, async (input, _opts, cmd) => {
    const ctx = cli.ctx(cmd);
    const { data } = await ctx.client().request("invitations.list", { params: { workspaceId: await ctx.workspaceId() }, query: input.query as { state?: "pending" } });
    ctx.list(
      data,
      [
        { header: "For", get: (i) => who(i), max: 48 },
        { header: "Role", get: (i) => i.role },
        { header: "State", get: (i) => i.state },
        { header: "Expires", get: (i) => (i.state === "pending" || i.state === "expired" ? relativeTime(i.expiresAt) : null) },
        { header: "Invited by", get: (i) => i.invitedBy, max: 32 },
        { header: "ID", get: (i) => i.id },
      ],
      "No invitations in that state (--state all shows every one).",
    );
  });

  opCommand(
    invitations,
    "revoke",
    "invitations.revoke",
    { args: ["<invitationId>"], argHelp: { invitationId: "The invitation's id, or the address of a pending one" }, help: "Asks first (--yes skips the question). The link stops working." },
    async (input, _opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const inv = await resolveInvitation(ctx, input.params.invitationId as string, ["pending"]);
      await confirm(ctx.io, `Revoke the invitation for ${safeText(who(inv))} (${inv.role}), so that its link stops working?`, { yes: ctx.yes });
      const after = await ctx.client().request("invitations.revoke", { params: { workspaceId: await ctx.workspaceId(), invitationId: inv.id } });
      if (ctx.json) ctx.out(json(after));
      ctx.success(`Revoked the invitation for ${safeText(who(after))}.`);
    },
  );

  opCommand(
    invitations,
    "reissue",
    "invitations.reissue",
    {
      args: ["<invitationId>"],
      argHelp: { invitationId: "The invitation's id, or the address of a pending or expired one" },
      help: "The new link is printed once, to stdout (with --json: the \"link\" field); the old one stops working.",
    },
    async (input, _opts, cmd) => {
      const ctx = cli.ctx(cmd);
      const inv = await resolveInvitation(ctx, input.params.invitationId as string, ["pending", "expired"]);
      const created = await ctx.client().request("invitations.reissue", {
        params: { workspaceId: await ctx.workspaceId(), invitationId: inv.id },
        body: input.body as { expiresInDays?: number },
      });
      printLink(ctx, created, "Re-issued the invitation for");
    },
  );
};
