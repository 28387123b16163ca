import { z } from "zod";
import { streamRoute } from "@/lib/http/route";
import { workspaceParamsSchema } from "@/lib/schemas/workspace";
import { exportAuditEvents } from "@/lib/services/audit";

export const dynamic = "force-dynamic";

// GET /api/v1/workspaces/{workspaceId}/audit/export?format=csv|jsonl&<filters> – the whole filtered log, streamed, oldest first
export const GET = streamRoute({
  params: workspaceParamsSchema,
  // The service parses the filters (one schema for every transport): raw strings here.
  query: z.record(z.string(), z.string()),
  handler: ({ actor, params, query }) => exportAuditEvents(actor, params.workspaceId, query),
});
