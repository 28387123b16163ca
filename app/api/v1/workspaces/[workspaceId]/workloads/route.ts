import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { createWorkload, listWorkloads } from "@/lib/services/workloads";

export const dynamic = "force-dynamic";

export const GET = bind(api["workloads.list"], async ({ actor, params }) => ({ data: await listWorkloads(actor, params.workspaceId) }));

export const POST = bind(api["workloads.create"], ({ actor, params, body }) => createWorkload(actor, params.workspaceId, body));
