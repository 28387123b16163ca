import { z } from "zod";
import { displayNameSchema } from "./common";

export const emailSchema = z
  .string({ error: "is required" })
  .trim()
  .toLowerCase()
  .max(254, "must be at most 254 characters")
  .pipe(z.email({ error: "must be a valid email address" }));

export const signUpSchema = z.object({
  name: displayNameSchema,
  email: emailSchema,
  password: z.string({ error: "is required" }).max(1000, "is too long"),
});
export type SignUpInput = z.infer<typeof signUpSchema>;
