import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { requestActivation } from "@/lib/services/workspaces";

export const dynamic = "force-dynamic";

export const POST = bind(api["workspaces.requestActivation"], ({ actor, params, body }) => requestActivation(actor, params.workspaceId, body));
