import { z } from "zod";
import { publicRoute } from "@/lib/http/route";
import { signUpSchema } from "@/lib/schemas/user";
import { signUpWithPassword } from "@/lib/services/users";
import { mailConfigured, VERIFY_LINK_TTL_TEXT } from "@/lib/services/verification";

export const dynamic = "force-dynamic";

/**
 * The one answer to every sign-up that passes validation: it never says whether the address had an
 * account. It does say how this server verifies addresses (the same for every sign-up).
 */
function accepted() {
  return {
    status: "accepted" as const,
    message:
      "If this email address is new here, your account is ready: sign in with it" +
      (mailConfigured()
        ? `, and open the verification link we sent to the address (it works for ${VERIFY_LINK_TTL_TEXT}).`
        : ". Mail is not configured on this server, so a platform admin must verify your address.") +
      " If it already has an account, nothing was changed and its owner has been told.",
  };
}

// POST /api/signup – email and password sign-up (no credentials; the dashboard's sign-up form).
// A new address gets an account, an existing one gets nothing but a notice to its owner: the
// answer is the same (202), and nobody is signed in. 429 with Retry-After past the per-address limit.
export const POST = publicRoute({
  body: signUpSchema,
  output: z.object({ status: z.literal("accepted"), message: z.string() }),
  status: 202,
  handler: async ({ body, meta }) => {
    await signUpWithPassword(body, meta);
    return accepted();
  },
});
