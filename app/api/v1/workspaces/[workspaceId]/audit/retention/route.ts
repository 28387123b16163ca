import { z } from "zod";
import { route } from "@/lib/http/route";
import { auditRetentionSchema } from "@/lib/schemas/audit";
import { workspaceParamsSchema } from "@/lib/schemas/workspace";
import { setAuditRetention } from "@/lib/services/audit";

export const dynamic = "force-dynamic";

// PUT /api/v1/workspaces/{workspaceId}/audit/retention – {"days": 90} keeps events 90 days; {"days": null} forever
export const PUT = route({
  params: workspaceParamsSchema,
  body: auditRetentionSchema,
  output: z.object({ days: z.number().int().nullable() }),
  handler: ({ actor, params, body }) => setAuditRetention(actor, params.workspaceId, body),
});
