// Platform administration: activation review, user accounts and their sessions. For platform
// admins only: a user token with the opt-in `platform` scope whose creator is a platform admin now
// (re-read at each request) and not disabled; reads need `read` or `full` as well, writes `full`.
// Anyone else (including the admin's other tokens) gets 403.
import {
  activationRequestListSchema,
  activationRequestsQuerySchema,
  adminUserListSchema,
  adminUserSchema,
  adminUsersQuerySchema,
  updateUserSchema,
  userParamsSchema,
} from "../schemas/admin";
import { signedOutSchema } from "../schemas/account";
import { activationReviewSchema, workspaceParamsSchema, workspaceSchema } from "../schemas/workspace";
import { BEARER_ERRORS, operation } from "./define";
import { EXAMPLE_ADMIN_USER, EXAMPLE_OTHER_USER_ID, EXAMPLE_REQUESTED_WORKSPACE, EXAMPLE_TIME, EXAMPLE_WORKSPACE, EXAMPLE_WORKSPACE_ID } from "./examples";

const tag = "Platform administration";
const WHO =
  "For platform admins: a user token with the `platform` scope (opt-in, chosen by a platform admin when creating the token in the dashboard), whose creator is a platform admin at the time of the request (re-read from the database, never remembered) and whose account is not disabled. The admin's tokens without the `platform` scope, workspace and workload tokens, and other users' tokens get 403, audited as denied.";
const BODY_ERRORS = ["VALIDATION_FAILED", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"] as const;

export const adminOperations = [
  operation({
    id: "admin.listActivationRequests",
    method: "GET",
    path: "/api/v1/admin/activation-requests",
    tag,
    summary: "List activation requests",
    description: `Workspaces by activation state, oldest request first: those waiting for review (\`requested\`, the default), or \`pending\`, \`active\`, \`rejected\` or \`all\`, with who created each and how many members it has. ${WHO} Needs the \`platform\` scope with \`read\` or \`full\`.`,
    auth: "bearer",
    permission: "platform.admin",
    query: activationRequestsQuerySchema,
    status: 200,
    output: activationRequestListSchema,
    outputDescription: "The workspaces.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "VALIDATION_FAILED"],
    examples: {
      query: { status: "requested" },
      response: { data: [{ ...EXAMPLE_REQUESTED_WORKSPACE, role: null, createdBy: "ada@acme.example", members: 3 }] },
    },
  }),
  operation({
    id: "admin.reviewActivation",
    method: "POST",
    path: "/api/v1/admin/activation-requests/{workspaceId}",
    tag,
    summary: "Approve or reject an activation request",
    description: `\`{"decision": "approve"}\` activates a workspace that applied (\`requested\`); \`{"decision": "reject", "reason": "…"}\` rejects it with a reason its owners see (they may apply again). A workspace that did not apply, was already reviewed, or was reviewed at the same moment answers 409 and nothing changes. ${WHO} Needs the \`platform\` and \`full\` scopes. Audited as \`workspace.activation.approve\` or \`workspace.activation.reject\` in the workspace's log, with the token as the actor.`,
    auth: "bearer",
    permission: "platform.admin",
    params: workspaceParamsSchema,
    body: activationReviewSchema,
    status: 200,
    output: workspaceSchema,
    outputDescription: "The reviewed workspace (`role` is null: the admin need not be a member).",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "CONFLICT", ...BODY_ERRORS],
    examples: {
      params: { workspaceId: EXAMPLE_WORKSPACE_ID },
      body: { decision: "approve" },
      response: { ...EXAMPLE_WORKSPACE, role: null },
    },
  }),
  operation({
    id: "admin.listUsers",
    method: "GET",
    path: "/api/v1/admin/users",
    tag,
    summary: "List users",
    description: `User accounts, oldest first, one page at a time (50 by default): email, name, whether a platform admin, whether disabled. \`q\` keeps those whose email address or name contains the text (case-insensitive); pass \`nextCursor\` back as \`cursor\` for the next page. Bad query parameters are a 422 naming the field. ${WHO} Needs the \`platform\` scope with \`read\` or \`full\`.`,
    auth: "bearer",
    permission: "platform.admin",
    query: adminUsersQuerySchema,
    status: 200,
    output: adminUserListSchema,
    outputDescription: "A page of users and the cursor of the next one.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "VALIDATION_FAILED"],
    examples: { query: { q: "acme.example" }, response: { data: [EXAMPLE_ADMIN_USER], nextCursor: null } },
  }),
  operation({
    id: "admin.updateUser",
    method: "PATCH",
    path: "/api/v1/admin/users/{userId}",
    tag,
    summary: "Disable or enable a user, or mark their address verified",
    description: `\`{"disabled": true}\` disables an account: its dashboard sessions end at once, its user tokens stop (401), and it cannot sign in; \`{"disabled": false}\` enables it again (its tokens that have not expired work again). Nobody disables their own account (400). \`{"emailVerified": true}\` marks the user's current email address verified, as its verification link would (the way to verify addresses on a server without mail; an admin may mark their own); an address already verified stays as it is. Both may be sent together (one change); at least one is required (422). ${WHO} Needs the \`platform\` and \`full\` scopes. Audited as \`user.disable\`, \`user.enable\` or \`user.email_verify\` (metadata \`{"by": "admin"}\`), with the token as the actor.`,
    auth: "bearer",
    permission: "platform.admin",
    params: userParamsSchema,
    body: updateUserSchema,
    status: 200,
    output: adminUserSchema,
    outputDescription: "The user, as changed.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", ...BODY_ERRORS],
    examples: { params: { userId: EXAMPLE_OTHER_USER_ID }, body: { disabled: true }, response: { ...EXAMPLE_ADMIN_USER, disabledAt: EXAMPLE_TIME } },
  }),
  operation({
    id: "admin.revokeUserSessions",
    method: "POST",
    path: "/api/v1/admin/users/{userId}/sessions/revoke",
    tag,
    summary: "End a user's sessions",
    description: `Ends every dashboard session of a user, on every device and instance, and answers how many were ended: the user is signed out on their next request and may sign in again (disable the account to keep them out). Their API tokens keep working: cancel those in their workspaces. Takes no body. ${WHO} Needs the \`platform\` and \`full\` scopes. Audited as \`user.sessions_revoke_admin\` on the user, with the token as the actor.`,
    auth: "bearer",
    permission: "platform.admin",
    params: userParamsSchema,
    status: 200,
    output: signedOutSchema,
    outputDescription: "The number of sessions ended.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND"],
    examples: { params: { userId: EXAMPLE_OTHER_USER_ID }, response: { sessions: 2 } },
  }),
] as const;
