import { z } from "zod";
import { publicRoute } from "@/lib/http/route";
import { resetRequestSchema } from "@/lib/schemas/password";
import { requestPasswordReset } from "@/lib/services/password";

export const dynamic = "force-dynamic";

/** The one answer to every request that passes validation and the limits: it never says whether the address has an account. */
const RESET_REQUESTED = {
  status: "accepted",
  message:
    "If this address belongs to an account that signs in with a password, a link to choose a new one is on its way. It works once, within 30 minutes.",
} as const;

// POST /api/password-reset – "send me a reset link" (no credentials; the /forgot-password form).
// 202 with the same body whether the account exists, signs in with SSO only, or is disabled; the
// link is made and mailed in the background. 429 with Retry-After past the per-address or
// per-account limit (lib/services/password.ts).
export const POST = publicRoute({
  body: resetRequestSchema,
  output: z.object({ status: z.literal("accepted"), message: z.string() }),
  status: 202,
  handler: async ({ body, meta }) => {
    await requestPasswordReset(body, meta);
    return RESET_REQUESTED;
  },
});
