// The signed-in user's profile (Account > Profile): name, address and its verification state.
// Changing or verifying the address is in ./verification.ts.
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { db } from "../db/client";
import { AppError, parseInput } from "../errors";
import { displayNameSchema } from "../schemas/common";
import { recordAudit } from "./audit";
import { inTransaction } from "./authorize";
import { mailConfigured, sessionUser } from "./verification";

export type Profile = {
  id: string;
  email: string;
  name: string | null;
  emailVerifiedAt: Date | null;
  /** Signs in through an identity provider, which owns the address: it is not changed here. */
  sso: boolean;
  isPlatformAdmin: boolean;
  mailConfigured: boolean;
  /** The newest link for the current address that still works, if any. */
  pending: { sentAt: Date; expiresAt: Date } | null;
};

/** The signed-in user's own profile. */
export async function getProfile(actor: Actor): Promise<Profile> {
  const me = sessionUser(actor, "has a profile");
  const user = await db().user.findUnique({
    where: { id: me.userId },
    select: { id: true, email: true, name: true, emailVerifiedAt: true, isPlatformAdmin: true, _count: { select: { identities: true } } },
  });
  if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
  const pending = user.emailVerifiedAt
    ? null
    : await db().accountToken.findFirst({
        where: { userId: user.id, purpose: "email_verify", email: user.email, usedAt: null, expiresAt: { gt: new Date() } },
        orderBy: { createdAt: "desc" },
        select: { createdAt: true, expiresAt: true },
      });
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    emailVerifiedAt: user.emailVerifiedAt,
    sso: user._count.identities > 0,
    isPlatformAdmin: user.isPlatformAdmin,
    mailConfigured: mailConfigured(),
    pending: pending ? { sentAt: pending.createdAt, expiresAt: pending.expiresAt } : null,
  };
}

export const profileNameSchema = z.strictObject({ name: displayNameSchema });

/** The signed-in user's display name (1-64 characters, nothing invisible). Audited as `user.update`. */
export async function updateProfileName(actor: Actor, input: z.input<typeof profileNameSchema>): Promise<{ name: string }> {
  const me = sessionUser(actor, "changes their name");
  const { name } = parseInput(profileNameSchema, input);
  return inTransaction(me, async (tx) => {
    await tx.user.update({ where: { id: me.userId }, data: { name } });
    await recordAudit(tx, me, { workspaceId: null, action: "user.update", target: { type: "user", id: me.userId }, metadata: { fields: ["name"] } });
    return { name };
  });
}
