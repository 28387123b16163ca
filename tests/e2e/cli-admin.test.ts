// The `tessera` CLI's workspaces, members, invitations and audit commands, run as a user runs them
// (a child process with its own HOME and config) against the production server: results on stdout,
// one line on stderr for an error with its documented exit code, confirmations that refuse without
// a terminal unless --yes, an invitation link printed once, the audit log read page after page and
// exported as a stream, and no token value anywhere in what the CLI prints.
import { randomUUID } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/auth/actor";
import { closeDb, db } from "@/lib/db/client";
import { isolatedEnv, runCli, type CliResult } from "../helpers/cli";
import { makeToken, makeUser, makeWorkspace } from "../helpers/fixtures";
import { startFileServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let ws: string;
let owner: UserActor;
let members: Awaited<ReturnType<typeof makeWorkspace>>["members"];
const tokens: Record<"owner" | "admin" | "member" | "platform" | "applicant" | "doomed", string> = {} as never;
let applicantWs: string;
let doomedWs: string;
/** Everything the CLI printed, to check that no token value is in it. */
const printed: string[] = [];

async function cli(args: string[], opts: { token?: string; env?: Record<string, string | undefined>; input?: string } = {}): Promise<CliResult> {
  const env = opts.env ?? isolatedEnv({ TESSERA_URL: server.url, TESSERA_TOKEN: opts.token ?? tokens.owner });
  const r = await runCli(args, { env, input: opts.input });
  printed.push(r.stdout, r.stderr);
  return r;
}

const parse = <T = Record<string, unknown>>(r: CliResult): T => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};

beforeAll(async () => {
  const w = await makeWorkspace({ name: "Acme", active: true, roles: ["admin", "member"] });
  ws = w.workspace.id;
  owner = w.owner;
  members = w.members;
  tokens.owner = (await makeToken(owner, ws, { name: "owner laptop" })).value;
  tokens.admin = (await makeToken(members.admin!, ws, { name: "admin laptop" })).value;
  tokens.member = (await makeToken(members.member!, ws, { name: "member laptop" })).value;
  // A platform admin, with a platform-scoped token in a workspace of their own.
  const root = await makeUser("root");
  await db().user.update({ where: { id: root.userId }, data: { isPlatformAdmin: true } });
  const home = await makeWorkspace({ active: true });
  await db().membership.create({ data: { workspaceId: home.workspace.id, userId: root.userId, role: "member" } });
  tokens.platform = (await makeToken({ ...root, isPlatformAdmin: true }, home.workspace.id, { name: "root", scopes: ["full", "platform"] })).value;
  // A new (pending) workspace whose owner applies for activation, and one that gets deleted.
  const applicant = await makeWorkspace({ name: "Applicant Labs" });
  applicantWs = applicant.workspace.id;
  tokens.applicant = (await makeToken(applicant.owner, applicantWs, { name: "applicant" })).value;
  const doomed = await makeWorkspace({ name: "Doomed", active: true });
  doomedWs = doomed.workspace.id;
  tokens.doomed = (await makeToken(doomed.owner, doomedWs, { name: "doomed" })).value;
  // Enough audit events for several pages (200 at most a page).
  await db().auditEvent.createMany({
    data: Array.from({ length: 230 }, (_, i) => ({
      workspaceId: ws,
      actorType: "system",
      action: "test.bulk",
      result: "success",
      createdAt: new Date(Date.now() - 3_600_000 + i * 1000),
      metadata: JSON.stringify({ i }),
    })),
  });
  await closeDb();
  server = await startFileServer("cli-admin");
}, 300_000);

afterAll(async () => {
  await server?.stop();
  // No token value in anything the CLI printed (nor its last 20 characters).
  const all = printed.join("\n");
  for (const t of Object.values(tokens)) {
    expect(all).not.toContain(t);
    expect(all).not.toContain(t.slice(-20));
  }
});

