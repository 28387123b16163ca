import { z } from "zod";
import { route } from "@/lib/http/route";
import { createSecretSchema, savedSecretSchema, secretSchema } from "@/lib/schemas/secret";
import { workspaceParamsSchema } from "@/lib/schemas/workspace";
import { createSecret, listSecrets } from "@/lib/services/secrets";

export const dynamic = "force-dynamic";

// GET /api/v1/workspaces/{workspaceId}/secrets – the secrets the caller may see (metadata only, never values)
export const GET = route({
  params: workspaceParamsSchema,
  output: z.object({ data: z.array(secretSchema) }),
  handler: async ({ actor, params }) => ({ data: await listSecrets(actor, params.workspaceId) }),
});

// POST /api/v1/workspaces/{workspaceId}/secrets – create: {"name","preset","value","visibility","envName"?,"expiresAt"?}; the value never comes back
export const POST = route({
  params: workspaceParamsSchema,
  body: createSecretSchema,
  output: savedSecretSchema,
  status: 201,
  handler: ({ actor, params, body }) => createSecret(actor, params.workspaceId, body),
});
