import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { deleteWorkspace, getWorkspace, renameWorkspace } from "@/lib/services/workspaces";

export const dynamic = "force-dynamic";

export const GET = bind(api["workspaces.get"], ({ actor, params }) => getWorkspace(actor, params.workspaceId));

export const PATCH = bind(api["workspaces.rename"], ({ actor, params, body }) => renameWorkspace(actor, params.workspaceId, body));

export const DELETE = bind(api["workspaces.delete"], ({ actor, params, body }) => deleteWorkspace(actor, params.workspaceId, body));
