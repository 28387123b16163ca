import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { resolveWorkloadEnv } from "@/lib/services/workloads";

export const dynamic = "force-dynamic";

export const GET = bind(api["workloads.resolveEnv"], ({ actor, params }) => resolveWorkloadEnv(actor, params.workspaceId, params.workloadId));
