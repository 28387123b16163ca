// Members and invitations at the service boundary and through the REST routes: role rules, the
// last-owner rule (also under concurrency), removal cancelling tokens, invitation lifecycle,
// hostile input, and secrecy of invitation codes.
import { describe, expect, it, vi } from "vitest";
import { PATCH as PATCH_MEMBER, DELETE as DELETE_MEMBER } from "@/app/api/v1/workspaces/[workspaceId]/members/[userId]/route";
import { DELETE as LEAVE } from "@/app/api/v1/workspaces/[workspaceId]/members/me/route";
import { GET as LIST_MEMBERS } from "@/app/api/v1/workspaces/[workspaceId]/members/route";
import { GET as LIST_INVITES, POST as INVITE } from "@/app/api/v1/workspaces/[workspaceId]/invitations/route";
import { POST as REISSUE } from "@/app/api/v1/workspaces/[workspaceId]/invitations/[invitationId]/reissue/route";
import { authenticateBearer } from "@/lib/auth/bearer";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import {
  acceptInvitation,
  createInvitation,
  listInvitations,
  previewInvitation,
  reissueInvitation,
  revokeInvitation,
} from "@/lib/services/invitations";
import { leaveWorkspace, listMembers, noteMemberActivity, removeMember, updateMemberRole } from "@/lib/services/members";
import { bearer, makeToken, makeUser, makeWorkspace, meta } from "../helpers/fixtures";

