// Inputs of the password lifecycle (lib/services/password.ts). Passwords are bounded here and held
// to the rule (lib/auth/password.ts) by the service, which knows the account's address.
import { z } from "zod";
import { emailSchema } from "./user";

const password = z.string({ error: "is required" }).max(1000, "is too long");

/** POST /api/password-reset: "send me a link". */
export const resetRequestSchema = z.object({ email: emailSchema });

/** POST /api/password-reset/check: the secret from the link's fragment (its shape is checked by the service, and counted). */
export const resetLinkSchema = z.object({ token: z.string({ error: "is required" }).max(200, "is too long") });

/** POST /api/password-reset/complete. */
export const resetCompleteSchema = resetLinkSchema.extend({ password });

/** Account > Password. */
export const changePasswordSchema = z.object({ currentPassword: password, newPassword: password });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
