// zod schemas of the token resource. Values and hashes never appear in an output schema,
// except `value` in the one creation response. Every field has a description (`.meta`), which
// the OpenAPI document shows.
import { z } from "zod";
import { ACCESS_SCOPES, PLATFORM_SCOPE, ROLES, TOKEN_SCOPES } from "../auth/permissions";
import { displayNameSchema, idSchema, isoDate, visibleText } from "./common";
import { WORKSPACE_STATUSES } from "./workspace";

export const TOKEN_KINDS = ["user", "workspace", "workload"] as const;
/** "Expires soon" never starts earlier than this before the expiry (long-lived tokens). */
export const EXPIRES_SOON_MS = 3 * 24 * 60 * 60 * 1000;
/** …and otherwise in the last fifth of the token's current lifetime. */
export const EXPIRES_SOON_FRACTION = 0.2;
/** What the "expires soon" badge means, for its tooltip and the API description. */
export const EXPIRES_SOON_RULE =
  "less than a fifth of its current lifetime (from creation or its last renewal) is left, and at most 3 days: a 1-day token in its last 4.8 hours, a 7-day token in its last 33.6 hours, tokens of 15 days or more in their last 3 days";

/**
 * Whether a token "expires soon": relative to its lifetime, so that a fresh 1-day token (the
 * default) is not badged the moment it is created. `from` is when its current lifetime began.
 */
export function expiresSoon(from: Date | string, expiresAt: Date | string, now = Date.now()): boolean {
  const end = new Date(expiresAt).getTime();
  const left = end - now;
  const lifetime = end - new Date(from).getTime();
  return left > 0 && left < Math.min(EXPIRES_SOON_MS, lifetime * EXPIRES_SOON_FRACTION);
}

/** A lifetime: a number of days (presets 1, 7, 30, 90 or any whole number), or an exact date. */
const expirySchema = {
  expiresInDays: z
    .number()
    .int("must be a whole number of days")
    .min(1, "must be at least 1 day")
    .max(3650)
    .optional()
    .meta({
      description:
        "The lifetime in days from now. When neither this nor expiresAt is given: the workspace's default token expiry (`defaultTokenExpiryDays` of its token policy, 1 day unless an admin changed it). At most the workspace's maximum token lifetime.",
    }),
  expiresAt: z.iso
    .datetime({ offset: true, error: "must be an ISO 8601 date-time" })
    .optional()
    .meta({ description: "The exact expiry, as an ISO 8601 date-time, instead of expiresInDays. In the future, and within the workspace's maximum token lifetime." }),
};

const description = visibleText(z.string().trim().max(500, "must be at most 500 characters"), { multiline: true });

const KIND_DESCRIPTION =
  "`user`: acts as its creator, with at most the creator's current role (created by a signed-in user for themselves); `workspace`: acts with its own role; `workload`: bound to one workload, exchanged for short-lived credentials of its environment.";
const SCOPES_DESCRIPTION =
  "`full`, or `read` for a read-only token (it keeps only read permissions); plus, optionally, `platform`: platform administration (the `/api/v1/admin/…` endpoints), only on user tokens of platform admins. `platform` grants no permission in the workspace.";

export const createTokenSchema = z
  .strictObject({
    kind: z.enum(TOKEN_KINDS).default("user").meta({ description: `The kind of token. ${KIND_DESCRIPTION}` }),
    name: displayNameSchema.meta({ description: "A display name (1-64 characters), to recognise the token in lists and the audit log." }),
    description: description.optional().meta({ description: "What the token is for (at most 500 characters)." }),
    ...expirySchema,
    scopes: z
      .array(z.enum(TOKEN_SCOPES))
      .min(1)
      .max(TOKEN_SCOPES.length)
      // `platform` is an add-on: the token still needs its workspace access, `read` or `full`.
      .refine((s) => s.some((x) => (ACCESS_SCOPES as readonly string[]).includes(x)), "must include read or full")
      .default(["full"])
      .meta({
        description: `What the token may do: ${SCOPES_DESCRIPTION} Asking for \`platform\` answers 403 unless the creator is a platform admin now, and 422 on a workspace or workload token.`,
      }),
    /** Workspace tokens act with this role (default member; never above the creator's). */
    role: z.enum(ROLES).optional().meta({ description: "Workspace tokens only: the role the token acts with (default member; never above the creator's own)." }),
    /** Workload tokens: the workload they are bound to (omit for an unassigned token). */
    workloadId: idSchema.optional().meta({ description: "Workload tokens only: the workload the token is bound to (omit for an unassigned token)." }),
  })
  .refine((t) => !(t.expiresInDays && t.expiresAt), { message: "give expiresInDays or expiresAt, not both", path: ["expiresAt"] })
  .refine((t) => t.kind === "workload" || t.workloadId === undefined, { message: "only workload tokens have a workload", path: ["workloadId"] })
  .refine((t) => t.kind === "workspace" || t.role === undefined, { message: "only workspace tokens have a role", path: ["role"] })
  .refine((t) => t.kind === "user" || !t.scopes.includes(PLATFORM_SCOPE), { message: "can include platform only on user tokens", path: ["scopes"] });
export type CreateTokenInput = z.input<typeof createTokenSchema>;