// Each CLI start may compile TypeScript (seconds on a loaded machine): a generous timeout.
describe("tessera workspaces", () => {
  it("lists, shows, keeps in the profile (after checking), and renames the workspace", async () => {
    const list = parse<{ id: string; role: string }[]>(await cli(["workspaces", "list", "--json"]));
    expect(list).toEqual([expect.objectContaining({ id: ws, role: "owner" })]);
    const table = await cli(["workspaces", "list"]);
    expect(table.stdout).toMatch(/^ *NAME +STATUS +ROLE/);
    expect(table.stdout).toContain(ws);

    expect(parse(await cli(["workspaces", "info", "--json"]))).toMatchObject({ id: ws, name: "Acme", status: "active", role: "owner" });
    const info = await cli(["workspaces", "info"]);
    expect(info.stdout).toMatch(/Status: +active/);

    // `use` with a logged-in profile: checked first, then written to the config file.
    const env = isolatedEnv({ TESSERA_URL: server.url });
    expect((await cli(["login", "--token-stdin"], { env, input: tokens.owner })).code).toBe(0);
    const other = "c".repeat(25);
    const refused = await cli(["workspaces", "use", other], { env });
    expect(refused.code).toBe(5);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    const used = await cli(["workspaces", "use", ws], { env });
    expect(used.code, used.stderr).toBe(0);
    const config = readFileSync(env.TESSERA_CONFIG!, "utf8");
    expect(JSON.parse(config).profiles.default.workspace).toBe(ws);
    expect(statSync(env.TESSERA_CONFIG!).mode & 0o777).toBe(0o600);
    expect(parse<{ id: string }[]>(await cli(["workspaces", "list", "--json"], { env }))[0]!.id).toBe(ws);

    expect(parse(await cli(["workspaces", "rename", "Acme Research", "--json"]))).toMatchObject({ id: ws, name: "Acme Research" });
    const empty = await cli(["workspaces", "rename", ""]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^tessera: .*name/);
  });

  it("creates a workspace (pending) and applies for activation; a platform admin lists, rejects and approves", async () => {
    const created = parse<{ id: string; status: string; role: string }>(await cli(["workspaces", "create", "Inference team", "--json"]));
    expect(created).toMatchObject({ status: "pending", role: "owner" });
    expect((await db().membership.findFirst({ where: { workspaceId: created.id, userId: owner.userId } }))?.role).toBe("owner");

    const asApplicant = { token: tokens.applicant };
    const missing = await cli(["workspaces", "activation", "request", "--organisation", "Applicant Labs"], asApplicant);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--use-case/);
    const requested = await cli(["workspaces", "activation", "request", "--organisation", "Applicant Labs", "--use-case", "Training models on GPUs"], asApplicant);
    expect(requested.code, requested.stderr).toBe(0);
    expect(requested.stdout).toMatch(/Status: +requested/);
    expect(requested.stderr).toMatch(/a platform admin will review it/);

    // Only a platform admin's platform-scoped token reviews: the owner's gets 403 (exit 4).
    const notAdmin = await cli(["workspaces", "activation", "list"]);
    expect(notAdmin.code).toBe(4);
    expect(notAdmin.stderr).toMatch(/^tessera: .*platform/);
    const asRoot = { token: tokens.platform };
    const waiting = parse<{ id: string; createdBy: string; members: number }[]>(await cli(["workspaces", "activation", "list", "--json"], asRoot));
    expect(waiting.find((x) => x.id === applicantWs)).toMatchObject({ members: 1 });
    expect((await cli(["workspaces", "activation", "list", "--status", "everything"], asRoot)).code).toBe(2);

    const noReason = await cli(["workspaces", "activation", "reject", applicantWs], asRoot);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/--reason/);
    expect(parse(await cli(["workspaces", "activation", "reject", applicantWs, "--reason", "Tell us more", "--json"], asRoot))).toMatchObject({
      status: "rejected",
      activation: { rejectionReason: "Tell us more" },
    });
    const again = await cli(["workspaces", "activation", "approve", applicantWs], asRoot);
    expect(again.code).toBe(6);
    expect((await cli(["workspaces", "activation", "request", "--organisation", "Applicant Labs", "--use-case", "Training more models on GPUs"], asApplicant)).code).toBe(0);
    const approved = await cli(["workspaces", "activation", "approve", applicantWs], asRoot);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stderr).toMatch(/Approved workspace "Applicant Labs".*now active/);
    expect((await db().workspace.findUnique({ where: { id: applicantWs } }))?.status).toBe("active");
  });

  it("deletes a workspace only after a confirmation (--yes without a terminal), and forgets the profile's dead token", async () => {
    const env = isolatedEnv({ TESSERA_URL: server.url });
    expect((await cli(["login", "--token-stdin"], { env, input: tokens.doomed })).code).toBe(0);
    const unconfirmed = await cli(["workspaces", "delete"], { env });
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/^tessera: Delete workspace "Doomed" \(\w+\) .*for good: refusing without a terminal to confirm on; add --yes\n$/);
    expect(await db().workspace.findUnique({ where: { id: doomedWs } })).not.toBeNull();
    const deleted = await cli(["workspaces", "delete", doomedWs, "--yes"], { env });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stderr).toMatch(/Deleted workspace "Doomed"/);
    expect(await db().workspace.findUnique({ where: { id: doomedWs } })).toBeNull();
    expect(JSON.parse(readFileSync(env.TESSERA_CONFIG!, "utf8")).profiles.default.token).toBeUndefined();
    expect((await cli(["whoami"], { env })).code).toBe(3);
  });
});

