import { z } from "zod";
import { route } from "@/lib/http/route";
import { matchSecretSchema, secretParamsSchema } from "@/lib/schemas/secret";
import { matchSecret } from "@/lib/services/secrets";

export const dynamic = "force-dynamic";

// POST /api/v1/workspaces/{workspaceId}/secrets/{secretId}/match – {"value": "…"} → {"match": true|false}; rate-limited and audited
export const POST = route({
  params: secretParamsSchema,
  body: matchSecretSchema,
  output: z.object({ match: z.boolean() }),
  handler: ({ actor, params, body }) => matchSecret(actor, params.workspaceId, params.secretId, body),
});
