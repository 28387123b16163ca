import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { updateWorkloadEnvPolicy } from "@/lib/services/workspaces";

export const dynamic = "force-dynamic";

export const PUT = bind(api["workspaces.setWorkloadEnvPolicy"], ({ actor, params, body }) => updateWorkloadEnvPolicy(actor, params.workspaceId, body));
