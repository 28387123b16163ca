// zod schemas of the platform administration endpoints (/api/v1/admin/...): activation review and users.
import { z } from "zod";
import { idSchema, isoDate } from "./common";
import { WORKSPACE_STATUSES, workspaceSchema } from "./workspace";

export const REVIEW_FILTERS = ["requested", "pending", "active", "rejected", "all"] as const;

export const activationRequestsQuerySchema = z.strictObject({
  status: z
    .enum(REVIEW_FILTERS, { error: "must be requested, pending, active, rejected or all" })
    .default("requested")
    .meta({ description: "Which workspaces: by activation state (`requested`, the default: those waiting for review), or `all`." }),
});

/** A workspace as the review list shows it: the workspace, its creator and its size. */
export const reviewWorkspaceSchema = workspaceSchema
  .extend({
    createdBy: z.string().nullable().meta({ description: "The email address of the user who created the workspace (null once that account is deleted)." }),
    members: z.number().int().meta({ description: "How many members the workspace has." }),
  })
  .meta({ description: "A workspace with its creator and member count." });

export const activationRequestListSchema = z.object({
  data: z.array(reviewWorkspaceSchema).meta({ description: `The workspaces (at most 200), oldest request first. Statuses: ${WORKSPACE_STATUSES.join(", ")}.` }),
});

export const userParamsSchema = z.object({ userId: idSchema.meta({ description: "The user's id." }) });

export const adminUserSchema = z
  .object({
    id: z.string().meta({ description: "The user's id." }),
    email: z.string().meta({ description: "The user's email address." }),
    name: z.string().nullable().meta({ description: "The user's display name, if any." }),
    isPlatformAdmin: z.boolean().meta({ description: "Whether the user is a platform administrator." }),
    disabledAt: isoDate.nullable().meta({ description: "When the account was disabled; null while it is enabled." }),
    emailVerifiedAt: isoDate.nullable().meta({
      description: "When the current email address was verified (its verification link, the identity provider, or a platform admin); null while it is unverified.",
    }),
    createdAt: isoDate.meta({ description: "When the account was created." }),
  })
  .meta({ description: "A user account." });

/** Users per page of the admin list, unless `limit` says otherwise. */
export const ADMIN_USERS_PAGE = 50;

export const adminUsersQuerySchema = z.strictObject({
  q: z
    .string()
    .trim()
    .max(200, "must be at most 200 characters")
    .optional()
    .transform((v) => (v ? v : undefined))
    .meta({ description: "Only users whose email address or name contains this text (case-insensitive)." }),
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]*$/, "is not a cursor from this API")
    .optional()
    .meta({ description: "Continue after the previous page: its `nextCursor`." }),
  limit: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(200, "must be at most 200")
    .default(ADMIN_USERS_PAGE)
    .meta({ description: `Users per page (1-200, default ${ADMIN_USERS_PAGE}).` }),
});
export type AdminUsersQuery = z.input<typeof adminUsersQuerySchema>;

export const adminUserListSchema = z.object({
  data: z.array(adminUserSchema).meta({ description: "One page of users, oldest first." }),
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
});

export const updateUserSchema = z
  .strictObject({
    disabled: z.boolean({ error: "must be true or false" }).optional().meta({
      description: "true disables the account (its sessions end at once, its user tokens stop); false enables it again.",
    }),
    emailVerified: z
      .literal(true, { error: "can only be true: an address is marked verified, never unverified" })
      .optional()
      .meta({
        description:
          "true marks the user's current email address verified (for servers without mail, or a user who cannot receive it); an address that is verified already stays as it is. There is no way to mark an address unverified: changing it does.",
      }),
  })
  .refine((v) => v.disabled !== undefined || v.emailVerified !== undefined, { error: "must set disabled or emailVerified" });
