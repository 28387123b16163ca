import { route } from "@/lib/http/route";
import { replaceSecretValueSchema, savedSecretSchema, secretParamsSchema } from "@/lib/schemas/secret";
import { replaceSecretValue } from "@/lib/services/secrets";

export const dynamic = "force-dynamic";

// PUT /api/v1/workspaces/{workspaceId}/secrets/{secretId}/value – replace the value: {"value": "…"} (a new version; older ones are deleted)
export const PUT = route({
  params: secretParamsSchema,
  body: replaceSecretValueSchema,
  output: savedSecretSchema,
  handler: ({ actor, params, body }) => replaceSecretValue(actor, params.workspaceId, params.secretId, body),
});
