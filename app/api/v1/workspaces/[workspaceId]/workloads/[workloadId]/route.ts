import { z } from "zod";
import { route } from "@/lib/http/route";
import { updateWorkloadSchema, workloadParamsSchema, workloadSchema } from "@/lib/schemas/secret";
import { deleteWorkload, getWorkload, updateWorkload } from "@/lib/services/workloads";

export const dynamic = "force-dynamic";

// GET /api/v1/workspaces/{workspaceId}/workloads/{workloadId} – one workload, its bindings and tokens
export const GET = route({
  params: workloadParamsSchema,
  output: workloadSchema,
  handler: ({ actor, params }) => getWorkload(actor, params.workspaceId, params.workloadId),
});

// PATCH /api/v1/workspaces/{workspaceId}/workloads/{workloadId} – name, kind, description, bindings (replaces the list)
export const PATCH = route({
  params: workloadParamsSchema,
  body: updateWorkloadSchema,
  output: workloadSchema,
  handler: ({ actor, params, body }) => updateWorkload(actor, params.workspaceId, params.workloadId, body),
});

// DELETE /api/v1/workspaces/{workspaceId}/workloads/{workloadId} – delete; its workload tokens are cancelled
export const DELETE = route({
  params: workloadParamsSchema,
  output: z.object({ id: z.string(), tokensCancelled: z.number().int() }),
  handler: ({ actor, params }) => deleteWorkload(actor, params.workspaceId, params.workloadId),
});
