// Members: list, change a role, remove, leave.
import { z } from "zod";
import { memberParamsSchema, memberSchema, removedMemberSchema, updateMemberRoleSchema } from "../schemas/member";
import { workspaceParamsSchema } from "../schemas/workspace";
import { BEARER_ERRORS, operation } from "./define";
import { EXAMPLE_LATER, EXAMPLE_TIME, EXAMPLE_USER_ID, EXAMPLE_WORKSPACE_ID } from "./examples";

// --- Examples (made up; consistent with lib/contract/examples.ts) ---
export const EXAMPLE_MEMBER_USER_ID = "cmx57cgzg0010k2us7a1b2c3d";
export const EXAMPLE_OWNER = { userId: EXAMPLE_USER_ID, email: "ada@acme.example", name: "Ada", role: "owner", joinedAt: EXAMPLE_TIME, lastActiveAt: EXAMPLE_LATER };
export const EXAMPLE_MEMBER = { userId: EXAMPLE_MEMBER_USER_ID, email: "grace@acme.example", name: null, role: "member", joinedAt: EXAMPLE_TIME, lastActiveAt: null };

const tag = "Members";
const params = { workspaceId: EXAMPLE_WORKSPACE_ID };
const memberParams = { workspaceId: EXAMPLE_WORKSPACE_ID, userId: EXAMPLE_MEMBER_USER_ID };

export const memberOperations = [
  operation({
    id: "members.list",
    method: "GET",
    path: "/api/v1/workspaces/{workspaceId}/members",
    tag,
    summary: "List members",
    description:
      "The workspace's members, oldest first, with their role, when they joined and their last activity (a dashboard visit or the use of one of their user tokens). A refused attempt is audited as a denied `member.list`.",
    auth: "bearer",
    permission: "member.read",
    params: workspaceParamsSchema,
    status: 200,
    output: z.object({ data: z.array(memberSchema).meta({ description: "The members, oldest first." }) }),
    outputDescription: "The members.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND"],
    examples: { params, response: { data: [EXAMPLE_OWNER, EXAMPLE_MEMBER] } },
  }),
  operation({
    id: "members.updateRole",
    method: "PATCH",
    path: "/api/v1/workspaces/{workspaceId}/members/{userId}",
    tag,
    summary: "Change a member's role",
    description:
      "Gives a member another role. Only owners grant or take away `owner`, nobody grants a role above their own or changes a member ranked above them (403), and the last owner cannot be demoted (409). Audited as `member.role.update` (from, to); refusals as denied.",
    auth: "bearer",
    permission: "member.update",
    params: memberParamsSchema,
    body: updateMemberRoleSchema,
    status: 200,
    output: memberSchema,
    outputDescription: "The member with their new role.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "VALIDATION_FAILED", "CONFLICT", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"],
    examples: { params: memberParams, body: { role: "admin" }, response: { ...EXAMPLE_MEMBER, role: "admin" } },
  }),
  operation({
    id: "members.remove",
    method: "DELETE",
    path: "/api/v1/workspaces/{workspaceId}/members/{userId}",
    tag,
    summary: "Remove a member",
    description:
      "Removes a member from the workspace and cancels their user tokens for it, in the same transaction (workspace and workload tokens keep working). Only owners remove an owner, nobody removes a member ranked above them (403), and the last owner cannot be removed (409). Audited as `member.remove` (role, tokens cancelled); refusals as denied.",
    auth: "bearer",
    permission: "member.remove",
    params: memberParamsSchema,
    status: 200,
    output: removedMemberSchema,
    outputDescription: "Who was removed and how many of their tokens were cancelled.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
    examples: { params: memberParams, response: { userId: EXAMPLE_MEMBER_USER_ID, tokensCancelled: 2 } },
  }),
  operation({
    id: "members.leave",
    method: "DELETE",
    path: "/api/v1/workspaces/{workspaceId}/members/me",
    tag,
    summary: "Leave the workspace",
    description:
      "The caller leaves the workspace (with a user token: its creator leaves) and their user tokens for it are cancelled. Workspace and workload tokens cannot leave (403). The last owner cannot leave (409). Audited as `member.leave`; refusals as denied.",
    auth: "bearer",
    permission: "member.leave",
    params: workspaceParamsSchema,
    status: 200,
    output: removedMemberSchema,
    outputDescription: "Who left and how many of their tokens were cancelled.",
    errors: [...BEARER_ERRORS, "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
    examples: { params, response: { userId: EXAMPLE_MEMBER_USER_ID, tokensCancelled: 1 } },
  }),
] as const;
