import { z } from "zod";
import { route } from "@/lib/http/route";
import { memberSchema } from "@/lib/schemas/member";
import { workspaceParamsSchema } from "@/lib/schemas/workspace";
import { listMembers } from "@/lib/services/members";

export const dynamic = "force-dynamic";

// GET /api/v1/workspaces/{workspaceId}/members – members with role, join date and last activity
export const GET = route({
  params: workspaceParamsSchema,
  output: z.object({ data: z.array(memberSchema) }),
  handler: async ({ actor, params }) => ({ data: await listMembers(actor, params.workspaceId) }),
});
