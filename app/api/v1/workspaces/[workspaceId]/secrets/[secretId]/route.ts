import { z } from "zod";
import { route } from "@/lib/http/route";
import { secretParamsSchema, secretSchema, updateSecretSchema } from "@/lib/schemas/secret";
import { deleteSecret, getSecret, updateSecret } from "@/lib/services/secrets";

export const dynamic = "force-dynamic";

// GET /api/v1/workspaces/{workspaceId}/secrets/{secretId} – one secret's metadata
export const GET = route({
  params: secretParamsSchema,
  output: secretSchema,
  handler: ({ actor, params }) => getSecret(actor, params.workspaceId, params.secretId),
});

// PATCH /api/v1/workspaces/{workspaceId}/secrets/{secretId} – rename, env name, visibility, expiry
export const PATCH = route({
  params: secretParamsSchema,
  body: updateSecretSchema,
  output: secretSchema,
  handler: ({ actor, params, body }) => updateSecret(actor, params.workspaceId, params.secretId, body),
});

// DELETE /api/v1/workspaces/{workspaceId}/secrets/{secretId} – delete (refused while workloads use it)
export const DELETE = route({
  params: secretParamsSchema,
  output: z.object({ id: z.string() }),
  handler: ({ actor, params }) => deleteSecret(actor, params.workspaceId, params.secretId),
});
