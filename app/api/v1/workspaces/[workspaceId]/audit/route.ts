import { z } from "zod";
import { route } from "@/lib/http/route";
import { auditPageSchema } from "@/lib/schemas/audit";
import { workspaceParamsSchema } from "@/lib/schemas/workspace";
import { listAuditEvents } from "@/lib/services/audit";

export const dynamic = "force-dynamic";

// GET /api/v1/workspaces/{workspaceId}/audit?actor=&action=&target=&result=&from=&to=&cursor=&limit= – events, newest first
export const GET = route({
  params: workspaceParamsSchema,
  // The service parses the filters (one schema for every transport): raw strings here.
  query: z.record(z.string(), z.string()),
  output: auditPageSchema,
  handler: ({ actor, params, query }) => listAuditEvents(actor, params.workspaceId, query),
});
