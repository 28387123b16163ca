import { z } from "zod";
import { route } from "@/lib/http/route";
import { createdTokenSchema, createTokenSchema, tokenSchema } from "@/lib/schemas/token";
import { workspaceParamsSchema } from "@/lib/schemas/workspace";
import { createToken, listTokens } from "@/lib/services/tokens";

export const dynamic = "force-dynamic";

// GET /api/v1/workspaces/{workspaceId}/tokens – the tokens the caller may see (never values)
export const GET = route({
  params: workspaceParamsSchema,
  output: z.object({ data: z.array(tokenSchema) }),
  handler: async ({ actor, params }) => ({ data: await listTokens(actor, params.workspaceId) }),
});

// POST /api/v1/workspaces/{workspaceId}/tokens – create a token; the value is in this response only
export const POST = route({
  params: workspaceParamsSchema,
  body: createTokenSchema,
  output: createdTokenSchema,
  status: 201,
  handler: ({ actor, params, body }) => createToken(actor, params.workspaceId, body),
});
