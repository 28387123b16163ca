// Invitations: single-use, expiring links to join a workspace with a role. The link carries a
// code (`tsr_inv_…`, 190 random bits and a checksum) that is returned once, to the inviter, and
// stored only as an HMAC. Mail goes out through lib/mail after the transaction commits.
import type { Actor, UserActor } from "../auth/actor";
import { ROLE_RANK, isRole, roleCan, type Role } from "../auth/permissions";
import { credentialHashKeys, hmacHex } from "../auth/keys";
import { generateInvitationCode, isInvitationCode } from "../auth/token-format";
import { publicBaseUrl } from "../config";
import { db, lockWorkspace, type Db, type Tx } from "../db/client";
import type { Invitation } from "../generated/sqlite/client";
import { AppError, forbidden, notFound, parseInput } from "../errors";
import { sendMail, type MailDelivery } from "../mail";
import {
  createInvitationSchema,
  listInvitationsQuerySchema,
  reissueInvitationSchema,
  type CreateInvitationInput,
  type InvitationOutput,
  type InvitationState,
} from "../schemas/member";
import { cleanText, recordAudit, recordDenied } from "./audit";
import { authorize, authorizeRead, inRead, inTransaction } from "./authorize";
import { giveBack, hit } from "./rate-limit";
import { verifyFirstMessage } from "./verification";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Accept attempts with unknown codes allowed per account per 15 minutes. */
export const ACCEPT_FAILURE_LIMIT = 20;
/**
 * The same per address (five accounts' worth): it bounds guessing with many accounts from one
 * address, and is high enough that one member guessing behind a shared NAT address (who stops at
 * their own account's limit) cannot use it up for the people beside them.
 */
export const ACCEPT_ADDRESS_LIMIT = 5 * ACCEPT_FAILURE_LIMIT;
const ACCEPT_WINDOW_MS = 15 * 60_000;

type Row = Invitation & { invitedBy?: { email: string } | null };

export function invitationState(i: Pick<Invitation, "acceptedAt" | "revokedAt" | "expiresAt">, now = Date.now()): InvitationState {
  if (i.acceptedAt) return "accepted";
  if (i.revokedAt) return "revoked";
  if (i.expiresAt.getTime() <= now) return "expired";
  return "pending";
}

function present(i: Row): InvitationOutput {
  return {
    id: i.id,
    workspaceId: i.workspaceId,
    email: i.email,
    role: isRole(i.role) ? i.role : "viewer",
    anyoneWithLink: i.anyoneWithLink,
    state: invitationState(i),
    invitedBy: i.invitedBy?.email ?? null,
    expiresAt: i.expiresAt,
    acceptedAt: i.acceptedAt,
    revokedAt: i.revokedAt,
    createdAt: i.createdAt,
  };
}

/** The HMAC of a code under each configured key (the first is the one new invitations use). */
function codeHashes(code: string): string[] {
  return credentialHashKeys("invitation").map((k) => hmacHex(k.key, code));
}

export function invitationLink(code: string): string {
  return `${publicBaseUrl()}/invite/${code}`;
}

function inviterId(actor: Actor): string | null {
  if (actor.type === "user") return actor.userId;
  if (actor.type === "token") return actor.creatorId;
  return null;
}

/** The role rule for invitations: nobody invites with a role above their own. */
function assertMayGrant(actorRole: Role | null, role: Role, workspaceId: string, action: string) {
  if (actorRole !== null && ROLE_RANK[role] > ROLE_RANK[actorRole]) {
    const err = forbidden(role === "owner" ? "Only owners can invite owners" : "You cannot invite with a role above your own");
    err.denied = { workspaceId, action, target: { type: "invitation", id: null } };
    throw err;
  }
}

type Created = { invitation: InvitationOutput; link: string; delivery: MailDelivery | "none" };

async function mailInvitation(invitation: InvitationOutput, workspaceName: string, inviter: string | null, code: string): Promise<MailDelivery | "none"> {
  if (!invitation.email) return "none";
  const link = invitationLink(code);
  const who = inviter ? `${inviter} has invited you` : "You have been invited";
  return sendMail({
    to: invitation.email,
    subject: `Join ${cleanText(workspaceName, 64)} on Tessera`,
    text:
      `${who} to join the workspace "${cleanText(workspaceName, 64)}" on Tessera as ${invitation.role}.\n\n` +
      `Accept the invitation: ${link}\n\n` +
      `The link can be used once and expires on ${invitation.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC.\n` +
      `If you did not expect this invitation, ignore this mail.\n`,
    sensitive: [code],
  });
}

