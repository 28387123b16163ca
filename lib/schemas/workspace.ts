// zod schemas of the workspace resource: input and output. Outputs are parsed before they
// leave a transport, so a field not listed here cannot reach a client.
import { z } from "zod";
import { ROLES } from "../auth/permissions";
import { isLoaderVariable } from "../secrets/loader-vars";
import { displayNameSchema, idSchema, isoDate, visibleText } from "./common";

export const WORKSPACE_STATUSES = ["pending", "requested", "active", "rejected"] as const;

export const workspaceParamsSchema = z.object({ workspaceId: idSchema.meta({ description: "The workspace's id." }) });

export const createWorkspaceSchema = z.strictObject({ name: displayNameSchema.meta({ description: "The new workspace's display name (1-64 characters, nothing invisible)." }) });
export type CreateWorkspaceInput = z.infer<typeof createWorkspaceSchema>;

export const renameWorkspaceSchema = z.strictObject({ name: displayNameSchema.meta({ description: "The workspace's new display name (1-64 characters, nothing invisible)." }) });
export type RenameWorkspaceInput = z.infer<typeof renameWorkspaceSchema>;

export const deleteWorkspaceSchema = z.strictObject({
  confirmName: z.string().max(200).meta({ description: "The workspace's current name, typed again to confirm the deletion." }),
});

export const activationRequestSchema = z.strictObject({
  organisation: visibleText(z.string({ error: "is required" }).trim().min(2, "must be at least 2 characters").max(120, "must be at most 120 characters")).meta({
    description: "The organisation the workspace is for (2-120 characters).",
  }),
  useCase: visibleText(
    z.string({ error: "is required" }).trim().min(10, "must be at least 10 characters: tell us what you will run").max(2000, "must be at most 2000 characters"),
    { multiline: true },
  ).meta({ description: "What you will run (10-2000 characters, several lines allowed)." }),
});

export const activationReviewSchema = z.discriminatedUnion("decision", [
  z.strictObject({ decision: z.literal("approve").meta({ description: "Approve: the workspace becomes active." }) }),
  z.strictObject({
    decision: z.literal("reject").meta({ description: "Reject the request, saying why." }),
    reason: visibleText(z.string({ error: "is required" }).trim().min(3, "must say why (at least 3 characters)").max(500, "must be at most 500 characters"), { multiline: true }).meta({
      description: "Why the request is rejected (3-500 characters), shown to the workspace's owners.",
    }),
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
  ssoDomain: z
    .union([domainSchema, z.literal("").transform(() => null), z.null()])
    .meta({ description: "An email domain (example.com): users of that domain who sign in with SSO join the workspace. Null or empty for none." }),
  ssoDefaultRole: z.enum(["admin", "member", "viewer"]).meta({ description: "The role SSO users of the domain get when they join." }),
  ssoRequired: z.boolean().meta({ description: "Members must sign in with SSO to use the workspace (password sessions are refused)." }),
});

/**
 * The workspace's token policy: the longest lifetime a new or renewed token may have, and the
 * lifetime a new token gets when none is chosen (the default, 1 day; at most the longest).
 */
export const MAX_TOKEN_LIFETIME_LIMIT_DAYS = 365;
const policyDays = () =>
  z
    .number({ error: "must be a whole number of days" })
    .int("must be a whole number of days")
    .min(1, "must be at least 1 day")
    .max(MAX_TOKEN_LIFETIME_LIMIT_DAYS, `must be at most ${MAX_TOKEN_LIFETIME_LIMIT_DAYS} days`);
export const tokenPolicySchema = z.strictObject({
  maxTokenLifetimeDays: policyDays().meta({ description: `The longest lifetime, in days, of a new or renewed token (1-${MAX_TOKEN_LIFETIME_LIMIT_DAYS}).` }),
  // The bound by maxTokenLifetimeDays is checked by the service (a refinement would stop `.extend`).
  defaultTokenExpiryDays: policyDays()
    .optional()
    .meta({
      description:
        "The lifetime, in days, of a new token (or a renewal) whose expiry is not given: at most `maxTokenLifetimeDays` (422 beyond it). Omitted: the current default stays, lowered to the new maximum if it is above it.",
    }),
});
export type TokenPolicyInput = z.input<typeof tokenPolicySchema>;

/** Whether members who sign in with a password need a second factor (SSO members are trusted to their identity provider). */
export const mfaPolicySchema = z.strictObject({
  requireMfa: z
    .boolean({ error: "must be true or false" })
    .meta({ description: "Members signed in to the dashboard with a password must have a second factor (TOTP) turned on; SSO sessions and API tokens are not affected." }),
});
export type MfaPolicyInput = z.input<typeof mfaPolicySchema>;

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
    .transform((names) => [...new Set(names)].sort())
    .meta({ description: "The code-loading variable names (at most 50, exact) this workspace's workloads may set. Replaces the list." }),
});
export type WorkloadEnvPolicyInput = z.input<typeof workloadEnvPolicySchema>;