describe("tessera members and invitations", () => {
  it("lists members, invites (the link once, on stdout), lists, re-issues and revokes invitations", async () => {
    const list = parse<{ email: string; role: string }[]>(await cli(["members", "list", "--json"]));
    expect(list.map((m) => m.role).sort()).toEqual(["admin", "member", "owner"]);
    expect((await cli(["members", "list"])).stdout).toContain(members.admin!.email);

    const grace = `grace-${randomUUID().slice(0, 8)}@example.test`;
    const invited = await cli(["members", "invite", grace, "--role", "member"]);
    expect(invited.code, invited.stderr).toBe(0);
    expect(invited.stdout).toMatch(/^http:\/\/[^\s]+\/invite\/tsr_inv_\S+\n$/);
    expect(invited.stderr).toMatch(/Invited grace-.* as member/);
    const firstLink = invited.stdout.trim();
    const linkOnly = parse<{ link: string; invitation: { email: string | null; anyoneWithLink: boolean } }>(
      await cli(["members", "invite", "--anyone-with-link", "--role", "viewer", "--expires-in-days", "2", "--json"]),
    );
    expect(linkOnly.invitation).toMatchObject({ email: null, anyoneWithLink: true });
    expect(linkOnly.link).toMatch(/\/invite\/tsr_inv_/);
    const neither = await cli(["members", "invite", "--role", "member"]);
    expect(neither.code).toBe(2);
    expect((await cli(["members", "invite", grace, "--role", "boss"])).code).toBe(2);
    // Nobody invites above their own role (403: exit 4); an address already invited is a conflict (exit 6).
    expect((await cli(["members", "invite", `x-${grace}`, "--role", "owner"], { token: tokens.admin })).code).toBe(4);
    expect((await cli(["members", "invite", grace, "--role", "member"])).code).toBe(6);

    const pending = parse<{ id: string; email: string | null; state: string }[]>(await cli(["invitations", "list", "--json"]));
    const first = pending.find((i) => i.email === grace)!;
    expect(first.state).toBe("pending");
    // The list never shows a link.
    expect((await cli(["invitations", "list", "--state", "all"])).stdout).not.toMatch(/tsr_inv_/);

    const reissued = await cli(["invitations", "reissue", grace, "--expires-in-days", "3"]);
    expect(reissued.code, reissued.stderr).toBe(0);
    expect(reissued.stdout.trim()).toMatch(/\/invite\/tsr_inv_/);
    expect(reissued.stdout.trim()).not.toBe(firstLink);
    const states = parse<{ id: string; state: string; email: string | null }[]>(await cli(["invitations", "list", "--state", "all", "--json"]));
    expect(states.find((i) => i.id === first.id)?.state).toBe("revoked");
    const current = states.find((i) => i.email === grace && i.state === "pending")!;

    const unconfirmed = await cli(["invitations", "revoke", current.id]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/add --yes/);
    const revoked = parse<{ id: string; state: string }>(await cli(["invitations", "revoke", grace, "--yes", "--json"]));
    expect(revoked).toMatchObject({ id: current.id, state: "revoked" });
    expect((await cli(["invitations", "revoke", grace, "--yes"])).code).toBe(5);
    expect((await cli(["invitations", "revoke", "c".repeat(25), "--yes"])).code).toBe(5);
  });

  it("changes a role and removes a member by email or id (confirmed); a member leaves; the last owner cannot", async () => {
    const member = members.member!;
    const promoted = parse<{ role: string }>(await cli(["members", "role", member.email.toUpperCase(), "admin", "--json"]));
    expect(promoted.role).toBe("admin");
    expect(parse<{ role: string }>(await cli(["members", "role", member.userId, "member", "--json"])).role).toBe("member");
    expect((await cli(["members", "role", "nobody@example.test", "admin"])).code).toBe(5);
    expect((await cli(["members", "role", member.email, "emperor"])).code).toBe(2);
    // The last owner cannot be demoted (409: exit 6).
    expect((await cli(["members", "role", owner.email, "admin"])).code).toBe(6);

    const unconfirmed = await cli(["members", "remove", member.email]);
    expect(unconfirmed.code).toBe(2);
    expect(await db().membership.findFirst({ where: { workspaceId: ws, userId: member.userId } })).not.toBeNull();
    const removed = await cli(["members", "remove", member.email, "--yes"]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stderr).toMatch(/Removed .*; 1 user token cancelled/);
    expect(await db().membership.findFirst({ where: { workspaceId: ws, userId: member.userId } })).toBeNull();
    // Their token was cancelled with the membership.
    expect((await cli(["whoami"], { token: tokens.member })).code).toBe(3);

    const left = await cli(["members", "leave", "--yes"], { token: tokens.admin });
    expect(left.code, left.stderr).toBe(0);
    expect(left.stderr).toMatch(/You left "Acme Research"; 1 user token cancelled/);
    expect((await cli(["members", "list"], { token: tokens.admin })).code).toBe(3);
    const lastOwner = await cli(["members", "leave", "--yes"]);
    expect(lastOwner.code).toBe(6);
    expect(lastOwner.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("tessera audit", () => {
  it("lists events newest first, filtered, following the pages up to --limit or --all", async () => {
    const ten = parse<{ action: string; createdAt: string }[]>(await cli(["audit", "list", "--action", "test.bulk", "--limit", "10", "--json"]));
    expect(ten).toHaveLength(10);
    expect(ten.every((e) => e.action === "test.bulk")).toBe(true);
    expect([...ten].sort((a, b) => b.createdAt.localeCompare(a.createdAt))).toEqual(ten);
    // More than one page (200 at most each), with no event twice.
    const many = parse<{ id: string }[]>(await cli(["audit", "list", "--action", "test.bulk", "--limit", "215", "--json"]));
    expect(many).toHaveLength(215);
    expect(new Set(many.map((e) => e.id)).size).toBe(215);
    const all = parse<{ id: string }[]>(await cli(["audit", "list", "--action", "test.", "--all", "--json"]));
    expect(all).toHaveLength(230);
    const table = await cli(["audit", "list", "--action", "test.bulk", "--limit", "3"]);
    expect(table.stdout.trim().split("\n")).toHaveLength(4);
    expect(table.stderr).toMatch(/Showing the newest 3/);

    const denied = parse<{ result: string; action: string }[]>(await cli(["audit", "list", "--result", "denied", "--all", "--json"]));
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((e) => e.result === "denied")).toBe(true);
    const member = parse<{ action: string }[]>(await cli(["audit", "list", "--action", "member.", "--from", "2000-01-01", "--json"]));
    expect(member.map((e) => e.action)).toEqual(expect.arrayContaining(["member.invite", "member.remove", "member.leave"]));

    const bad = await cli(["audit", "list", "--from", "yesterday"]);
    expect(bad.code).toBe(1);
    // One line naming the field (the server's 422).
    expect(bad.stderr).toMatch(/^tessera: Invalid query at from\b[^\n]*\n$/);
    expect((await cli(["audit", "list", "--result", "maybe"])).code).toBe(2);
    expect((await cli(["audit", "list", "--limit", "0"])).code).toBe(2);
    expect((await cli(["audit", "list", "--limit", "5", "--all"])).code).toBe(2);
  });

  it("exports the filtered log as a stream: JSON Lines to stdout, CSV to a file (0600), audited", async () => {
    const jsonl = await cli(["audit", "export", "--action", "test.bulk"]);
    expect(jsonl.code, jsonl.stderr).toBe(0);
    const lines = jsonl.stdout.trim().split("\n").map((l) => JSON.parse(l) as { action: string; metadata: { i: number } });
    expect(lines).toHaveLength(230);
    // Oldest first.
    expect(lines.map((l) => l.metadata.i)).toEqual(Array.from({ length: 230 }, (_, i) => i));

    const env = isolatedEnv({ TESSERA_URL: server.url, TESSERA_TOKEN: tokens.owner });
    const file = path.join(env.HOME!, "audit.csv");
    const csv = await cli(["audit", "export", "--format", "csv", "--action", "test.bulk", "-o", file], { env });
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toBe("");
    expect(csv.stderr).toMatch(/Exported the audit log to .*audit\.csv/);
    const text = readFileSync(file, "utf8");
    expect(text.split("\n")[0]).toMatch(/^createdAt,workspaceId,actorType,/);
    expect(text.trim().split("\n")).toHaveLength(231);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // A file that cannot be written: one line, exit 1, nothing left behind.
    const nowhere = await cli(["audit", "export", "-o", path.join(env.HOME!, "no/such/dir/audit.jsonl")], { env });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/^tessera: cannot write /);
    expect((await cli(["audit", "export", "--format", "xml"])).code).toBe(2);

    const audited = parse<{ action: string; metadata: { format?: string } }[]>(await cli(["audit", "list", "--action", "audit.export", "--json"]));
    expect(audited.map((e) => e.metadata.format)).toEqual(expect.arrayContaining(["csv", "jsonl"]));
    // A workload-less viewer would get 403; a token of another workspace cannot see this one.
    const other = await cli(["audit", "list", "-w", applicantWs]);
    expect([4, 5]).toContain(other.code);
  });
});
