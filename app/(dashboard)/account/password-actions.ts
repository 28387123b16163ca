"use server";

// Account > Password: change it with the current one (the form runs it through useReauth, so a
// session outside the sudo window confirms it's you first).
import { z } from "zod";
import { defineAction } from "@/lib/http/action";
import { changePasswordSchema } from "@/lib/schemas/password";
import { changePassword } from "@/lib/services/password";

export const changePasswordAction = defineAction({
  input: changePasswordSchema,
  output: z.object({ otherSessionsEnded: z.number().int() }),
  handler: (actor, input) => changePassword(actor, input),
});
