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

export const memberParamsSchema = z.object({ workspaceId: idSchema, userId: idSchema });
export const invitationParamsSchema = z.object({ workspaceId: idSchema, invitationId: idSchema });

export const updateMemberRoleSchema = z.strictObject({ role: roleSchema });
export type UpdateMemberRoleInput = z.input<typeof updateMemberRoleSchema>;

export const INVITATION_DAYS_DEFAULT = 7;
export const INVITATION_DAYS_MAX = 30;

const expiresInDaysSchema = z
  .number({ error: "must be a whole number of days" })
  .int("must be a whole number of days")
  .min(1, "must be at least 1 day")
  .max(INVITATION_DAYS_MAX, `must be at most ${INVITATION_DAYS_MAX} days`)
  .default(INVITATION_DAYS_DEFAULT);

export const reissueInvitationSchema = z.strictObject({ expiresInDays: expiresInDaysSchema });

export const createInvitationSchema = z
  .strictObject({
    /** Required unless anyoneWithLink: the address the invitation is sent to, and the only one that may accept it. */
    email: z.union([emailSchema, z.literal("").transform(() => undefined)]).optional(),
    role: roleSchema,
    /** Anyone signed in who has the link may accept it (the email, if given, only receives it). */
    anyoneWithLink: z.boolean().default(false),
    expiresInDays: expiresInDaysSchema,
  })
  .refine((v) => v.anyoneWithLink || !!v.email, { path: ["email"], message: "is required unless anyone with the link may accept" });
export type CreateInvitationInput = z.input<typeof createInvitationSchema>;

export const INVITATION_STATES = ["pending", "accepted", "revoked", "expired"] as const;
export type InvitationState = (typeof INVITATION_STATES)[number];

export const listInvitationsQuerySchema = z.strictObject({
  state: z.enum([...INVITATION_STATES, "all"], { error: "must be pending, accepted, revoked, expired or all" }).default("pending"),
});

export const acceptInvitationSchema = z.strictObject({ code: z.string().max(200) });

export const memberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: roleSchema,
  joinedAt: isoDate,
  lastActiveAt: isoDate.nullable(),
});
export type MemberOutput = z.output<typeof memberSchema>;

export const invitationSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  email: z.string().nullable(),
  role: roleSchema,
  anyoneWithLink: z.boolean(),
  state: z.enum(INVITATION_STATES),
  invitedBy: z.string().nullable(),
  expiresAt: isoDate,
  acceptedAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
  createdAt: isoDate,
});
export type InvitationOutput = z.output<typeof invitationSchema>;

/** The one response that carries the link: creation and re-issue. */
export const createdInvitationSchema = z.object({
  invitation: invitationSchema,
  link: z.string(),
  /** sent: mailed over SMTP; logged: no SMTP configured (share the link yourself); failed: SMTP refused it; none: no email given. */
  delivery: z.enum(["sent", "logged", "failed", "none"]),
});
