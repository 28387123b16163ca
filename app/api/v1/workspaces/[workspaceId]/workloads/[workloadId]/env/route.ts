import { workloadCredentialRoute } from "@/lib/http/route";
import { resolvedEnvSchema, workloadParamsSchema } from "@/lib/schemas/secret";
import { resolveWorkloadEnv } from "@/lib/services/workloads";

export const dynamic = "force-dynamic";

// GET /api/v1/workspaces/{workspaceId}/workloads/{workloadId}/env – the resolved environment; only a
// short-lived credential (POST …/credentials) of a workload token bound to this workload
export const GET = workloadCredentialRoute({
  params: workloadParamsSchema,
  output: resolvedEnvSchema,
  handler: ({ actor, params }) => resolveWorkloadEnv(actor, params.workspaceId, params.workloadId),
});
