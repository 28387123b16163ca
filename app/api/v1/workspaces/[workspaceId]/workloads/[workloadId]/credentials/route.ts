import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { issueWorkloadCredential } from "@/lib/services/workloads";

export const dynamic = "force-dynamic";

export const POST = bind(api["workloads.issueCredential"], ({ actor, params, body }) => issueWorkloadCredential(actor, params.workspaceId, params.workloadId, body));
