import { getSessionActor } from "@/lib/auth/session";
import { AppError, toAppError } from "@/lib/errors";
import { jsonError, streamResponse } from "@/lib/http/route";
import { requestMeta } from "@/lib/http/request-meta";
import { idSchema } from "@/lib/schemas/common";
import { exportAuditEvents } from "@/lib/services/audit";

export const dynamic = "force-dynamic";

// GET /w/{workspaceId}/audit/export?format=csv|jsonl&<filters> – the dashboard's download (session cookie), streamed
export async function GET(req: Request, ctx: { params: Promise<{ workspaceId: string }> }): Promise<Response> {
  const meta = requestMeta(req.headers);
  try {
    const actor = await getSessionActor();
    if (!actor) throw new AppError("UNAUTHORIZED", "Your session has ended. Sign in again.");
    const { workspaceId } = await ctx.params;
    if (!idSchema.safeParse(workspaceId).success) throw new AppError("NOT_FOUND", "Workspace not found");
    const query = Object.fromEntries(new URL(req.url).searchParams);
    return streamResponse(await exportAuditEvents(actor, workspaceId, query), meta.requestId);
  } catch (err) {
    return jsonError(toAppError(err), meta);
  }
}
