import { z } from "zod";
import { route } from "@/lib/http/route";
import { memberParamsSchema, memberSchema, updateMemberRoleSchema } from "@/lib/schemas/member";
import { removeMember, updateMemberRole } from "@/lib/services/members";

export const dynamic = "force-dynamic";

// PATCH /api/v1/workspaces/{workspaceId}/members/{userId} – change a member's role: {"role": "admin"}
export const PATCH = route({
  params: memberParamsSchema,
  body: updateMemberRoleSchema,
  output: memberSchema,
  handler: ({ actor, params, body }) => updateMemberRole(actor, params.workspaceId, params.userId, body),
});

// DELETE /api/v1/workspaces/{workspaceId}/members/{userId} – remove a member (their user tokens are cancelled)
export const DELETE = route({
  params: memberParamsSchema,
  output: z.object({ userId: z.string(), tokensCancelled: z.number().int() }),
  handler: ({ actor, params }) => removeMember(actor, params.workspaceId, params.userId),
});
