import { z } from "zod";
import { publicRoute } from "@/lib/http/route";
import { resetLinkSchema } from "@/lib/schemas/password";
import { checkResetLink } from "@/lib/services/password";

export const dynamic = "force-dynamic";

// POST /api/password-reset/check – whether a reset link can still be used (the reset page asks
// before showing its form): 200 with the account's address, or 422 "This link is invalid or has
// expired". Failures count toward the client address's limit (429 with Retry-After).
export const POST = publicRoute({
  body: resetLinkSchema,
  output: z.object({ email: z.string() }),
  handler: ({ body, meta }) => checkResetLink(body.token, meta),
});
