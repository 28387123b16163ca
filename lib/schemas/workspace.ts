// zod schemas of the workspace resource: input and output. Outputs are parsed before they
// leave a transport, so a field not listed here cannot reach a client.
import { z } from "zod";
import { ROLES } from "../auth/permissions";
import { isLoaderVariable } from "../secrets/loader-vars";
import { displayNameSchema, idSchema, isoDate, visibleText } from "./common";

export const WORKSPACE_STATUSES = ["pending", "requested", "active", "rejected"] as const;

export const workspaceParamsSchema = z.object({ workspaceId: idSchema });

export const createWorkspaceSchema = z.strictObject({ name: displayNameSchema });
export type CreateWorkspaceInput = z.infer<typeof createWorkspaceSchema>;

export const renameWorkspaceSchema = z.strictObject({ name: displayNameSchema });
export type RenameWorkspaceInput = z.infer<typeof renameWorkspaceSchema>;

export const deleteWorkspaceSchema = z.strictObject({ confirmName: z.string().max(200) });

export const activationRequestSchema = z.strictObject({
  organisation: visibleText(z.string({ error: "is required" }).trim().min(2, "must be at least 2 characters").max(120, "must be at most 120 characters")),
  useCase: visibleText(
    z.string({ error: "is required" }).trim().min(10, "must be at least 10 characters: tell us what you will run").max(2000, "must be at most 2000 characters"),
    { multiline: true },
  ),
});

export const activationReviewSchema = z.discriminatedUnion("decision", [
  z.strictObject({ decision: z.literal("approve") }),
  z.strictObject({
    decision: z.literal("reject"),
    reason: visibleText(z.string({ error: "is required" }).trim().min(3, "must say why (at least 3 characters)").max(500), { multiline: true }),
  }),
]);

/** An email domain such as example.com (lower-case, at least one dot, no wildcards). */
export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a domain such as example.com");

export const ssoSettingsSchema = z.strictObject({
  ssoDomain: z.union([domainSchema, z.literal("").transform(() => null), z.null()]),
  ssoDefaultRole: z.enum(["admin", "member", "viewer"]),
  ssoRequired: z.boolean(),
});

/** The workspace's token policy: the longest lifetime a new or renewed token may have. */
export const MAX_TOKEN_LIFETIME_LIMIT_DAYS = 365;
export const tokenPolicySchema = z.strictObject({
  maxTokenLifetimeDays: z
    .number({ error: "must be a whole number of days" })
    .int("must be a whole number of days")
    .min(1, "must be at least 1 day")
    .max(MAX_TOKEN_LIFETIME_LIMIT_DAYS, `must be at most ${MAX_TOKEN_LIFETIME_LIMIT_DAYS} days`),
});
export type TokenPolicyInput = z.input<typeof tokenPolicySchema>;

/**
 * The code-loading variable names (PATH, LD_PRELOAD, NODE_OPTIONS, …) that workloads of this
 * workspace may set. Only names that the rule refuses can be listed (others need no allowing).
 */
export const workloadEnvPolicySchema = z.strictObject({
  allowedEnvNames: z
    .array(
      z
        .string({ error: "must be a string" })
        .trim()
        .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "must be an environment variable name")
        .refine(isLoaderVariable, "is not a code-loading variable name: it needs no allowing"),
    )
    .max(50, "must list at most 50 names")
    .transform((names) => [...new Set(names)].sort()),
});
export type WorkloadEnvPolicyInput = z.input<typeof workloadEnvPolicySchema>;

export const workspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(WORKSPACE_STATUSES),
  role: z.enum(ROLES).nullable(),
  personal: z.boolean(),
  activation: z.object({
    organisation: z.string().nullable(),
    useCase: z.string().nullable(),
    requestedAt: isoDate.nullable(),
    reviewedAt: isoDate.nullable(),
    rejectionReason: z.string().nullable(),
  }),
  sso: z.object({ domain: z.string().nullable(), defaultRole: z.enum(ROLES), required: z.boolean() }),
  /** New and renewed tokens live at most this many days. */
  maxTokenLifetimeDays: z.number().int(),
  /** Audit events older than this many days are deleted (hourly); null keeps them forever. */
  auditRetentionDays: z.number().int().nullable(),
  /** Code-loading variable names (PATH, LD_PRELOAD, …) an admin allowed in this workspace's workloads. */
  allowedEnvNames: z.array(z.string()),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type WorkspaceOutput = z.output<typeof workspaceSchema>;
