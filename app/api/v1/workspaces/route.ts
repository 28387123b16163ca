import { z } from "zod";
import { route } from "@/lib/http/route";
import { workspaceSchema } from "@/lib/schemas/workspace";
import { listWorkspaces } from "@/lib/services/workspaces";

export const dynamic = "force-dynamic";

// GET /api/v1/workspaces – the workspaces the caller can see (a token: its own)
export const GET = route({
  output: z.object({ data: z.array(workspaceSchema) }),
  handler: async ({ actor }) => ({ data: await listWorkspaces(actor) }),
});
