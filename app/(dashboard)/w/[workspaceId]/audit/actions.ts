"use server";

// Server actions of the Audit page: parse input, call the service with the session actor.
import { z } from "zod";
import { defineAction } from "@/lib/http/action";
import { auditRetentionSchema } from "@/lib/schemas/audit";
import { idSchema } from "@/lib/schemas/common";
import { setAuditRetention } from "@/lib/services/audit";

export const setAuditRetentionAction = defineAction({
  input: z.object({ workspaceId: idSchema, retention: auditRetentionSchema }),
  output: z.object({ days: z.number().int().nullable() }),
  handler: (actor, { workspaceId, retention }) => setAuditRetention(actor, workspaceId, retention),
});