const ACTION_DESCRIPTION = "The change: `renew`, `reassign`, `cancel` or `rename`.";
export const updateTokenSchema = z.discriminatedUnion("action", [
  z
    .strictObject({ action: z.literal("renew").meta({ description: ACTION_DESCRIPTION }), ...expirySchema })
    .meta({ description: "Renew: a new expiry (from now), within the workspace's maximum token lifetime. The value stays the same." }),
  z
    .strictObject({
      action: z.literal("reassign").meta({ description: ACTION_DESCRIPTION }),
      workloadId: idSchema.nullable().meta({ description: "The workload to bind the token to, or null to unassign it." }),
    })
    .meta({ description: "Reassign a workload token to another workload (or to none)." }),
  z
    .strictObject({ action: z.literal("cancel").meta({ description: ACTION_DESCRIPTION }) })
    .meta({ description: "Cancel: the token stops working at once and for good (it stays listed until deleted)." }),
  z
    .strictObject({
      action: z.literal("rename").meta({ description: ACTION_DESCRIPTION }),
      name: displayNameSchema.meta({ description: "The new display name (1-64 characters)." }),
      description: description.nullable().optional().meta({ description: "The new description (at most 500 characters); null or empty removes it." }),
    })
    .meta({ description: "Rename: a new name and, optionally, description." }),
]);
export type UpdateTokenInput = z.input<typeof updateTokenSchema>;

export const tokenParamsSchema = z.object({
  workspaceId: idSchema.meta({ description: "The workspace's ID." }),
  tokenId: idSchema.meta({ description: "The token's ID." }),
});

/** A token as lists show it: never the value or its hash. */
export const tokenSchema = z.object({
  id: z.string().meta({ description: "The token's ID." }),
  workspaceId: z.string().meta({ description: "The workspace the token belongs to (and acts in)." }),
  kind: z.enum(TOKEN_KINDS).meta({ description: `The kind of token. ${KIND_DESCRIPTION}` }),
  name: z.string().meta({ description: "The display name." }),
  description: z.string().nullable().meta({ description: "What the token is for, or null." }),
  partialKey: z.string().meta({ description: "The value's prefix and last four characters (`tsr_wsp_…AbCd`), to recognise it. The value itself is shown once, at creation." }),
  scopes: z.array(z.enum(TOKEN_SCOPES)).meta({ description: `What the token may do: ${SCOPES_DESCRIPTION}` }),
  role: z.enum(ROLES).nullable().meta({ description: "A workspace token's role; null for user tokens (they act with their creator's role) and workload tokens." }),
  status: z.enum(["active", "cancelled"]).meta({ description: "`cancelled` once cancelled (for good); an active token past its expiry is `active` with `expired` true." }),
  expired: z.boolean().meta({ description: "Whether the expiry has passed." }),
  expiresSoon: z.boolean().meta({ description: `Whether the token expires soon: ${EXPIRES_SOON_RULE}.` }),
  expiresAt: isoDate.meta({ description: "When the token stops working." }),
  workloadId: z.string().nullable().meta({ description: "A workload token's workload, or null (unassigned, or not a workload token)." }),
  createdById: z.string().nullable().meta({ description: "The user who created the token (in the dashboard or with one of their user tokens), or null." }),
  lastUsedAt: isoDate.nullable().meta({ description: "When the token was last used (updated at most once a minute), or null if never." }),
  lastUsedIp: z.string().nullable().meta({ description: "The address it was last used from, or null." }),
  createdAt: isoDate.meta({ description: "When the token was created." }),
}).meta({ id: "Token", description: "A token as lists show it: never its value or hash." });
export type TokenOutput = z.output<typeof tokenSchema>;

/** The one response that carries the value: the creation response. */
export const createdTokenSchema = tokenSchema.extend({
  value: z.string().meta({ description: "The token's value: shown in this response only, never again. Store it in a secret manager." }),
});

export const verifyTokenSchema = z.strictObject({
  token: z.string().max(200, "is too long").meta({ description: "The token value presented to the gateway." }),
  workloadId: idSchema.optional().meta({ description: "The workload the token is being used for: a token bound to another workload is answered `wrong_workload`." }),
});

export const verifyResultSchema = z.discriminatedUnion("valid", [
  z
    .object({
      valid: z.literal(false).meta({ description: "The token may not be used." }),
      reason: z
        .enum(["malformed", "unknown", "expired", "cancelled", "disabled", "inactive_workspace", "wrong_workload"])
        .meta({ description: "Why: not a token, not known, expired, cancelled, its creator disabled or gone, its workspace not active (workspace and workload tokens), or bound to another workload." }),
    })
    .meta({ description: "The token may not be used, and why." }),
  z
    .object({
      valid: z.literal(true).meta({ description: "The token may be used." }),
      tokenId: z.string().meta({ description: "The token's ID." }),
      workspaceId: z.string().meta({ description: "The workspace the token belongs to." }),
      /** A user token is valid in a workspace that is not active yet (for setup, as on the API); gateways that admit run-time use should require "active". */
      workspaceStatus: z
        .enum(WORKSPACE_STATUSES)
        .meta({ description: "The workspace's status. A user token is valid in a workspace that is not active yet (for setup); gateways that admit run-time use should require `active`." }),
      kind: z.enum(TOKEN_KINDS).meta({ description: "The kind of token." }),
      workloadId: z.string().nullable().meta({ description: "A workload token's workload, or null." }),
      scopes: z.array(z.enum(TOKEN_SCOPES)).meta({ description: `What the token may do: ${SCOPES_DESCRIPTION}` }),
      expiresAt: isoDate.meta({ description: "When the token stops working." }),
    })
    .meta({ description: "The token is valid: whose it is and what it may do." }),
]);
