// Invitations: list, invite, revoke, re-issue. Accepting one is a dashboard step (the link), not an API call.
import { z } from "zod";
import { createdInvitationSchema, createInvitationSchema, invitationParamsSchema, invitationSchema, listInvitationsQuerySchema, reissueInvitationSchema } from "../schemas/member";
import { workspaceParamsSchema } from "../schemas/workspace";
import { BEARER_ERRORS, operation } from "./define";
import { EXAMPLE_TIME, EXAMPLE_WORKSPACE_ID } from "./examples";

// --- Examples (made up; the link's code is not a real one) ---
export const EXAMPLE_INVITATION_ID = "cmx57cgzg0011k2iv7a1b2c3d";
export const EXAMPLE_REISSUED_INVITATION_ID = "cmx57cgzg0012k2iv7a1b2c3d";
const EXAMPLE_INVITATION_EXPIRY = "2026-12-08T09:30:00.000Z";
export const EXAMPLE_INVITATION = {
  id: EXAMPLE_INVITATION_ID,
  workspaceId: EXAMPLE_WORKSPACE_ID,
  email: "grace@acme.example",
  role: "member",
  anyoneWithLink: false,
  state: "pending",
  invitedBy: "ada@acme.example",
  expiresAt: EXAMPLE_INVITATION_EXPIRY,
  acceptedAt: null,
  revokedAt: null,
  createdAt: EXAMPLE_TIME,
};
export const EXAMPLE_INVITATION_LINK = "https://tessera.acme.example/invite/tsr_inv_ExampleOnlyNotARealInvitationCode0";

const tag = "Invitations";
const params = { workspaceId: EXAMPLE_WORKSPACE_ID };
const invitationParams = { workspaceId: EXAMPLE_WORKSPACE_ID, invitationId: EXAMPLE_INVITATION_ID };

export const invitationOperations = [
  operation({
    id: "invitations.list",
    method: "GET",
    path: "/api/v1/workspaces/{workspaceId}/invitations",
    tag,
    summary: "List invitations",
    description:
      "The workspace's invitations in one state (pending by default), newest first, at most 500. Never their links: a link is shown once, when it is made. A refused attempt is audited as a denied `member.invitation.list`.",
    auth: "bearer",
    permission: "invitation.read",
    params: workspaceParamsSchema,
    query: listInvitationsQuerySchema,
    status: 200,
    output: z.object({ data: z.array(invitationSchema).meta({ description: "The invitations, newest first." }) }),
    outputDescription: "The invitations.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "VALIDATION_FAILED"],
    examples: { params, query: { state: "pending" }, response: { data: [EXAMPLE_INVITATION] } },
  }),
  operation({
    id: "invitations.create",
    method: "POST",
    path: "/api/v1/workspaces/{workspaceId}/invitations",
    tag,
    summary: "Invite someone",
    description:
      "Makes a single-use invitation link with a role, for one email address (only that address may accept it) or for anyone with the link, valid 1-30 days (7 by default). The link is in this response only; it is mailed when an email is given and SMTP is configured (`delivery` says what happened). Nobody invites with a role above their own (403); an address that is already a member or has a pending invitation is refused (409). Audited as `member.invite`; refusals as denied.",
    auth: "bearer",
    permission: "member.invite",
    params: workspaceParamsSchema,
    body: createInvitationSchema,
    status: 201,
    output: createdInvitationSchema,
    outputDescription: "The invitation and its link (shown once).",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "VALIDATION_FAILED", "CONFLICT", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"],
    examples: {
      params,
      body: { email: "grace@acme.example", role: "member", expiresInDays: 7 },
      response: { invitation: EXAMPLE_INVITATION, link: EXAMPLE_INVITATION_LINK, delivery: "sent" },
    },
  }),
  operation({
    id: "invitations.revoke",
    method: "DELETE",
    path: "/api/v1/workspaces/{workspaceId}/invitations/{invitationId}",
    tag,
    summary: "Revoke an invitation",
    description:
      "Revokes a pending invitation: its link stops working. One that is already accepted, revoked or expired is a 409; one with a role above the caller's a 403. Audited as `member.invitation.revoke`; refusals as denied.",
    auth: "bearer",
    permission: "member.invite",
    params: invitationParamsSchema,
    status: 200,
    output: invitationSchema,
    outputDescription: "The revoked invitation.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
    examples: { params: invitationParams, response: { ...EXAMPLE_INVITATION, state: "revoked", revokedAt: EXAMPLE_TIME } },
  }),
  operation({
    id: "invitations.reissue",
    method: "POST",
    path: "/api/v1/workspaces/{workspaceId}/invitations/{invitationId}/reissue",
    tag,
    summary: "Re-issue an invitation",
    description:
      "Replaces a pending or expired invitation with a new one (a new link and expiry; same email, role and link rule): the old link stops working. The new link is in this response only. An accepted or revoked invitation, an earlier link of one already re-issued, or the loser of two re-issues at the same moment is a 409. Audited as `member.invitation.reissue` (with the invitation it replaces); refusals as denied.",
    auth: "bearer",
    permission: "member.invite",
    params: invitationParamsSchema,
    // Optional: an empty POST re-issues with the default lifetime (as docs/guide.md says).
    body: reissueInvitationSchema.optional(),
    status: 201,
    output: createdInvitationSchema,
    outputDescription: "The new invitation and its link (shown once).",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "VALIDATION_FAILED", "CONFLICT", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"],
    examples: {
      params: invitationParams,
      body: { expiresInDays: 14 },
      response: {
        invitation: { ...EXAMPLE_INVITATION, id: EXAMPLE_REISSUED_INVITATION_ID, expiresAt: "2026-12-15T09:30:00.000Z" },
        link: EXAMPLE_INVITATION_LINK,
        delivery: "sent",
      },
    },
  }),
] as const;
