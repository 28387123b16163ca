// zod schemas of members and invitations: input and output. Outputs are parsed before they leave
// a transport, so an invitation's hash can never reach a client.
import { z } from "zod";
import { ROLES } from "../auth/permissions";
import { idSchema, isoDate } from "./common";

export const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` });

export const emailSchema = z
  .string({ error: "must be an email address" })
  .trim()
  .toLowerCase()
  .max(254, "must be at most 254 characters")
  .pipe(z.email({ error: "must be an email address" }));

export const memberParamsSchema = z.object({
  workspaceId: idSchema.meta({ description: "The workspace's id." }),
  userId: idSchema.meta({ description: "The member's user id." }),
});
export const invitationParamsSchema = z.object({
  workspaceId: idSchema.meta({ description: "The workspace's id." }),
  invitationId: idSchema.meta({ description: "The invitation's id." }),
});

export const updateMemberRoleSchema = z.strictObject({
  role: roleSchema.meta({ description: "The member's new role. Only owners grant or take away `owner`; nobody grants a role above their own." }),
});
export type UpdateMemberRoleInput = z.input<typeof updateMemberRoleSchema>;

export const INVITATION_DAYS_DEFAULT = 7;
export const INVITATION_DAYS_MAX = 30;

const expiresInDaysSchema = z
  .number({ error: "must be a whole number of days" })
  .int("must be a whole number of days")
  .min(1, "must be at least 1 day")
  .max(INVITATION_DAYS_MAX, `must be at most ${INVITATION_DAYS_MAX} days`)
  .default(INVITATION_DAYS_DEFAULT)
  .meta({ description: `How many days the link stays valid (1-${INVITATION_DAYS_MAX}, default ${INVITATION_DAYS_DEFAULT}).` });

export const reissueInvitationSchema = z.strictObject({ expiresInDays: expiresInDaysSchema });

export const createInvitationSchema = z
  .strictObject({
    /** Required unless anyoneWithLink: the address the invitation is sent to, and the only one that may accept it. */
    email: z
      .union([emailSchema, z.literal("").transform(() => undefined)])
      .optional()
      .meta({
        description:
          "The address the invitation is sent to and, unless anyoneWithLink, the only one that may accept it. Required unless anyoneWithLink.",
      }),
    role: roleSchema.meta({ description: "The role the invitee gets. Nobody invites with a role above their own." }),
    /** Anyone signed in who has the link may accept it (the email, if given, only receives it). */
    anyoneWithLink: z
      .boolean()
      .default(false)
      .meta({ description: "Anyone signed in who has the link may accept it (the email, if given, only receives it). Default false." }),
    expiresInDays: expiresInDaysSchema,
  })
  .refine((v) => v.anyoneWithLink || !!v.email, { path: ["email"], message: "is required unless anyone with the link may accept" });
export type CreateInvitationInput = z.input<typeof createInvitationSchema>;

export const INVITATION_STATES = ["pending", "accepted", "revoked", "expired"] as const;
export type InvitationState = (typeof INVITATION_STATES)[number];

export const listInvitationsQuerySchema = z.strictObject({
  state: z
    .enum([...INVITATION_STATES, "all"], { error: "must be pending, accepted, revoked, expired or all" })
    .default("pending")
    .meta({ description: "Which invitations to list: pending (default), accepted, revoked, expired or all." }),
});

export const acceptInvitationSchema = z.strictObject({ code: z.string().max(200).meta({ description: "The invitation code (`tsr_inv_…`) from the link." }) });

export const memberSchema = z.object({
  userId: z.string().meta({ description: "The member's user id." }),
  email: z.string().meta({ description: "The member's email address." }),
  name: z.string().nullable().meta({ description: "The member's display name, if they set one." }),
  role: roleSchema.meta({ description: "The member's role in this workspace." }),
  joinedAt: isoDate.meta({ description: "When they joined the workspace." }),
  lastActiveAt: isoDate
    .nullable()
    .meta({ description: "Their latest dashboard visit to the workspace or use of one of their user tokens there; null if never." }),
}).meta({ id: "Member", description: "A member of a workspace and their role." });
export type MemberOutput = z.output<typeof memberSchema>;

/** What removing a member, or leaving, answers. */
export const removedMemberSchema = z.object({
  userId: z.string().meta({ description: "The user who is no longer a member." }),
  tokensCancelled: z.number().int().meta({ description: "How many of their user tokens for this workspace were cancelled." }),
});

export const invitationSchema = z.object({
  id: z.string().meta({ description: "The invitation's id." }),
  workspaceId: z.string().meta({ description: "The workspace it invites to." }),
  email: z.string().nullable().meta({ description: "The address it was sent to; null for a link-only invitation." }),
  role: roleSchema.meta({ description: "The role the invitee gets." }),
  anyoneWithLink: z.boolean().meta({ description: "Whether anyone signed in who has the link may accept it." }),
  state: z.enum(INVITATION_STATES).meta({ description: "pending, accepted, revoked (or re-issued) or expired." }),
  invitedBy: z.string().nullable().meta({ description: "The inviter's email address (a token's creator); null if unknown." }),
  expiresAt: isoDate.meta({ description: "When the link stops working." }),
  acceptedAt: isoDate.nullable().meta({ description: "When it was accepted; null if not." }),
  revokedAt: isoDate.nullable().meta({ description: "When it was revoked or re-issued; null if not." }),
  createdAt: isoDate.meta({ description: "When it was created." }),
}).meta({ id: "Invitation", description: "An invitation to a workspace (never its link after creation)." });
export type InvitationOutput = z.output<typeof invitationSchema>;

/** The one response that carries the link: creation and re-issue. */
export const createdInvitationSchema = z.object({
  invitation: invitationSchema.meta({ description: "The new invitation." }),
  link: z.string().meta({ description: "The invitation link (`…/invite/tsr_inv_…`). Shown in this response only: it is never returned again." }),
  /** sent: mailed over SMTP; logged: no SMTP configured (share the link yourself); failed: SMTP refused it; none: no email given. */
  delivery: z.enum(["sent", "logged", "failed", "none"]).meta({
    description: "sent: mailed over SMTP; logged: no SMTP configured (share the link yourself); failed: SMTP refused it (the invitation exists); none: no email given.",
  }),
});
