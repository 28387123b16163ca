import { z } from "zod";
import { route } from "@/lib/http/route";
import { createWorkloadSchema, workloadSchema } from "@/lib/schemas/secret";
import { workspaceParamsSchema } from "@/lib/schemas/workspace";
import { createWorkload, listWorkloads } from "@/lib/services/workloads";

export const dynamic = "force-dynamic";

// GET /api/v1/workspaces/{workspaceId}/workloads – workloads with their bindings (secret names, never values) and tokens
export const GET = route({
  params: workspaceParamsSchema,
  output: z.object({ data: z.array(workloadSchema) }),
  handler: async ({ actor, params }) => ({ data: await listWorkloads(actor, params.workspaceId) }),
});

// POST /api/v1/workspaces/{workspaceId}/workloads – create: {"name","kind","description"?,"bindings"?: [{"envName","value"}|{"envName","secretId"}]}
export const POST = route({
  params: workspaceParamsSchema,
  body: createWorkloadSchema,
  output: workloadSchema,
  status: 201,
  handler: ({ actor, params, body }) => createWorkload(actor, params.workspaceId, body),
});
