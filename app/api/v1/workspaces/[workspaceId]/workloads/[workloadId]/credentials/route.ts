import { route } from "@/lib/http/route";
import { issueCredentialSchema, issuedCredentialSchema, workloadParamsSchema } from "@/lib/schemas/secret";
import { issueWorkloadCredential } from "@/lib/services/workloads";

export const dynamic = "force-dynamic";

// POST /api/v1/workspaces/{workspaceId}/workloads/{workloadId}/credentials – a workload token bound to
// this workload exchanges itself for a short-lived (≤15 min) credential for the env endpoint
export const POST = route({
  params: workloadParamsSchema,
  body: issueCredentialSchema,
  output: issuedCredentialSchema,
  status: 201,
  handler: ({ actor, params, body }) => issueWorkloadCredential(actor, params.workspaceId, params.workloadId, body),
});