export const workspaceSchema = z.object({
  id: z.string().meta({ description: "The workspace's id." }),
  name: z.string().meta({ description: "Its display name." }),
  status: z.enum(WORKSPACE_STATUSES).meta({ description: "pending (new), requested (activation asked for), active, or rejected." }),
  role: z.enum(ROLES).nullable().meta({ description: "The caller's role in the workspace (a token: its role); null if none." }),
  personal: z.boolean().meta({ description: "Whether this is a personal workspace (made for its owner at sign-up; it cannot claim an email domain)." }),
  activation: z
    .object({
      organisation: z.string().nullable().meta({ description: "The organisation given in the activation request." }),
      useCase: z.string().nullable().meta({ description: "The use case given in the activation request." }),
      requestedAt: isoDate.nullable().meta({ description: "When activation was requested; null if never." }),
      reviewedAt: isoDate.nullable().meta({ description: "When a platform admin approved or rejected it; null if not yet." }),
      rejectionReason: z.string().nullable().meta({ description: "Why it was rejected; null unless rejected." }),
    })
    .meta({ description: "The activation request and its review." }),
  sso: z
    .object({
      domain: z.string().nullable().meta({ description: "The email domain whose SSO users join; null for none." }),
      defaultRole: z.enum(ROLES).meta({ description: "The role SSO users get when they join." }),
      required: z.boolean().meta({ description: "Whether members must sign in with SSO." }),
    })
    .meta({ description: "Single sign-on settings." }),
  requireMfa: z.boolean().meta({ description: "Whether members signed in with a password need a second factor to use the workspace in the dashboard." }),
  /** New and renewed tokens live at most this many days. */
  maxTokenLifetimeDays: z.number().int().meta({ description: "New and renewed tokens live at most this many days." }),
  /** New tokens created without an expiry live this many days. */
  defaultTokenExpiryDays: z
    .number()
    .int()
    .meta({ description: "New tokens (and renewals) whose expiry is not given live this many days (at most `maxTokenLifetimeDays`); the dashboard preselects it." }),
  /** Audit events older than this many days are deleted (hourly); null keeps them forever. */
  auditRetentionDays: z.number().int().nullable().meta({ description: "Audit events older than this many days are deleted (hourly); null keeps them forever." }),
  /** Code-loading variable names (PATH, LD_PRELOAD, …) an admin allowed in this workspace's workloads. */
  allowedEnvNames: z.array(z.string()).meta({ description: "Code-loading variable names (PATH, LD_PRELOAD, …) an admin allowed in this workspace's workloads." }),
  createdAt: isoDate.meta({ description: "When the workspace was created." }),
  updatedAt: isoDate.meta({ description: "When it last changed." }),
}).meta({ id: "Workspace", description: "A workspace: its status, activation request, SSO settings and policies." });
export type WorkspaceOutput = z.output<typeof workspaceSchema>;
