import { z } from "zod";
import { route } from "@/lib/http/route";
import { tokenParamsSchema, tokenSchema, updateTokenSchema } from "@/lib/schemas/token";
import { deleteToken, getToken, updateToken } from "@/lib/services/tokens";

export const dynamic = "force-dynamic";

// GET /api/v1/workspaces/{workspaceId}/tokens/{tokenId} – one token (never its value)
export const GET = route({
  params: tokenParamsSchema,
  output: tokenSchema,
  handler: ({ actor, params }) => getToken(actor, params.workspaceId, params.tokenId),
});

// PATCH /api/v1/workspaces/{workspaceId}/tokens/{tokenId} – renew, reassign, cancel or rename
export const PATCH = route({
  params: tokenParamsSchema,
  body: updateTokenSchema,
  output: tokenSchema,
  handler: ({ actor, params, body }) => updateToken(actor, params.workspaceId, params.tokenId, body),
});

// DELETE /api/v1/workspaces/{workspaceId}/tokens/{tokenId} – delete a token
export const DELETE = route({
  params: tokenParamsSchema,
  output: z.object({ id: z.string() }),
  handler: ({ actor, params }) => deleteToken(actor, params.workspaceId, params.tokenId),
});
