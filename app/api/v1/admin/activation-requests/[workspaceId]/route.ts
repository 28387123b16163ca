import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { reviewActivation } from "@/lib/services/workspaces";

export const dynamic = "force-dynamic";

export const POST = bind(api["admin.reviewActivation"], ({ actor, params, body }) => reviewActivation(actor, params.workspaceId, body));