const code = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : (e as Error).message));
const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
const req = (method: string, url: string, headers: Record<string, string>, body?: unknown) =>
  new Request(url, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
const codeOf = (link: string) => link.split("/invite/")[1]!;
const snapshot = async (workspaceId: string) =>
  JSON.stringify({
    members: await db().membership.findMany({ where: { workspaceId }, orderBy: { id: "asc" }, select: { userId: true, role: true } }),
    invitations: await db().invitation.findMany({ where: { workspaceId }, orderBy: { id: "asc" } }),
  });

describe("members", () => {
  it("lists members with role, join date and last activity (dashboard or API)", async () => {
    const { workspace, owner, members } = await makeWorkspace({ roles: ["member", "viewer"] });
    let list = await listMembers(members.viewer!, workspace.id);
    expect(list.map((m) => m.role)).toEqual(["owner", "member", "viewer"]);
    expect(list.every((m) => m.lastActiveAt === null)).toBe(true);
    await noteMemberActivity(owner, workspace.id);
    const t = await makeToken(members.member!, workspace.id);
    await db().token.update({ where: { id: t.id }, data: { lastUsedAt: new Date("2026-01-02T03:04:05Z") } });
    list = await listMembers(owner, workspace.id);
    expect(list[0]!.lastActiveAt).toBeInstanceOf(Date);
    expect(list[1]!.lastActiveAt?.toISOString()).toBe("2026-01-02T03:04:05.000Z");
    expect(await code(listMembers((await makeUser()), workspace.id))).toBe("NOT_FOUND");
  });

  it("AUTHZ-04 AUTHZ-07: changes roles: only owners touch owner, nobody grants above their own role", async () => {
    const { workspace, owner, members } = await makeWorkspace({ roles: ["admin", "member", "viewer"] });
    const [admin, member, viewer] = [members.admin!, members.member!, members.viewer!];
    expect(await code(updateMemberRole(admin, workspace.id, viewer.userId, { role: "member" }))).toBe("OK");
    expect(await code(updateMemberRole(admin, workspace.id, viewer.userId, { role: "admin" }))).toBe("OK");
    expect(await code(updateMemberRole(admin, workspace.id, viewer.userId, { role: "owner" }))).toBe("FORBIDDEN");
    expect(await code(updateMemberRole(admin, workspace.id, owner.userId, { role: "admin" }))).toBe("FORBIDDEN");
    expect(await code(updateMemberRole(member, workspace.id, viewer.userId, { role: "viewer" }))).toBe("FORBIDDEN");
    expect(await code(updateMemberRole(viewer, workspace.id, member.userId, { role: "viewer" }))).toBe("OK"); // viewer was made admin above
    expect(await code(updateMemberRole(owner, workspace.id, member.userId, { role: "owner" }))).toBe("OK");
    expect(await code(updateMemberRole(owner, workspace.id, "c".repeat(25), { role: "admin" }))).toBe("NOT_FOUND");
    expect(await code(updateMemberRole(owner, workspace.id, member.userId, { role: "superuser" as never }))).toBe("VALIDATION_FAILED");

    const events = await db().auditEvent.findMany({ where: { workspaceId: workspace.id, action: "member.role.update" }, orderBy: { createdAt: "asc" } });
    expect(events.filter((e) => e.result === "success")).toHaveLength(4);
    expect(events.filter((e) => e.result === "denied")).toHaveLength(3);
    const first = events.find((e) => e.result === "success")!;
    expect(first).toMatchObject({ actorId: admin.userId, targetType: "user", targetId: viewer.userId, ip: "203.0.113.7", userAgent: "vitest" });
    expect(JSON.parse(first.metadata!)).toMatchObject({ from: "viewer", to: "member" });
  });

  it("AUTHZ-07: keeps the last owner: cannot be demoted, removed, or leave", async () => {
    const { workspace, owner, members } = await makeWorkspace({ roles: ["admin"] });
    const before = await snapshot(workspace.id);
    expect(await code(updateMemberRole(owner, workspace.id, owner.userId, { role: "admin" }))).toBe("CONFLICT");
    expect(await code(leaveWorkspace(owner, workspace.id))).toBe("CONFLICT");
    expect(await code(removeMember(owner, workspace.id, owner.userId))).toBe("CONFLICT");
    expect(await code(removeMember(members.admin!, workspace.id, owner.userId))).toBe("FORBIDDEN");
    expect(await snapshot(workspace.id)).toBe(before);
    // With a second owner, the first may step down.
    await updateMemberRole(owner, workspace.id, members.admin!.userId, { role: "owner" });
    expect(await code(updateMemberRole(owner, workspace.id, owner.userId, { role: "admin" }))).toBe("OK");
    expect(await code(leaveWorkspace(members.admin!, workspace.id))).toBe("CONFLICT");
  });

  it("audits refused last-owner attempts as denied (API with the owner's user token, and the service)", async () => {
    const { workspace, owner } = await makeWorkspace();
    const { value } = await makeToken(owner, workspace.id);
    const base = `http://localhost/api/v1/workspaces/${workspace.id}/members`;
    const demote = await PATCH_MEMBER(req("PATCH", `${base}/${owner.userId}`, bearer(value), { role: "admin" }), ctx({ workspaceId: workspace.id, userId: owner.userId }));
    expect(demote.status).toBe(409);
    expect((await demote.json()).error.message).toMatch(/last owner cannot be demoted/);
    const leave = await LEAVE(req("DELETE", `${base}/me`, bearer(value)), ctx({ workspaceId: workspace.id }));
    expect(leave.status).toBe(409);
    expect((await leave.json()).error.message).toMatch(/last owner cannot leave/);
    expect(await code(removeMember(owner, workspace.id, owner.userId))).toBe("CONFLICT");
    const denied = await db().auditEvent.findMany({ where: { workspaceId: workspace.id, result: "denied" }, orderBy: { createdAt: "asc" } });
    expect(denied.map((e) => [e.action, e.actorType, e.targetType, e.targetId])).toEqual([
      ["member.role.update", "token", "user", owner.userId],
      ["member.leave", "token", "user", owner.userId],
      ["member.remove", "user", "user", owner.userId],
    ]);
    // With the reason, so that the log says why.
    expect(denied.map((e) => JSON.parse(e.metadata ?? "null"))).toEqual([{ reason: "last_owner" }, { reason: "last_owner" }, { reason: "last_owner" }]);
    // Nothing else was written: the owner is still the owner.
    expect((await db().membership.findFirstOrThrow({ where: { workspaceId: workspace.id, userId: owner.userId } })).role).toBe("owner");
  });

  it("SES-05: removing a member cancels their tokens at once; leaving does too", async () => {
    const w = await makeWorkspace({ active: true, roles: ["admin", "member", "viewer"] });
    const t = await makeToken(w.members.member!, w.workspace.id);
    const ws = await makeToken(w.members.admin!, w.workspace.id, { kind: "workspace", role: "member" });
    await expect(authenticateBearer(`Bearer ${t.value}`, meta())).resolves.toBeTruthy();
    expect(await removeMember(w.members.admin!, w.workspace.id, w.members.member!.userId)).toEqual({ userId: w.members.member!.userId, tokensCancelled: 1 });
    await expect(authenticateBearer(`Bearer ${t.value}`, meta())).rejects.toThrow(/cancelled/);
    expect(await code(listMembers(w.members.member!, w.workspace.id))).toBe("NOT_FOUND");

    await updateMemberRole(w.owner, w.workspace.id, w.members.viewer!.userId, { role: "member" });
    const v = await makeToken(w.members.viewer!, w.workspace.id);
    expect((await leaveWorkspace(w.members.viewer!, w.workspace.id)).tokensCancelled).toBe(1);
    await expect(authenticateBearer(`Bearer ${v.value}`, meta())).rejects.toThrow(/cancelled/);
    // Workspace tokens belong to the workspace and outlive their creator's membership.
    await removeMember(w.owner, w.workspace.id, w.members.admin!.userId);
    await expect(authenticateBearer(`Bearer ${ws.value}`, meta())).resolves.toBeTruthy();
    const audit = await db().auditEvent.findMany({ where: { workspaceId: w.workspace.id, action: { in: ["member.remove", "member.leave"] } } });
    expect(audit.map((e) => e.action).sort()).toEqual(["member.leave", "member.remove", "member.remove"]);
  });

  it("AUTHZ-02: another workspace's member ids answer 404 and change nothing", async () => {
    const a = await makeWorkspace({ roles: ["member"] });
    const b = await makeWorkspace({ roles: ["member"] });
    const before = await snapshot(b.workspace.id);
    expect(await code(updateMemberRole(a.owner, a.workspace.id, b.members.member!.userId, { role: "viewer" }))).toBe("NOT_FOUND");
    expect(await code(removeMember(a.owner, a.workspace.id, b.members.member!.userId))).toBe("NOT_FOUND");
    expect(await code(removeMember(a.owner, b.workspace.id, b.members.member!.userId))).toBe("NOT_FOUND");
    expect(await snapshot(b.workspace.id)).toBe(before);
  });

  it("AUTHZ-07: two owners acting at the same moment never leave the workspace without an owner", async () => {
    for (let round = 0; round < 6; round++) {
      const { workspace, owner, members } = await makeWorkspace({ roles: ["admin"] });
      const other = members.admin!;
      await updateMemberRole(owner, workspace.id, other.userId, { role: "owner" });
      const attempts =
        round % 3 === 0
          ? [updateMemberRole(owner, workspace.id, other.userId, { role: "admin" }), updateMemberRole(other, workspace.id, owner.userId, { role: "admin" })]
          : round % 3 === 1
            ? [leaveWorkspace(owner, workspace.id), leaveWorkspace(other, workspace.id)]
            : [removeMember(owner, workspace.id, other.userId), updateMemberRole(other, workspace.id, owner.userId, { role: "member" })];
      const results = await Promise.all(attempts.map(code));
      expect(results.filter((r) => r === "OK"), `round ${round}: ${results}`).toHaveLength(1);
      expect(await db().membership.count({ where: { workspaceId: workspace.id, role: "owner" } })).toBe(1);
    }
  });

  it("answers through REST with the error envelope for hostile input", async () => {
    const w = await makeWorkspace({ roles: ["member"] });
    const t = await makeToken(w.owner, w.workspace.id);
    const base = `http://localhost/api/v1/workspaces/${w.workspace.id}/members`;
    const list = await LIST_MEMBERS(req("GET", base, bearer(t.value)), ctx({ workspaceId: w.workspace.id }));
    expect(list.status).toBe(200);
    expect((await list.json()).data).toHaveLength(2);
    const p = { workspaceId: w.workspace.id, userId: w.members.member!.userId };
    const before = await snapshot(w.workspace.id);
    for (const body of [{ role: "root" }, { role: "admin\r\nX-Injected: 1" }, { role: "admin", workspaceId: "x" }, { role: "A".repeat(100_000) }, "[]", "{bad json"]) {
      const res = await PATCH_MEMBER(req("PATCH", `${base}/${p.userId}`, bearer(t.value), body), ctx(p));
      expect([400, 422], JSON.stringify(body).slice(0, 40)).toContain(res.status);
      expect((await res.json()).error.code).toMatch(/BAD_REQUEST|VALIDATION_FAILED/);
    }
    expect(await snapshot(w.workspace.id)).toBe(before);
    const ok = await PATCH_MEMBER(req("PATCH", `${base}/${p.userId}`, bearer(t.value), { role: "viewer" }), ctx(p));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ userId: p.userId, role: "viewer" });
    const gone = await DELETE_MEMBER(req("DELETE", `${base}/${p.userId}`, bearer(t.value)), ctx(p));
    expect(gone.status).toBe(200);
    const self = await LEAVE(req("DELETE", `${base}/me`, bearer(t.value)), ctx({ workspaceId: w.workspace.id }));
    expect(self.status).toBe(409);
    expect((await self.json()).error.message).toMatch(/last owner/);
  });
});

