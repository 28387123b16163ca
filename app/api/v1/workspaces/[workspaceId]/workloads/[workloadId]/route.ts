import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { deleteWorkload, getWorkload, updateWorkload } from "@/lib/services/workloads";

export const dynamic = "force-dynamic";

export const GET = bind(api["workloads.get"], ({ actor, params }) => getWorkload(actor, params.workspaceId, params.workloadId));

export const PATCH = bind(api["workloads.update"], ({ actor, params, body }) => updateWorkload(actor, params.workspaceId, params.workloadId, body));

export const DELETE = bind(api["workloads.delete"], ({ actor, params }) => deleteWorkload(actor, params.workspaceId, params.workloadId));
