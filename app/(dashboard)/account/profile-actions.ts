"use server";

// Account > Profile: the name, resending the verification link, and changing the address (in the
// sudo window: the form runs it through useReauth().run).
import { z } from "zod";
import { defineAction } from "@/lib/http/action";
import { isoDate } from "@/lib/schemas/common";
import { profileNameSchema, updateProfileName } from "@/lib/services/profile";
import { changeEmail, resendVerification } from "@/lib/services/verification";

const delivery = z.enum(["sent", "logged", "failed", "none"]);

export const updateNameAction = defineAction({
  input: profileNameSchema,
  output: z.object({ name: z.string() }),
  handler: (actor, input) => updateProfileName(actor, input),
});

export const resendVerificationAction = defineAction({
  input: z.object({}),
  output: z.object({ email: z.string(), expiresAt: isoDate, delivery }),
  handler: (actor) => resendVerification(actor),
});

export const changeEmailAction = defineAction({
  input: z.object({ email: z.string().max(1000) }),
  output: z.object({ email: z.string(), delivery }),
  handler: (actor, input) => changeEmail(actor, input),
});
