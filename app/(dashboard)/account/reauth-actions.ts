"use server";

// "Confirm it's you" (sudo mode): the password or a second-factor code opens the 10-minute window.
import { z } from "zod";
import { defineAction } from "@/lib/http/action";
import { reauthenticate } from "@/lib/services/reauth";

export const reauthenticateAction = defineAction({
  input: z.object({ password: z.string().max(1000).optional(), code: z.string().max(20).optional() }),
  output: z.object({ method: z.enum(["password", "totp"]) }),
  handler: (actor, input) => reauthenticate(actor, input),
});