async function insertInvitation(
  tx: Tx,
  actor: Actor,
  workspaceId: string,
  data: { email: string | null; role: Role; anyoneWithLink: boolean; expiresInDays: number },
): Promise<{ row: Row; code: string }> {
  const code = generateInvitationCode();
  const row = await tx.invitation.create({
    data: {
      workspaceId,
      email: data.email,
      role: data.role,
      anyoneWithLink: data.anyoneWithLink,
      tokenHash: codeHashes(code)[0]!,
      invitedById: inviterId(actor),
      expiresAt: new Date(Date.now() + data.expiresInDays * DAY_MS),
    },
    include: { invitedBy: { select: { email: true } } },
  });
  return { row, code };
}

/** Invites by email (or "anyone with the link") with a role. The link is in this response only. */
export async function createInvitation(actor: Actor, workspaceId: string, input: CreateInvitationInput): Promise<Created> {
  const data = parseInput(createInvitationSchema, input);
  const email = data.email ?? null;
  const { created, code, workspaceName } = await inTransaction(actor, async (tx) => {
    const { workspace, role } = await authorize(tx, actor, workspaceId, "member.invite", {
      action: "member.invite",
      target: { type: "invitation", id: null },
    });
    assertMayGrant(role, data.role, workspaceId, "member.invite");
    if (email) {
      const member = await tx.membership.findFirst({ where: { workspaceId, user: { email } }, select: { id: true } });
      if (member) throw new AppError("CONFLICT", `${email} is already a member of this workspace`);
      const pending = await tx.invitation.findFirst({
        where: { workspaceId, email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
        select: { id: true },
      });
      if (pending) throw new AppError("CONFLICT", `${email} already has a pending invitation; revoke or re-issue it instead`);
    }
    const { row, code } = await insertInvitation(tx, actor, workspaceId, { email, role: data.role, anyoneWithLink: data.anyoneWithLink, expiresInDays: data.expiresInDays });
    await recordAudit(tx, actor, {
      workspaceId,
      action: "member.invite",
      target: { type: "invitation", id: row.id },
      metadata: { email, role: data.role, anyoneWithLink: data.anyoneWithLink, expiresInDays: data.expiresInDays },
    });
    return { created: present(row), code, workspaceName: workspace.name };
  });
  const delivery = await mailInvitation(created, workspaceName, created.invitedBy, code);
  return { invitation: created, link: invitationLink(code), delivery };
}

export async function listInvitations(actor: Actor, workspaceId: string, query: { state?: string } = {}): Promise<InvitationOutput[]> {
  const { state } = parseInput(listInvitationsQuerySchema, query);
  return inRead(actor, async (db) => {
    await authorizeRead(actor, workspaceId, "invitation.read", { action: "member.invitation.list", target: { type: "workspace", id: workspaceId } });
    const now = new Date();
    const where =
      state === "all"
        ? {}
        : state === "accepted"
          ? { acceptedAt: { not: null } }
          : state === "revoked"
            ? { acceptedAt: null, revokedAt: { not: null } }
            : state === "expired"
              ? { acceptedAt: null, revokedAt: null, expiresAt: { lte: now } }
              : { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } };
    const rows = await db.invitation.findMany({
      where: { workspaceId, ...where },
      include: { invitedBy: { select: { email: true } } },
      orderBy: { createdAt: "desc" },
      take: 500,
    });
    return rows.map(present);
  });
}

async function invitationIn(tx: Tx | Db, workspaceId: string, invitationId: string): Promise<Row> {
  const i = await tx.invitation.findFirst({ where: { id: invitationId, workspaceId }, include: { invitedBy: { select: { email: true } } } });
  if (!i) throw notFound("Invitation");
  return i;
}

export async function revokeInvitation(actor: Actor, workspaceId: string, invitationId: string): Promise<InvitationOutput> {
  const target = { type: "invitation", id: invitationId };
  return inTransaction(actor, async (tx) => {
    const { role } = await authorize(tx, actor, workspaceId, "member.invite", { action: "member.invitation.revoke", target });
    const i = await invitationIn(tx, workspaceId, invitationId);
    assertMayGrant(role, isRole(i.role) ? i.role : "viewer", workspaceId, "member.invitation.revoke");
    const state = invitationState(i);
    if (state !== "pending") throw new AppError("CONFLICT", `This invitation is already ${state}`);
    const updated = await tx.invitation.update({ where: { id: i.id }, data: { revokedAt: new Date() }, include: { invitedBy: { select: { email: true } } } });
    await recordAudit(tx, actor, { workspaceId, action: "member.invitation.revoke", target, metadata: { email: i.email, role: i.role } });
    return present(updated);
  });
}

/**
 * Re-issues an invitation: the old link stops working, a new one (new expiry) is returned once.
 * Only a pending or expired invitation can be re-issued, and re-issuing revokes it, so the links of
 * one invitation form a chain with at most one live link: re-issuing an older (revoked) link of the
 * chain again is refused (409), and so is the loser of two concurrent re-issues (the revocation is a
 * conditional update). A revoked invitation stays revoked: invite again instead.
 */
