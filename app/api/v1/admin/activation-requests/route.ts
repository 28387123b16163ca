import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { listWorkspacesForReview } from "@/lib/services/workspaces";

export const dynamic = "force-dynamic";

export const GET = bind(api["admin.listActivationRequests"], async ({ actor, query }) => ({ data: await listWorkspacesForReview(actor, query.status) }));
