import { z } from "zod";
import { ROLES, TOKEN_SCOPES } from "../auth/permissions";
import { displayNameSchema, isoDate } from "./common";

export const TOKEN_KINDS = ["user", "workspace", "workload"] as const;
export const EXPIRY_PRESET_DAYS = [1, 7, 30, 90] as const;

export const createTokenSchema = z.strictObject({
  kind: z.enum(["user", "workspace"]).default("user"),
  name: displayNameSchema,
  description: z.string().trim().max(500, "must be at most 500 characters").optional(),
  expiresInDays: z.number().int().min(1).max(3650).default(1),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(TOKEN_SCOPES.length).default(["full"]),
  role: z.enum(ROLES).optional(),
});
export type CreateTokenInput = z.input<typeof createTokenSchema>;

/** A token as lists show it: never the value or its hash. */
export const tokenSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  kind: z.enum(TOKEN_KINDS),
  name: z.string(),
  description: z.string().nullable(),
  partialKey: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)),
  status: z.enum(["active", "cancelled"]),
  expiresAt: isoDate,
  createdAt: isoDate,
});

/** The one response that carries the value: the creation response. */
export const createdTokenSchema = tokenSchema.extend({ value: z.string() });