export async function reissueInvitation(actor: Actor, workspaceId: string, invitationId: string, input: { expiresInDays?: number } = {}): Promise<Created> {
  const { expiresInDays } = parseInput(reissueInvitationSchema, input);
  const { created, code, workspaceName } = await inTransaction(actor, async (tx) => {
    const target = { type: "invitation", id: invitationId };
    const { workspace, role } = await authorize(tx, actor, workspaceId, "member.invite", { action: "member.invitation.reissue", target });
    const old = await invitationIn(tx, workspaceId, invitationId);
    const oldRole = isRole(old.role) ? old.role : "viewer";
    assertMayGrant(role, oldRole, workspaceId, "member.invitation.reissue");
    if (old.acceptedAt) throw new AppError("CONFLICT", "This invitation has already been accepted");
    if (old.revokedAt) {
      throw new AppError("CONFLICT", "This invitation was revoked or already re-issued, so its link no longer works. Re-issue its newest link, or invite again.");
    }
    const revoked = await tx.invitation.updateMany({ where: { id: old.id, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    if (revoked.count !== 1) throw new AppError("CONFLICT", "This invitation was changed at the same moment (accepted, revoked or re-issued); reload and try again");
    if (old.email) {
      const member = await tx.membership.findFirst({ where: { workspaceId, user: { email: old.email } }, select: { id: true } });
      if (member) throw new AppError("CONFLICT", `${old.email} is already a member of this workspace`);
      const pending = await tx.invitation.findFirst({
        where: { workspaceId, email: old.email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
        select: { id: true },
      });
      if (pending) throw new AppError("CONFLICT", `${old.email} already has a pending invitation; re-issue that one instead`);
    }
    const { row, code } = await insertInvitation(tx, actor, workspaceId, { email: old.email, role: oldRole, anyoneWithLink: old.anyoneWithLink, expiresInDays });
    await recordAudit(tx, actor, {
      workspaceId,
      action: "member.invitation.reissue",
      target: { type: "invitation", id: row.id },
      metadata: { replaces: old.id, email: old.email, role: oldRole, expiresInDays },
    });
    return { created: present(row), code, workspaceName: workspace.name };
  });
  const delivery = await mailInvitation(created, workspaceName, created.invitedBy, code);
  return { invitation: created, link: invitationLink(code), delivery };
}

export type InvitationPreview =
  | { state: "invalid" }
  | {
      state: InvitationState;
      workspaceId: string;
      workspaceName: string;
      role: Role;
      email: string | null;
      anyoneWithLink: boolean;
      invitedBy: string | null;
      expiresAt: Date;
      /** Whether `viewerId` (the signed-in user looking at the link) is already a member. */
      alreadyMember: boolean;
    };

async function findByCode(tx: Tx | Db, code: string): Promise<(Row & { workspace: { name: string } }) | null> {
  if (!isInvitationCode(code)) return null;
  return tx.invitation.findFirst({
    where: { tokenHash: { in: codeHashes(code) } },
    include: { invitedBy: { select: { email: true } }, workspace: { select: { name: true } } },
  });
}

/** What the accept page shows to whoever holds the link (nothing for an unknown code). */
export async function previewInvitation(code: string, viewerId?: string): Promise<InvitationPreview> {
  const i = await findByCode(db(), code);
  if (!i) return { state: "invalid" };
  const member = viewerId
    ? await db().membership.findUnique({ where: { workspaceId_userId: { workspaceId: i.workspaceId, userId: viewerId } }, select: { id: true } })
    : null;
  return {
    state: invitationState(i),
    workspaceId: i.workspaceId,
    workspaceName: i.workspace.name,
    role: isRole(i.role) ? i.role : "viewer",
    email: i.email,
    anyoneWithLink: i.anyoneWithLink,
    invitedBy: i.invitedBy?.email ?? null,
    expiresAt: i.expiresAt,
    alreadyMember: !!member,
  };
}

/**
 * An invitation grants its role only while the person who sent it could still send it: they are an
 * enabled member of the workspace who may invite, with a role at least as high as the invitation's.
 * Checked at acceptance (in the accepting transaction, after the workspace lock), so demoting,
 * removing or disabling an inviter voids their pending invitations at once, whatever path made the
 * change. Invitations made by the system (no inviter) are not limited.
 */
async function assertInviterMayStillGrant(tx: Tx, i: Invitation, role: Role, target: { type: string; id: string }): Promise<void> {
  if (!i.invitedById) return;
  const inviter = await tx.membership.findUnique({
    where: { workspaceId_userId: { workspaceId: i.workspaceId, userId: i.invitedById } },
    select: { role: true, user: { select: { disabledAt: true } } },
  });
  const inviterRole = inviter && !inviter.user.disabledAt && isRole(inviter.role) ? inviter.role : null;
  if (inviterRole && roleCan(inviterRole, "member.invite") && ROLE_RANK[role] <= ROLE_RANK[inviterRole]) return;
  const err = new AppError(
    "CONFLICT",
    `This invitation can no longer be used: the person who sent it may no longer invite people as ${role}. Ask for a new invitation.`,
  );
  err.denied = { workspaceId: i.workspaceId, action: "member.invitation.accept", target };
  throw err;
}

/**
 * Accepts an invitation as the signed-in user. The email must match unless the inviter chose
 * "anyone with the link". Single use also under concurrency: the claim is a conditional update.
 */
export async function acceptInvitation(actor: UserActor, code: string): Promise<{ workspaceId: string; role: Role }> {
  if (actor.type !== "user") throw new AppError("FORBIDDEN", "Sign in to accept an invitation");
  // Every attempt counts first (atomic increments in the table all instances share), and a known
  // code gives its attempt back: an account or address past its limit gets no more answers, not
  // even to a right guess, and a burst cannot all be looked up before any is counted. The account
  // is counted first, and an account past its limit adds nothing to its address's count: one
  // member behind a shared NAT address locks out only themselves.
  const accountKey = `invite-accept-user:${actor.userId}`;
  const addressKey = `invite-accept:${actor.meta.ip ?? "unknown"}`;
  const refused = (retryAfterSeconds: number) => new AppError("RATE_LIMITED", "Too many invalid invitation links; try again later", { retryAfterSeconds });
  const byAccount = await hit(accountKey, ACCEPT_WINDOW_MS);
  if (byAccount.count > ACCEPT_FAILURE_LIMIT) throw refused(byAccount.retryAfterSeconds);
  const byAddress = await hit(addressKey, ACCEPT_WINDOW_MS);
  if (byAddress.count > ACCEPT_ADDRESS_LIMIT) throw refused(byAddress.retryAfterSeconds);
  const found = await findByCode(db(), code);
  if (!found) {
    await recordDenied(actor, { workspaceId: null, action: "member.invitation.accept", target: { type: "invitation", id: null } });
    throw new AppError("NOT_FOUND", "This invitation link is not valid. Check that you copied all of it.");
  }
  await giveBack(accountKey);
  await giveBack(addressKey);
  const target = { type: "invitation", id: found.id };
  return inTransaction(actor, async (tx) => {
    await lockWorkspace(tx, found.workspaceId);
    const i = await tx.invitation.findUnique({ where: { id: found.id } });
    if (!i) throw new AppError("NOT_FOUND", "This invitation no longer exists");
    const state = invitationState(i);
    if (state === "accepted") throw new AppError("CONFLICT", "This invitation has already been used");
    if (state === "revoked") throw new AppError("CONFLICT", "This invitation was revoked; ask for a new one");
    if (state === "expired") throw new AppError("CONFLICT", "This invitation has expired; ask for a new one");
    if (!i.anyoneWithLink && i.email !== actor.email.toLowerCase()) {
      const err = new AppError("FORBIDDEN", `This invitation is for ${i.email}, but you are signed in as ${actor.email}. Sign in with that address.`);
      err.denied = { workspaceId: i.workspaceId, action: "member.invitation.accept", target };
      throw err;
    }
    if (!i.anyoneWithLink) {
      // An invitation to an address is for whoever proved they read it (issue 15): an unverified
      // account may have registered somebody else's address. "Anyone with the link" does not
      // depend on the address, so it does not ask.
      const me = await tx.user.findUnique({ where: { id: actor.userId }, select: { emailVerifiedAt: true } });
      if (!me?.emailVerifiedAt) {
        const err = new AppError("FORBIDDEN", verifyFirstMessage(actor.email));
        err.denied = { workspaceId: i.workspaceId, action: "member.invitation.accept", target };
        throw err;
      }
    }
    const existing = await tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId: i.workspaceId, userId: actor.userId } } });
    if (existing) throw new AppError("CONFLICT", "You are already a member of this workspace");
    const role = isRole(i.role) ? i.role : "viewer";
    await assertInviterMayStillGrant(tx, i, role, target);
    const claimed = await tx.invitation.updateMany({
      where: { id: i.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: new Date(), acceptedById: actor.userId },
    });
    if (claimed.count !== 1) throw new AppError("CONFLICT", "This invitation has already been used");
    await tx.membership.create({ data: { workspaceId: i.workspaceId, userId: actor.userId, role, lastActiveAt: new Date() } });
    await recordAudit(tx, actor, { workspaceId: i.workspaceId, action: "member.invitation.accept", target, metadata: { email: actor.email, role } });
    return { workspaceId: i.workspaceId, role };
  });
}
