// zod schemas of the token resource. Values and hashes never appear in an output schema,
// except `value` in the one creation response.
import { z } from "zod";
import { ROLES, TOKEN_SCOPES } from "../auth/permissions";
import { displayNameSchema, idSchema, isoDate, visibleText } from "./common";
import { WORKSPACE_STATUSES } from "./workspace";

export const TOKEN_KINDS = ["user", "workspace", "workload"] as const;
/** "Expires soon" when less than this is left. */
export const EXPIRES_SOON_MS = 3 * 24 * 60 * 60 * 1000;

/** A lifetime: a number of days (presets 1, 7, 30, 90 or any whole number), or an exact date. */
const expirySchema = {
  expiresInDays: z.number().int("must be a whole number of days").min(1, "must be at least 1 day").max(3650).optional(),
  expiresAt: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" }).optional(),
};

const description = visibleText(z.string().trim().max(500, "must be at most 500 characters"), { multiline: true });

export const createTokenSchema = z
  .strictObject({
    kind: z.enum(TOKEN_KINDS).default("user"),
    name: displayNameSchema,
    description: description.optional(),
    ...expirySchema,
    scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(TOKEN_SCOPES.length).default(["full"]),
    /** Workspace tokens act with this role (default member; never above the creator's). */
    role: z.enum(ROLES).optional(),
    /** Workload tokens: the workload they are bound to (omit for an unassigned token). */
    workloadId: idSchema.optional(),
  })
  .refine((t) => !(t.expiresInDays && t.expiresAt), { message: "give expiresInDays or expiresAt, not both", path: ["expiresAt"] })
  .refine((t) => t.kind === "workload" || t.workloadId === undefined, { message: "only workload tokens have a workload", path: ["workloadId"] })
  .refine((t) => t.kind === "workspace" || t.role === undefined, { message: "only workspace tokens have a role", path: ["role"] });
export type CreateTokenInput = z.input<typeof createTokenSchema>;

export const updateTokenSchema = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("renew"), ...expirySchema }),
  z.strictObject({ action: z.literal("reassign"), workloadId: idSchema.nullable() }),
  z.strictObject({ action: z.literal("cancel") }),
  z.strictObject({ action: z.literal("rename"), name: displayNameSchema, description: description.nullable().optional() }),
]);
export type UpdateTokenInput = z.input<typeof updateTokenSchema>;

export const tokenParamsSchema = z.object({ workspaceId: idSchema, tokenId: idSchema });

/** A token as lists show it: never the value or its hash. */
export const tokenSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  kind: z.enum(TOKEN_KINDS),
  name: z.string(),
  description: z.string().nullable(),
  partialKey: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)),
  role: z.enum(ROLES).nullable(),
  status: z.enum(["active", "cancelled"]),
  expired: z.boolean(),
  expiresSoon: z.boolean(),
  expiresAt: isoDate,
  workloadId: z.string().nullable(),
  createdById: z.string().nullable(),
  lastUsedAt: isoDate.nullable(),
  lastUsedIp: z.string().nullable(),
  createdAt: isoDate,
});
export type TokenOutput = z.output<typeof tokenSchema>;

/** The one response that carries the value: the creation response. */
export const createdTokenSchema = tokenSchema.extend({ value: z.string() });

export const verifyTokenSchema = z.strictObject({
  token: z.string().max(200, "is too long"),
  workloadId: idSchema.optional(),
});

export const verifyResultSchema = z.discriminatedUnion("valid", [
  z.object({ valid: z.literal(false), reason: z.enum(["malformed", "unknown", "expired", "cancelled", "disabled", "inactive_workspace", "wrong_workload"]) }),
  z.object({
    valid: z.literal(true),
    tokenId: z.string(),
    workspaceId: z.string(),
    /** A user token is valid in a workspace that is not active yet (for setup, as on the API); gateways that admit run-time use should require "active". */
    workspaceStatus: z.enum(WORKSPACE_STATUSES),
    kind: z.enum(TOKEN_KINDS),
    workloadId: z.string().nullable(),
    scopes: z.array(z.enum(TOKEN_SCOPES)),
    expiresAt: isoDate,
  }),
]);
