import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { updateTokenPolicy } from "@/lib/services/workspaces";

export const dynamic = "force-dynamic";

export const PUT = bind(api["workspaces.setTokenPolicy"], ({ actor, params, body }) => updateTokenPolicy(actor, params.workspaceId, body));