describe("invitations", () => {
  it("invites by email: the link is shown once, only a hash is stored, and the invitee accepts once", async () => {
    const { workspace, owner, members } = await makeWorkspace({ roles: ["admin"] });
    const invitee = await makeUser("invitee");
    const spy = vi.spyOn(log, "info");
    const created = await createInvitation(members.admin!, workspace.id, { email: invitee.email.toUpperCase(), role: "member" });
    expect(created.delivery).toBe("logged");
    expect(created.link).toMatch(/^http:\/\/localhost:3000\/invite\/tsr_inv_[0-9A-Za-z]{38}$/);
    const secret = codeOf(created.link);
    expect(created.invitation).toMatchObject({ email: invitee.email, role: "member", state: "pending", anyoneWithLink: false });
    expect(new Date(created.invitation.expiresAt).getTime() - Date.now()).toBeGreaterThan(7 * 86_400_000 - 60_000);
    // The mail went to the log without the code; the code is nowhere in the database.
    const logged = JSON.stringify(spy.mock.calls);
    spy.mockRestore();
    expect(logged).toContain(invitee.email);
    expect(logged).toContain("[redacted]");
    expect(logged).not.toContain(secret);
    const dump = JSON.stringify(await db().invitation.findMany()) + JSON.stringify(await db().auditEvent.findMany());
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(secret.slice(8, 40));
    expect(JSON.stringify(await listInvitations(owner, workspace.id))).not.toContain(secret);

    expect(await previewInvitation(secret)).toMatchObject({ state: "pending", workspaceName: "Acme", role: "member" });
    expect(await acceptInvitation(invitee, secret)).toEqual({ workspaceId: workspace.id, role: "member" });
    expect((await listMembers(owner, workspace.id)).find((m) => m.userId === invitee.userId)?.role).toBe("member");
    expect(await code(acceptInvitation(invitee, secret))).toBe("CONFLICT");
    expect(await previewInvitation(secret)).toMatchObject({ state: "accepted" });
    const accept = await db().auditEvent.findFirst({ where: { action: "member.invitation.accept", workspaceId: workspace.id } });
    expect(accept).toMatchObject({ actorId: invitee.userId, result: "success" });
  });

  it("refuses the wrong account, expired and revoked links; anyone-with-link lets any signed-in user in", async () => {
    const { workspace, owner } = await makeWorkspace();
    const [alice, mallory, bob] = [await makeUser("alice"), await makeUser("mallory"), await makeUser("bob")];
    const forAlice = codeOf((await createInvitation(owner, workspace.id, { email: alice.email, role: "viewer" })).link);
    expect(await code(acceptInvitation(mallory, forAlice))).toBe("FORBIDDEN");
    expect(await db().auditEvent.count({ where: { workspaceId: workspace.id, action: "member.invitation.accept", result: "denied", actorId: mallory.userId } })).toBe(1);

    const inv = await db().invitation.findFirstOrThrow({ where: { workspaceId: workspace.id, email: alice.email } });
    await db().invitation.update({ where: { id: inv.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await previewInvitation(forAlice)).toMatchObject({ state: "expired" });
    expect(await code(acceptInvitation(alice, forAlice))).toBe("CONFLICT");

    // Re-issue: a new link with a new expiry; the old one is dead.
    const again = await reissueInvitation(owner, workspace.id, inv.id, { expiresInDays: 3 });
    expect(again.invitation.id).not.toBe(inv.id);
    expect((await listInvitations(owner, workspace.id)).map((i) => i.id)).toEqual([again.invitation.id]);
    expect(await previewInvitation(forAlice)).toMatchObject({ state: "revoked" });
    await revokeInvitation(owner, workspace.id, again.invitation.id);
    expect(await code(acceptInvitation(alice, codeOf(again.link)))).toBe("CONFLICT");
    expect(await code(revokeInvitation(owner, workspace.id, again.invitation.id))).toBe("CONFLICT");

    const open = await createInvitation(owner, workspace.id, { role: "member", anyoneWithLink: true });
    expect(open.delivery).toBe("none");
    expect(await previewInvitation(codeOf(open.link), owner.userId)).toMatchObject({ state: "pending", alreadyMember: true });
    expect(await previewInvitation(codeOf(open.link), bob.userId)).toMatchObject({ state: "pending", alreadyMember: false });
    expect(await code(acceptInvitation(owner, codeOf(open.link)))).toBe("CONFLICT");
    expect(await acceptInvitation(bob, codeOf(open.link))).toMatchObject({ role: "member" });
    expect(await code(acceptInvitation(mallory, codeOf(open.link)))).toBe("CONFLICT");
    expect(await code(acceptInvitation(mallory, "tsr_inv_" + "A".repeat(38)))).toBe("NOT_FOUND");
    expect(await previewInvitation("not a code")).toEqual({ state: "invalid" });
    expect((await listInvitations(owner, workspace.id, { state: "all" })).length).toBe(3);
  });

  it("keeps one live link per invitation: a re-issue revokes the link, and an earlier link cannot be re-issued again", async () => {
    const { workspace, owner } = await makeWorkspace();
    const [s1, s2, s3] = [await makeUser("s1"), await makeUser("s2"), await makeUser("s3")];
    const first = await createInvitation(owner, workspace.id, { role: "member", anyoneWithLink: true });
    const second = await reissueInvitation(owner, workspace.id, first.invitation.id);
    // Re-issuing the first link again would make a second live link for the same invitation.
    expect(await code(reissueInvitation(owner, workspace.id, first.invitation.id))).toBe("CONFLICT");
    const res = await REISSUE(req("POST", `http://localhost/api/v1/workspaces/${workspace.id}/invitations/${first.invitation.id}/reissue`, bearer((await makeToken(owner, workspace.id)).value), {}), ctx({ workspaceId: workspace.id, invitationId: first.invitation.id }));
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toMatch(/revoked or already re-issued/);
    // The body is optional: an empty POST (no content type) re-issues with the default lifetime.
    const empty = await REISSUE(
      new Request(`http://localhost/api/v1/workspaces/${workspace.id}/invitations/${second.invitation.id}/reissue`, { method: "POST", headers: { authorization: `Bearer ${(await makeToken(owner, workspace.id)).value}` } }),
      ctx({ workspaceId: workspace.id, invitationId: second.invitation.id }),
    );
    expect(empty.status, await empty.clone().text()).toBe(201);
    const viaEmpty = (await empty.json()) as { invitation: { id: string } };
    const third = await reissueInvitation(owner, workspace.id, viaEmpty.invitation.id);
    expect((await listInvitations(owner, workspace.id)).map((i) => i.id)).toEqual([third.invitation.id]);
    expect(await previewInvitation(codeOf(first.link))).toMatchObject({ state: "revoked" });
    expect(await previewInvitation(codeOf(second.link))).toMatchObject({ state: "revoked" });
    expect((await listInvitations(owner, workspace.id, { state: "all" })).find((i) => i.id === viaEmpty.invitation.id)).toMatchObject({ state: "revoked" });
    // One invitation admits one person, whichever of its links they hold.
    expect(await code(acceptInvitation(s1, codeOf(third.link)))).toBe("OK");
    expect(await code(acceptInvitation(s2, codeOf(second.link)))).toBe("CONFLICT");
    expect(await code(acceptInvitation(s3, codeOf(first.link)))).toBe("CONFLICT");
    expect(await db().membership.count({ where: { workspaceId: workspace.id } })).toBe(2);
    // An accepted or revoked invitation is not re-issued either.
    expect(await code(reissueInvitation(owner, workspace.id, third.invitation.id))).toBe("CONFLICT");
    const revoked = await createInvitation(owner, workspace.id, { role: "viewer", anyoneWithLink: true });
    await revokeInvitation(owner, workspace.id, revoked.invitation.id);
    expect(await code(reissueInvitation(owner, workspace.id, revoked.invitation.id))).toBe("CONFLICT");
  });

  it("two re-issues of one link at the same moment leave one live link", async () => {
    for (let round = 0; round < 4; round++) {
      const { workspace, owner, members } = await makeWorkspace({ roles: ["admin"] });
      const inv = await createInvitation(owner, workspace.id, { role: "viewer", anyoneWithLink: true });
      const results = await Promise.all([reissueInvitation(owner, workspace.id, inv.invitation.id), reissueInvitation(members.admin!, workspace.id, inv.invitation.id)].map(code));
      expect(results.sort()).toEqual(["CONFLICT", "OK"]);
      expect(await listInvitations(owner, workspace.id)).toHaveLength(1);
    }
  });

  it("an invitation grants its role only while its sender could still send it (demoted, removed or disabled inviter)", async () => {
    const { workspace, owner, members } = await makeWorkspace({ roles: ["admin"] });
    const admin = members.admin!;
    const [alice, bob, carol] = [await makeUser("alice"), await makeUser("bob"), await makeUser("carol")];
    const asAdmin = await createInvitation(admin, workspace.id, { email: alice.email, role: "admin" });
    const asViewer = await createInvitation(admin, workspace.id, { role: "viewer", anyoneWithLink: true });
    await updateMemberRole(owner, workspace.id, admin.userId, { role: "member" });
    // Demoted to member: may no longer invite at all, so neither link admits anyone.
    const refused = acceptInvitation(alice, codeOf(asAdmin.link));
    await expect(refused).rejects.toThrow(/may no longer invite people as admin/);
    expect(await code(acceptInvitation(bob, codeOf(asViewer.link)))).toBe("CONFLICT");
    expect(await db().membership.count({ where: { workspaceId: workspace.id, userId: { in: [alice.userId, bob.userId] } } })).toBe(0);
    expect(await db().auditEvent.count({ where: { workspaceId: workspace.id, action: "member.invitation.accept", result: "denied" } })).toBe(2);
    // Back to admin: the links work again (they were never revoked); an admin's link never grants owner.
    await updateMemberRole(owner, workspace.id, admin.userId, { role: "admin" });
    expect(await acceptInvitation(alice, codeOf(asAdmin.link))).toEqual({ workspaceId: workspace.id, role: "admin" });
    // Disabled or removed inviter: their links stop.
    const forCarol = await createInvitation(admin, workspace.id, { email: carol.email, role: "member" });
    await db().user.update({ where: { id: admin.userId }, data: { disabledAt: new Date() } });
    expect(await code(acceptInvitation(carol, codeOf(forCarol.link)))).toBe("CONFLICT");
    await db().user.update({ where: { id: admin.userId }, data: { disabledAt: null } });
    await removeMember(owner, workspace.id, admin.userId);
    expect(await code(acceptInvitation(bob, codeOf(asViewer.link)))).toBe("CONFLICT");
    expect(await code(acceptInvitation(carol, codeOf(forCarol.link)))).toBe("CONFLICT");
    // An owner's invitation is unaffected.
    const byOwner = await createInvitation(owner, workspace.id, { role: "admin", anyoneWithLink: true });
    expect(await acceptInvitation(bob, codeOf(byOwner.link))).toEqual({ workspaceId: workspace.id, role: "admin" });
  });

  it("accepting at the same moment from two accounts admits exactly one", async () => {
    const { workspace, owner } = await makeWorkspace();
    const link = (await createInvitation(owner, workspace.id, { role: "member", anyoneWithLink: true })).link;
    const [a, b] = [await makeUser("a"), await makeUser("b")];
    const results = await Promise.all([acceptInvitation(a, codeOf(link)), acceptInvitation(b, codeOf(link))].map(code));
    expect(results.sort()).toEqual(["CONFLICT", "OK"]);
    expect(await db().membership.count({ where: { workspaceId: workspace.id } })).toBe(2);
  });

  it("refuses duplicates, members, roles above the inviter's and hostile input, changing nothing", async () => {
    const { workspace, owner, members } = await makeWorkspace({ roles: ["admin", "member"] });
    const x = await makeUser("x");
    await createInvitation(owner, workspace.id, { email: x.email, role: "viewer" });
    const before = await snapshot(workspace.id);
    const cases: [Parameters<typeof createInvitation>[2], string, typeof owner?][] = [
      [{ email: x.email, role: "viewer" }, "CONFLICT"],
      [{ email: ` ${x.email.toUpperCase()} `, role: "admin" }, "CONFLICT"],
      [{ email: members.member!.email, role: "viewer" }, "CONFLICT"],
      [{ email: "new@example.test", role: "owner" }, "FORBIDDEN", members.admin],
      [{ email: "new@example.test", role: "viewer" }, "FORBIDDEN", members.member],
      [{ email: "new@example.test", role: "god" as never }, "VALIDATION_FAILED"],
      [{ email: "new@example.test\r\nBcc: all@example.test", role: "viewer" }, "VALIDATION_FAILED"],
      [{ email: `${"a".repeat(300)}@example.test`, role: "viewer" }, "VALIDATION_FAILED"],
      [{ email: "not-an-email", role: "viewer" }, "VALIDATION_FAILED"],
      [{ role: "viewer" }, "VALIDATION_FAILED"],
      [{ email: "new@example.test", role: "viewer", expiresInDays: 365 }, "VALIDATION_FAILED"],
      [{ email: "new@example.test", role: "viewer", workspaceId: "x" } as never, "VALIDATION_FAILED"],
    ];
    for (const [input, expected, who] of cases) expect(await code(createInvitation(who ?? owner, workspace.id, input)), JSON.stringify(input).slice(0, 60)).toBe(expected);
    expect(await snapshot(workspace.id)).toBe(before);
  });

  it("works through REST: create returns the link once, list never does", async () => {
    const w = await makeWorkspace();
    const t = await makeToken(w.owner, w.workspace.id);
    const url = `http://localhost/api/v1/workspaces/${w.workspace.id}/invitations`;
    const res = await INVITE(req("POST", url, bearer(t.value), { email: "ops@example.test", role: "admin", expiresInDays: 2 }), ctx({ workspaceId: w.workspace.id }));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ delivery: "logged", invitation: { email: "ops@example.test", role: "admin", state: "pending" } });
    expect(Object.keys(body.invitation)).not.toContain("tokenHash");
    const list = await (await LIST_INVITES(req("GET", url, bearer(t.value)), ctx({ workspaceId: w.workspace.id }))).json();
    expect(JSON.stringify(list)).not.toContain(codeOf(body.link));
    const bad = await LIST_INVITES(req("GET", `${url}?state=everything`, bearer(t.value)), ctx({ workspaceId: w.workspace.id }));
    expect(bad.status).toBe(422);
  });
});
