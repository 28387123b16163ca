import { z } from "zod";
import { route } from "@/lib/http/route";
import { workspaceParamsSchema } from "@/lib/schemas/workspace";
import { leaveWorkspace } from "@/lib/services/members";

export const dynamic = "force-dynamic";

// DELETE /api/v1/workspaces/{workspaceId}/members/me – leave the workspace (user tokens: their creator leaves)
export const DELETE = route({
  params: workspaceParamsSchema,
  output: z.object({ userId: z.string(), tokensCancelled: z.number().int() }),
  handler: ({ actor, params }) => leaveWorkspace(actor, params.workspaceId),
});
