import { route } from "@/lib/http/route";
import { workloadEnvPolicySchema, workspaceParamsSchema, workspaceSchema } from "@/lib/schemas/workspace";
import { updateWorkloadEnvPolicy } from "@/lib/services/workspaces";

export const dynamic = "force-dynamic";

// PUT /api/v1/workspaces/{workspaceId}/workload-env-policy – set the code-loading variable names (PATH, LD_PRELOAD, …) workloads may use
export const PUT = route({
  params: workspaceParamsSchema,
  body: workloadEnvPolicySchema,
  output: workspaceSchema,
  handler: ({ actor, params, body }) => updateWorkloadEnvPolicy(actor, params.workspaceId, body),
});
