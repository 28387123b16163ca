"use server";

// Account > Sessions: end one of your sessions, or all the others (SES-08).
import { z } from "zod";
import { defineAction } from "@/lib/http/action";
import { idSchema } from "@/lib/schemas/common";
import { revokeMyOtherSessions, revokeMySession } from "@/lib/services/sessions";

export const revokeSessionAction = defineAction({
  input: z.object({ sessionId: idSchema }),
  output: z.object({ id: z.string(), current: z.boolean() }),
  handler: (actor, { sessionId }) => revokeMySession(actor, sessionId),
});

export const revokeOtherSessionsAction = defineAction({
  input: z.object({}),
  output: z.object({ sessions: z.number() }),
  handler: async (actor) => ({ sessions: await revokeMyOtherSessions(actor) }),
});
