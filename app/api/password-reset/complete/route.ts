import { z } from "zod";
import { publicRoute } from "@/lib/http/route";
import { resetCompleteSchema } from "@/lib/schemas/password";
import { completePasswordReset } from "@/lib/services/password";

export const dynamic = "force-dynamic";

// POST /api/password-reset/complete – sets a new password with a reset link: the link is used up
// and every session of the user ends (nobody is signed in; the page goes on to sign-in). 422 for
// an invalid, used or expired link, or a password that breaks the rule; 429 past the limit.
export const POST = publicRoute({
  body: resetCompleteSchema,
  output: z.object({ status: z.literal("reset"), sessionsEnded: z.number().int() }),
  handler: async ({ body, meta }) => ({ status: "reset" as const, ...(await completePasswordReset(body, meta)) }),
});
