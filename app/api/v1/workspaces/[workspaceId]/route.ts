import { route } from "@/lib/http/route";
import { renameWorkspaceSchema, workspaceParamsSchema, workspaceSchema } from "@/lib/schemas/workspace";
import { getWorkspace, renameWorkspace } from "@/lib/services/workspaces";

export const dynamic = "force-dynamic";

// GET /api/v1/workspaces/{workspaceId} – read a workspace
export const GET = route({
  params: workspaceParamsSchema,
  output: workspaceSchema,
  handler: ({ actor, params }) => getWorkspace(actor, params.workspaceId),
});

// PATCH /api/v1/workspaces/{workspaceId} – rename a workspace
export const PATCH = route({
  params: workspaceParamsSchema,
  body: renameWorkspaceSchema,
  output: workspaceSchema,
  handler: ({ actor, params, body }) => renameWorkspace(actor, params.workspaceId, body),
});
