import { z } from "zod";
import { publicRoute } from "@/lib/http/route";
import { signUpSchema } from "@/lib/schemas/user";
import { signUpWithPassword } from "@/lib/services/users";

export const dynamic = "force-dynamic";

/** The one answer to every sign-up that passes validation: it never says whether the address had an account. */
const SIGNUP_ACCEPTED = {
  status: "accepted",
  message:
    "If this email address is new here, your account is ready: sign in with it. If it already has an account, nothing was changed and its owner has been told.",
} as const;

// POST /api/signup – email and password sign-up (no credentials; the dashboard's sign-up form).
// A new address gets an account, an existing one gets nothing but a notice to its owner: the
// answer is the same (202), and nobody is signed in. 429 with Retry-After past the per-address limit.
export const POST = publicRoute({
  body: signUpSchema,
  output: z.object({ status: z.literal("accepted"), message: z.string() }),
  status: 202,
  handler: async ({ body, meta }) => {
    await signUpWithPassword(body, meta);
    return SIGNUP_ACCEPTED;
  },
});
