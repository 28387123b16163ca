import { publicRoute } from "@/lib/http/route";
import { verifyResultSchema, verifyTokenSchema } from "@/lib/schemas/token";
import { verifyToken } from "@/lib/services/tokens";

export const dynamic = "force-dynamic";

// POST /api/v1/tokens/verify – for gateways: is this token valid, and whose? (no credentials needed)
export const POST = publicRoute({
  body: verifyTokenSchema,
  output: verifyResultSchema,
  handler: ({ body, meta }) => verifyToken(body, meta),
});
