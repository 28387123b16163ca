"use server";

// The verification link's "Verify my address" button: the signed-in owner of the account confirms.
import { z } from "zod";
import { defineAction } from "@/lib/http/action";
import { isoDate } from "@/lib/schemas/common";
import { verifyEmail } from "@/lib/services/verification";

export const verifyEmailAction = defineAction({
  input: z.object({ token: z.string().max(200) }),
  output: z.object({ email: z.string(), emailVerifiedAt: isoDate }),
  handler: (actor, { token }) => verifyEmail(actor, token),
});
