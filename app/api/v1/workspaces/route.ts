import { api } from "@/lib/contract";
import { bind } from "@/lib/http/route";
import { createWorkspace, listWorkspaces } from "@/lib/services/workspaces";

export const dynamic = "force-dynamic";

export const GET = bind(api["workspaces.list"], async ({ actor }) => ({ data: await listWorkspaces(actor) }));

export const POST = bind(api["workspaces.create"], ({ actor, body }) => createWorkspace(actor, body));
